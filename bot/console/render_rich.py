"""A Reply as coloured terminal text with boxed tables, through rich (imported only when a terminal shows colour)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table as RichTable
from rich.text import Text

from bot.console.render import code_spans, field_lines, footer_line, image_lines, plain
from core.chat.model import Footer, Reply, Table

_JUSTIFY: dict[str, JustifyMethod] = {"l": "left", "r": "right", "c": "center"}


def render_rich(reply: Reply, *, image_paths: Sequence[Path], now: datetime, width: int = 0) -> str:
    """The whole reply with colour and boxed tables, `width` columns wide (0: the terminal's)."""
    blocks: list[str | Text | RichTable] = []
    head = [Text(plain(reply.title), style="bold")] if reply.title else []
    if reply.text:
        head.append(_error(reply.text) if reply.is_error else _styled(reply.text))
    if head:
        blocks.append(Text("\n").join(head))
    if reply.fields:
        blocks.append(_fields([(plain(f.name), plain(f.value)) for f in reply.fields]))
    blocks += [_table(table) for table in reply.tables]
    if reply.images:
        blocks.append(image_lines(reply, image_paths))
    if reply.buttons:
        blocks.append(_fields([(b.label, b.url or f"/{b.action}") for b in reply.buttons]))
    if reply.footer:
        blocks.append(_footer(reply.footer, now))
    buffer = io.StringIO()
    columns = width or shutil.get_terminal_size().columns
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=columns, markup=False)
    for index, block in enumerate(blocks):
        if index:
            console.print()
        console.print(block, highlight=False, emoji=False)
    return buffer.getvalue().rstrip("\n")


def _styled(text: str) -> Text:
    styled = Text()
    for piece, is_code in code_spans(text):
        styled.append(piece, style="cyan" if is_code else None)
    return styled


def _error(text: str) -> Text:
    message, _, usage = plain(text).partition("\nusage: ")
    return Text.assemble((f"error: {message}", "bold red"), (f"\nusage: {usage}" if usage else "", "red"))


def _fields(pairs: list[tuple[str, str]]) -> Text:
    lines = Text()
    for label, body in field_lines(pairs):
        lines.append("\n" if lines else "").append(label, style="bold").append(body)
    return lines


def _table(table: Table) -> RichTable:
    styled = RichTable(box=box.ROUNDED, header_style="bold")
    for header, align in zip(table.headers, table.align or "l" * len(table.headers), strict=True):
        styled.add_column(Text(header), justify=_JUSTIFY[align])
    for row in table.rows:
        styled.add_row(*map(Text, row))
    return styled


def _footer(footer: Footer, now: datetime) -> Text:
    return Text.assemble(
        (footer_line(footer, now), "dim"), ("\nSIMULATED DATA" if footer.simulated else "", "bold yellow")
    )
