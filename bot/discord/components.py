"""Buttons under a rendered reply: Prev/Next pagers (pages kept in the PageStore), link buttons and action buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.discord.page_store import PageStore
from bot.discord.render import Rendered
from core.chat.model import Button
from core.digits import whole_number

PREFIX, MAX_CUSTOM_ID, MAX_LABEL, MAX_ROWS, PER_ROW = "evt", 100, 80, 5, 5


@dataclass(frozen=True)
class PageClick:
    """A Prev/Next click: show page `index` of the stored reply `key`."""

    key: str
    index: int


@dataclass(frozen=True)
class ActionClick:
    """An action button click: run `text` (e.g. "price tritanium amarr") as a command, or look it up by `key`."""

    text: str | None = None
    key: str | None = None


class StaticView(discord.ui.View):
    """A view that only carries components: clicks are handled in on_interaction, so discord.py stores nothing."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        """Never stored in discord.py's view store (our custom ids are routed by the adapter)."""
        return False


async def build_view(rendered: Rendered, index: int, store: PageStore, key: str | None = None) -> StaticView | None:
    """The buttons for page `index`: Prev/page/Next when there are pages (stored under `key`), then the reply's.

    When the pages or a long action cannot be kept (the state unreachable), their buttons are left out."""
    view = StaticView()
    row = 0
    if len(rendered.pages) > 1 and (key := key or await store.put_pages(rendered)) is not None:
        last = len(rendered.pages) - 1
        view.add_item(_pager("◀ Prev", key, index - 1, disabled=index <= 0))
        view.add_item(
            discord.ui.Button(label=f"{index + 1}/{last + 1}", disabled=True, custom_id=f"{PREFIX}:n:{key}", row=0)
        )
        view.add_item(_pager("Next ▶", key, index + 1, disabled=index >= last))
        row = 1
    slots = (MAX_ROWS - row) * PER_ROW
    for position, button in enumerate(rendered.buttons[:slots]):
        label = button.label[:MAX_LABEL] or "open"
        where = row + position // PER_ROW
        if button.url:
            view.add_item(discord.ui.Button(label=label, url=button.url, row=where))
        elif (custom_id := await action_id(button.action or "", store)) is not None:
            view.add_item(discord.ui.Button(label=label, custom_id=custom_id, row=where))
    return view if view.children else None


def inline_action_id(text: str) -> str | None:
    """The custom_id carrying an action's text itself, or None when it does not fit in 100 characters."""
    inline = f"{PREFIX}:a:{text}"
    return inline if len(inline) <= MAX_CUSTOM_ID else None


def action_view(buttons: Sequence[Button]) -> StaticView | None:
    """A row of action buttons with their text in the custom_id (alerts: no store needed); ones too long are left
    out, link buttons open their URL."""
    view = StaticView()
    for button in buttons[:PER_ROW]:
        if button.url:
            view.add_item(discord.ui.Button(label=button.label[:MAX_LABEL], url=button.url))
        elif (custom_id := inline_action_id(button.action or "")) is not None:
            view.add_item(discord.ui.Button(label=button.label[:MAX_LABEL], custom_id=custom_id))
    return view if view.children else None


async def action_id(text: str, store: PageStore) -> str | None:
    """The custom_id of an action button: the text itself when it fits in 100 characters, else a stored key (None
    when it cannot be kept)."""
    if (inline := inline_action_id(text)) is not None:
        return inline
    key = await store.put_action(text)
    return f"{PREFIX}:k:{key}" if key is not None else None


def parse_custom_id(custom_id: str) -> PageClick | ActionClick | None:
    """What a clicked component asks for, or None for components that are not ours."""
    prefix, _, rest = custom_id.partition(":")
    kind, _, value = rest.partition(":")
    if prefix != PREFIX or not value:
        return None
    if kind == "p":
        key, _, index = value.rpartition(":")
        number = whole_number(index, max_digits=3)
        return PageClick(key, number) if key and number is not None else None
    if kind == "a":
        return ActionClick(text=value)
    if kind == "k":
        return ActionClick(key=value)
    return None


def _pager(label: str, key: str, index: int, *, disabled: bool) -> discord.ui.Button[StaticView]:
    return discord.ui.Button(
        label=label,
        custom_id=f"{PREFIX}:p:{key}:{max(index, 0)}",
        disabled=disabled,
        row=0,
        style=discord.ButtonStyle.primary,
    )
