"""Render a neutral Reply as Discord embeds, paged within Discord's message limits (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import discord

from bot.console.render import footer_line
from core.chat.model import Button, Footer, Image, Reply, Table

MAX_TITLE, MAX_DESCRIPTION, MAX_FIELDS, MAX_FIELD_NAME, MAX_FIELD_VALUE = 256, 4096, 25, 256, 1024
MAX_FOOTER, MAX_EMBEDS, MAX_TOTAL = 2048, 10, 6000
FOOTER_BUDGET = 240  # characters kept free on every page for the footer ("source · data as of ... · page i/n")
COLOR, ERROR_COLOR = 0x3B82F6, 0xDC2626
CODE_FENCE = "```\n{}\n```"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Page:
    """One message: up to 10 embeds and the images they show (sent as attachments)."""

    embeds: list[discord.Embed]
    images: list[Image] = field(default_factory=list)


@dataclass(frozen=True)
class Rendered:
    """A reply ready for Discord: its pages, the buttons under them, and whether only the caller sees it."""

    pages: list[Page]
    buttons: list[Button] = field(default_factory=list)
    ephemeral: bool = False


@dataclass(frozen=True)
class _Atom:
    """A piece of the reply that stays whole: a text or table chunk (an embed description) or one field."""

    kind: str  # "text", "table" or "field"
    text: str
    name: str = ""
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.name) + len(self.text)


@dataclass
class _Draft:
    description: str | None = None
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    image: str | None = None


def render(reply: Reply, *, in_guild: bool = True, now: datetime | None = None, budget: int = MAX_TOTAL) -> Rendered:
    """The reply as pages of embeds (each page within `budget` characters and 10 embeds), buttons and visibility."""
    title = _cut(reply.title, MAX_TITLE) if reply.title else None
    room = budget - FOOTER_BUDGET - len(title or "")
    if room < MAX_FIELD_NAME + 64:
        raise ValueError(f"a page budget of {budget} characters is too small")
    images = _named_images(reply.images)
    pages = _pack(_atoms(reply, room), [image.filename for image in images], room)
    count = len(pages)
    color = ERROR_COLOR if reply.is_error else COLOR
    rendered_pages = []
    for number, drafts in enumerate(pages, start=1):
        embeds = [_embed(draft, color) for draft in drafts]
        if title:
            embeds[0].title = title
        _set_footer(embeds[-1], reply.footer, number, count, now or datetime.now(UTC))
        shown = {draft.image for draft in drafts if draft.image}
        rendered_pages.append(Page(embeds, [image for image in images if image.filename in shown]))
    return Rendered(rendered_pages, list(reply.buttons), ephemeral=in_guild and (reply.ephemeral or reply.is_error))


def page_size(page: Page) -> int:
    """Characters of a page as Discord counts them against the 6000 total."""
    return sum(len(embed) for embed in page.embeds)


def table_lines(table: Table) -> list[str]:
    """A table as aligned monospace lines: header, rule, rows (backticks replaced so code blocks stay closed)."""
    align = table.align or "l" * len(table.headers)
    widths = [max(len(cell) for cell in column) for column in zip(table.headers, *table.rows, strict=True)]
    pad = {"l": str.ljust, "r": str.rjust, "c": str.center}

    def line(cells: Sequence[str]) -> str:
        text = "  ".join(pad[a](cell, w) for cell, w, a in zip(cells, widths, align, strict=True)).rstrip()
        return text.replace("`", "'")

    return [line(table.headers), line(["-" * w for w in widths]), *map(line, table.rows)]


def _atoms(reply: Reply, room: int) -> Iterator[_Atom]:
    """The reply in order as small pieces: text chunks, fields (long values split), table chunks."""
    limit = min(MAX_DESCRIPTION, room)
    if reply.text:
        for chunk in _chunks(_text(reply), limit):
            yield _Atom("text", chunk)
    for item in reply.fields:
        name = _cut(item.name, MAX_FIELD_NAME) or "\u200b"
        pieces = _chunks(item.value, min(MAX_FIELD_VALUE, room - len(name))) or ["\u200b"]
        for index, piece in enumerate(pieces):
            yield _Atom("field", piece, name if index == 0 else "\u200b", item.inline and len(pieces) == 1)
    overhead = len(CODE_FENCE.format(""))
    for table in reply.tables:
        lines = table_lines(table)
        head, body = lines[:2], lines[2:] or [""]
        for chunk in _chunks("\n".join(body), limit - overhead - len("\n".join(head)) - 1) or [""]:
            yield _Atom("table", CODE_FENCE.format("\n".join([*head, chunk])))


def _pack(atoms: Iterator[_Atom], images: list[str], room: int) -> list[list[_Draft]]:
    """Greedy: text and table pieces start an embed, fields join the last one; a page closes when full."""
    pages: list[list[_Draft]] = [[]]
    used = 0
    for atom in atoms:
        page = pages[-1]
        joins = atom.kind == "field" and bool(page) and len(page[-1].fields) < MAX_FIELDS
        if used + atom.size > room or (not joins and len(page) >= MAX_EMBEDS):
            pages.append(page := [])
            used, joins = 0, False
        if atom.kind == "field":
            if not joins:
                page.append(_Draft())
            page[-1].fields.append((atom.name, atom.text, atom.inline))
        else:
            page.append(_Draft(description=atom.text))
        used += atom.size
    for name in images:
        page = pages[-1]
        if page and page[-1].image is None:
            page[-1].image = name
        else:
            if len(page) >= MAX_EMBEDS:
                pages.append(page := [])
            page.append(_Draft(image=name))
    if not pages[-1]:
        pages[-1].append(_Draft(description="(empty reply)") if len(pages) == 1 else _Draft())
    return [page for page in pages if page]


def _embed(draft: _Draft, color: int) -> discord.Embed:
    embed = discord.Embed(description=draft.description, color=color)
    for name, value, inline in draft.fields:
        embed.add_field(name=name, value=value, inline=inline)
    if draft.image:
        embed.set_image(url=f"attachment://{draft.image}")
    return embed


def _set_footer(embed: discord.Embed, footer: Footer | None, number: int, count: int, now: datetime) -> None:
    parts = [footer_line(footer, now)] if footer else []
    if footer and footer.simulated:
        parts.append("simulated data")
    if count > 1:
        parts.append(f"page {number}/{count}")
    if parts:
        embed.set_footer(text=_cut(" · ".join(parts), min(MAX_FOOTER, FOOTER_BUDGET)))
    if footer and footer.as_of:
        embed.timestamp = footer.as_of if footer.as_of.tzinfo else footer.as_of.replace(tzinfo=UTC)


def _text(reply: Reply) -> str:
    if not reply.is_error:
        return reply.text
    message, _, usage = reply.text.partition("\nusage: ")
    return f"⚠️ {message}" + (f"\nusage: `{usage}`" if usage else "")


def _chunks(text: str, limit: int) -> list[str]:
    """Split text into pieces of at most `limit` characters, at line breaks when possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if current and len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current:
        pieces.append(current)
    return pieces


def _cut(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _named_images(images: Sequence[Image]) -> list[Image]:
    """Images with safe, unique file names (attachment://name must match the upload exactly)."""
    named: list[Image] = []
    seen: set[str] = set()
    for image in images:
        stem = _UNSAFE.sub("_", image.filename.rsplit(".", 1)[0]).strip("._") or "image"
        name, attempt = f"{stem}.png", 1
        while name in seen:
            attempt += 1
            name = f"{stem}-{attempt}.png"
        seen.add(name)
        named.append(Image(image.png, image.alt, name))
    return named
