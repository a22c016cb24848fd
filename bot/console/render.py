"""Render a neutral Reply as terminal text: plain aligned text, or colour and boxes through rich
(bot.console.render_rich, imported for colour only)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.chat.model import Footer, Reply, Table

_CODE = re.compile(r"`([^`\n]*)`")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def render_text(
    reply: Reply, *, color: bool, image_paths: Sequence[Path] = (), now: datetime | None = None, width: int = 0
) -> str:
    """The whole reply as terminal text; `image_paths` (from save_images) are mentioned next to their alt text."""
    if color:
        from bot.console.render_rich import render_rich

        return render_rich(reply, image_paths=image_paths, now=now or datetime.now(UTC), width=width)
    blocks: list[str] = []
    head = [_plain(reply.title)] if reply.title else []
    if reply.text:
        head.append(error_line(reply.text) if reply.is_error else _plain(reply.text))
    if head:
        blocks.append("\n".join(head))
    if reply.fields:
        blocks.append(_fields([(_plain(f.name), _plain(f.value)) for f in reply.fields]))
    blocks += [_plain_table(table) for table in reply.tables]
    if reply.images:
        blocks.append(image_lines(reply, image_paths))
    if reply.buttons:
        blocks.append(_fields([(b.label, b.url or f"/{b.action}") for b in reply.buttons]))
    if reply.footer:
        blocks.append(
            footer_line(reply.footer, now or datetime.now(UTC)) + ("\nSIMULATED DATA" if reply.footer.simulated else "")
        )
    return "\n\n".join(blocks)


def image_lines(reply: Reply, image_paths: Sequence[Path]) -> str:
    """A line per image of the reply: where it was saved (`image_paths`, in order), and its alt text."""
    paths: list[Path | None] = [*image_paths, *[None] * len(reply.images)]
    return "\n".join(_image_line(image.alt, path) for image, path in zip(reply.images, paths, strict=False))


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


def plain(text: str) -> str:
    """Text without its `code` marks."""
    return _plain(text)


def code_spans(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is code) pairs at its `code` marks, the marks dropped."""
    pieces, position = [], 0
    for match in _CODE.finditer(text):
        pieces += [(text[position : match.start()], False), (match.group(1), True)]
        position = match.end()
    return [*pieces, (text[position:], False)]


def error_line(text: str) -> str:
    """An error reply's text as "error: ..." with its usage line, if any."""
    message, _, usage = _plain(text).partition("\nusage: ")
    return f"error: {message}" + (f"\nusage: {usage}" if usage else "")


def field_lines(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each field's label padded to the widest and its value indented under it."""
    width = max(len(name) for name, _ in pairs) + 2
    return [(f"{name}:".ljust(width), value.replace("\n", "\n" + " " * width)) for name, value in pairs]


def _fields(pairs: list[tuple[str, str]]) -> str:
    return "\n".join((label + body).rstrip() for label, body in field_lines(pairs))


def _plain_table(table: Table) -> str:
    align = table.align or "l" * len(table.headers)
    widths = [max(len(cell) for cell in column) for column in zip(table.headers, *table.rows, strict=True)]
    pad = {"l": str.ljust, "r": str.rjust, "c": str.center}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad[a](cell, w) for cell, w, a in zip(cells, widths, align, strict=True)).rstrip()

    return "\n".join([line(table.headers), line(["-" * w for w in widths]), *map(line, table.rows)])


def _image_line(alt: str, path: Path | None) -> str:
    return f"image: {path} ({alt})" if path else f"image: {alt} (not saved)"
