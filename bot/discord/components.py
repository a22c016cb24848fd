"""Buttons under a rendered reply: Prev/Next pagers, link buttons and action buttons, with a small page store."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import discord

from bot.discord.render import Rendered

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


class PageStore:
    """Rendered replies and long action texts by short key: an LRU bounded in size, entries expire after `ttl`."""

    def __init__(self, *, size: int = 512, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[str, tuple[float, Rendered | str]] = OrderedDict()
        self._size, self._ttl, self._clock = size, ttl, clock

    def put(self, value: Rendered | str) -> str:
        """Keep `value`; return its key (8 URL-safe characters)."""
        key = secrets.token_urlsafe(6)
        self._entries[key] = (self._clock() + self._ttl, value)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return key

    def get(self, key: str) -> Rendered | str | None:
        """The value under `key`, or None when unknown or expired."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < self._clock():
            self._entries.pop(key, None)
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def __len__(self) -> int:
        return len(self._entries)


class StaticView(discord.ui.View):
    """A view that only carries components: clicks are handled in on_interaction, so discord.py stores nothing."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        """Never stored in discord.py's view store (our custom ids are routed by the adapter)."""
        return False


def build_view(rendered: Rendered, index: int, store: PageStore, key: str | None = None) -> StaticView | None:
    """The buttons for page `index`: Prev/page/Next when there are pages (stored under `key`), then the reply's."""
    view = StaticView()
    row = 0
    if len(rendered.pages) > 1:
        key = key or store.put(rendered)
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
        else:
            view.add_item(discord.ui.Button(label=label, custom_id=action_id(button.action or "", store), row=where))
    return view if view.children else None


def action_id(text: str, store: PageStore) -> str:
    """The custom_id of an action button: the text itself when it fits in 100 characters, else a stored key."""
    inline = f"{PREFIX}:a:{text}"
    return inline if len(inline) <= MAX_CUSTOM_ID else f"{PREFIX}:k:{store.put(text)}"


def parse_custom_id(custom_id: str) -> PageClick | ActionClick | None:
    """What a clicked component asks for, or None for components that are not ours."""
    prefix, _, rest = custom_id.partition(":")
    kind, _, value = rest.partition(":")
    if prefix != PREFIX or not value:
        return None
    if kind == "p":
        key, _, index = value.rpartition(":")
        return PageClick(key, int(index)) if key and index.isdigit() else None
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
