"""Render a neutral Reply as terminal text: plain aligned text, or colour and boxes through rich."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table as RichTable
from rich.text import Text

from core.chat.model import Footer, Reply, Table

_CODE = re.compile(r"`([^`\n]*)`")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_JUSTIFY: dict[str, JustifyMethod] = {"l": "left", "r": "right", "c": "center"}


def render_text(
    reply: Reply, *, color: bool, image_paths: Sequence[Path] = (), now: datetime | None = None, width: int = 0
) -> str:
    """The whole reply as terminal text; `image_paths` (from save_images) are mentioned next to their alt text."""
    blocks: list[str | Text | RichTable] = []
    head = [_title(reply.title, color)] if reply.title else []
    if reply.text:
        head.append(_error(reply.text, color) if reply.is_error else _styled(reply.text, color))
    if head:
        blocks.append(Text("\n").join(map(Text.assemble, head)) if color else "\n".join(map(str, head)))
    if reply.fields:
        blocks.append(_fields([(_plain(f.name), _plain(f.value)) for f in reply.fields], color))
    blocks += [_rich_table(table) if color else _plain_table(table) for table in reply.tables]
    if reply.images:
        paths: list[Path | None] = [*image_paths, *[None] * len(reply.images)]
        blocks.append("\n".join(_image_line(image.alt, path) for image, path in zip(reply.images, paths, strict=False)))
    if reply.buttons:
        blocks.append(_fields([(b.label, b.url or f"/{b.action}") for b in reply.buttons], color))
    if reply.footer:
        blocks.append(_footer(reply.footer, now or datetime.now(UTC), color))
    if not color:
        return "\n\n".join(str(block) for block in blocks)
    buffer = io.StringIO()
    columns = width or shutil.get_terminal_size().columns
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=columns, markup=False)
    for index, block in enumerate(blocks):
        if index:
            console.print()
        console.print(block, highlight=False, emoji=False)
    return buffer.getvalue().rstrip("\n")


def save_images(reply: Reply, directory: Path) -> list[Path]:
    """Write each PNG of the reply into `directory` under a safe, unused file name; return the paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for image in reply.images:
        stem = _UNSAFE.sub("_", Path(image.filename).stem).strip("._") or "image"
        for attempt in range(10_000):
            path = directory / (f"{stem}.png" if attempt == 0 else f"{stem}-{attempt}.png")
            try:
                with path.open("xb") as file:
                    file.write(image.png)
            except FileExistsError:
                continue
            paths.append(path)
            break
    return paths


def footer_line(footer: Footer, now: datetime) -> str:
    """ "source · Jita orders 3 min ago · history 5 h ago" when the reply names its sources, else "source · data
    as of HH:MM UTC (N min ago)", or just the source when the age is unknown."""
    if footer.sources:
        return " · ".join([footer.source, *(f"{s.name} {age(s.as_of, now)}" for s in footer.sources)])
    if footer.as_of is None:
        return footer.source
    as_of = footer.as_of if footer.as_of.tzinfo else footer.as_of.replace(tzinfo=UTC)
    minutes = max(0, int((now - as_of).total_seconds() // 60))
    return f"{footer.source} · data as of {as_of.astimezone(UTC):%H:%M} UTC ({minutes} min ago)"


def age(as_of: datetime | None, now: datetime) -> str:
    """How long ago: "just now", "3 min ago", "5 h ago", "2 d ago" ("age unknown" without a time)."""
    if as_of is None:
        return "age unknown"
    seconds = (now - (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC))).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    return f"{int(seconds // 3600)} h ago" if seconds < 2 * 86400 else f"{int(seconds // 86400)} d ago"


def _plain(text: str) -> str:
    return _CODE.sub(r"\1", text)


def _styled(text: str, color: bool) -> str | Text:
    if not color:
        return _plain(text)
    styled, position = Text(), 0
    for match in _CODE.finditer(text):
        styled.append(text[position : match.start()])
        styled.append(match.group(1), style="cyan")
        position = match.end()
    return styled.append(text[position:])


def _title(title: str, color: bool) -> str | Text:
    return Text(_plain(title), style="bold") if color else _plain(title)


def _error(text: str, color: bool) -> str | Text:
    message, _, usage = _plain(text).partition("\nusage: ")
    line = f"error: {message}" + (f"\nusage: {usage}" if usage else "")
    if not color:
        return line
    return Text.assemble((f"error: {message}", "bold red"), (f"\nusage: {usage}" if usage else "", "red"))


def _fields(pairs: list[tuple[str, str]], color: bool) -> str | Text:
    width = max(len(name) for name, _ in pairs) + 2
    lines = Text() if color else None
    plain: list[str] = []
    for name, value in pairs:
        label = f"{name}:".ljust(width)
        body = value.replace("\n", "\n" + " " * width)
        if lines is not None:
            lines.append("\n" if lines else "").append(label, style="bold").append(body)
        plain.append((label + body).rstrip())
    return lines if lines is not None else "\n".join(plain)


def _plain_table(table: Table) -> str:
    align = table.align or "l" * len(table.headers)
    widths = [max(len(cell) for cell in column) for column in zip(table.headers, *table.rows, strict=True)]
    pad = {"l": str.ljust, "r": str.rjust, "c": str.center}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad[a](cell, w) for cell, w, a in zip(cells, widths, align, strict=True)).rstrip()

    return "\n".join([line(table.headers), line(["-" * w for w in widths]), *map(line, table.rows)])


def _rich_table(table: Table) -> RichTable:
    styled = RichTable(box=box.ROUNDED, header_style="bold")
    for header, align in zip(table.headers, table.align or "l" * len(table.headers), strict=True):
        styled.add_column(Text(header), justify=_JUSTIFY[align])
    for row in table.rows:
        styled.add_row(*map(Text, row))
    return styled


def _image_line(alt: str, path: Path | None) -> str:
    return f"image: {path} ({alt})" if path else f"image: {alt} (not saved)"


def _footer(footer: Footer, now: datetime, color: bool) -> str | Text:
    line = footer_line(footer, now) + ("\nSIMULATED DATA" if footer.simulated else "")
    if not color:
        return line
    return Text.assemble(
        (footer_line(footer, now), "dim"), ("\nSIMULATED DATA" if footer.simulated else "", "bold yellow")
    )
