"""Render a neutral Reply as Telegram HTML messages (each under the 4096-character limit) plus photos."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.console.render import footer_line
from core.chat.model import Button, Field, Footer, Image, Reply, Table

MAX_MESSAGE = 4096
_CODE = re.compile(r"`([^`\n]*)`")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class _Block:
    """A run of lines that must stay together when possible; `pre` lines are wrapped in <pre> per message."""

    lines: list[str]
    pre: bool = False


def render_html(
    reply: Reply, *, now: datetime | None = None, limit: int = MAX_MESSAGE, buttons_as_text: bool = True
) -> list[str]:
    """The reply as HTML-parse-mode messages, split between blocks (or lines) so no tag is ever broken; buttons
    become text lines unless the caller sends them as an inline keyboard (`buttons_as_text=False`)."""
    blocks: list[_Block] = []
    head = [f"<b>{_inline(reply.title)}</b>"] if reply.title else []
    if reply.text:
        head += _text_lines(reply.text, reply.is_error)
    if head:
        blocks.append(_Block(head))
    if reply.fields:
        blocks.append(_Block(_field_lines(reply.fields)))
    blocks += [_Block(_table_lines(table), pre=True) for table in reply.tables]
    if reply.buttons and buttons_as_text:
        blocks.append(_Block(_button_lines(reply.buttons)))
    if reply.footer:
        blocks.append(_Block([_footer(reply.footer, now or datetime.now(UTC))]))
    messages = _pack(blocks, limit)
    return messages or ["<i>(empty reply)</i>"]


def photos(reply: Reply) -> list[Image]:
    """The images to send with send_photo after the text (alt text as the caption)."""
    return list(reply.images)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _inline(text: str) -> str:
    """Escape for HTML, turning `code` spans into <code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))


def _text_lines(text: str, is_error: bool) -> list[str]:
    if not is_error:
        return [_inline(line) for line in text.split("\n")]
    message, _, usage = text.partition("\nusage: ")
    lines = [
        f"⚠️ <b>Error:</b> {_inline(line)}" if i == 0 else _inline(line) for i, line in enumerate(message.split("\n"))
    ]
    if usage:
        lines.append(f"usage: {_inline(usage)}")
    return lines


def _field_lines(fields: Sequence[Field]) -> list[str]:
    lines: list[str] = []
    for item in fields:
        first, *rest = item.value.split("\n")
        lines.append(f"<b>{_inline(item.name)}</b>: {_inline(first)}")
        lines += [_inline(line) for line in rest]
    return lines


def _table_lines(table: Table) -> list[str]:
    align = table.align or "l" * len(table.headers)
    widths = [max(len(cell) for cell in column) for column in zip(table.headers, *table.rows, strict=True)]
    pad = {"l": str.ljust, "r": str.rjust, "c": str.center}

    def line(cells: Sequence[str]) -> str:
        text = "  ".join(pad[a](cell, w) for cell, w, a in zip(cells, widths, align, strict=True)).rstrip()
        return html.escape(text, quote=False)

    return [line(table.headers), line(["-" * w for w in widths]), *map(line, table.rows)]


def _button_lines(buttons: Sequence[Button]) -> list[str]:
    lines = []
    for button in buttons:
        if button.url:
            lines.append(
                f'<a href="{html.escape(button.url, quote=True)}">{html.escape(button.label, quote=False)}</a>'
            )
        else:
            label = html.escape(button.label, quote=False)
            lines.append(f"{label}: <code>/{html.escape(button.action or '', quote=False)}</code>")
    return lines


def _footer(footer: Footer, now: datetime) -> str:
    line = html.escape(footer_line(footer, now), quote=False)
    return f"<i>{line}{' · simulated data' if footer.simulated else ''}</i>"


def _pack(blocks: Sequence[_Block], limit: int) -> list[str]:
    """Greedy packing: whole blocks when they fit, else line by line filling each message; a <pre> block is closed
    at the end of a message and reopened in the next."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        overhead = utf16_len("<pre></pre>") if block.pre else 0
        lines = [piece for raw in block.lines for piece in _fit(raw, limit - overhead, block.pre)]
        separator = "\n\n"
        chunk: list[str] = []
        for line in lines:
            room = limit - overhead - (utf16_len(current) + utf16_len(separator) if current else 0)
            if utf16_len("\n".join([*chunk, line])) <= room:
                chunk.append(line)
                continue
            if chunk:
                current = f"{current}{separator}{_wrap(chunk, block.pre)}" if current else _wrap(chunk, block.pre)
                separator = "\n"
            messages.append(current)
            current, chunk = "", [line]
        if chunk:
            current = f"{current}{separator}{_wrap(chunk, block.pre)}" if current else _wrap(chunk, block.pre)
    if current:
        messages.append(current)
    return [message for message in messages if message]


def _wrap(lines: Sequence[str], pre: bool) -> str:
    body = "\n".join(lines)
    return f"<pre>{body}</pre>" if pre else body


def _fit(line: str, budget: int, pre: bool) -> list[str]:
    """A line short enough for one message; an over-long one loses its markup and is cut into escaped pieces."""
    if utf16_len(line) <= budget:
        return [line]
    raw = html.unescape(line if pre else _TAG.sub("", line))
    step = max(1, budget // 6)  # escaping can grow a character to 6 ("&quot;"), surrogates count 2
    return [html.escape(raw[i : i + step], quote=False) for i in range(0, len(raw), step)]
