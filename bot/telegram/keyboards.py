"""Inline keyboards: Reply buttons as url/callback buttons, Prev/Next page rows and choice pickers.

callback_data (at most 64 bytes) is "c:<command text>" for an action that fits, "k:<key>" for a longer action kept
in the interaction state, "p:<pages key>:<index>" for a page turn, "a:<choice index>" for a missing-parameter
choice, "x" for a button that does nothing (the page counter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.state import InteractionState
from core.chat.model import Button

MAX_CALLBACK_DATA, BUTTONS_PER_ROW = 64, 2
RUN, STORED, PAGE, ANSWER, NOOP = "c", "k", "p", "a", "x"
ACTIONS, PAGES = "action", "pages"  # interaction state kinds
Rows = list[list[InlineKeyboardButton]]


@dataclass(frozen=True)
class Paged:
    """A long reply split into messages shown one at a time, and the reply's own button rows."""

    pages: list[str]
    rows: Rows


def parse_callback(data: str) -> tuple[str, str]:
    """Split callback_data into its kind (one of RUN, STORED, PAGE, ANSWER, NOOP) and payload."""
    kind, _, payload = data.partition(":")
    return kind, payload


def inline_action(action: str) -> str | None:
    """callback_data carrying `action` itself, or None when it does not fit in 64 bytes."""
    data = f"{RUN}:{action}"
    return data if len(data.encode()) <= MAX_CALLBACK_DATA else None


def action_markup(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One row of buttons whose actions fit in callback_data (alerts: no state needed); url buttons open links."""
    keys = []
    for button in buttons:
        if button.url:
            keys.append(InlineKeyboardButton(button.label, url=button.url))
        elif (data := inline_action(button.action or "")) is not None:
            keys.append(InlineKeyboardButton(button.label, callback_data=data))
    return InlineKeyboardMarkup([keys]) if keys else None


class Keyboards:
    """Builds keyboards and keeps, for `ttl` seconds in the shared state, the long actions and paged replies."""

    def __init__(self, state: InteractionState, ttl: float = 3600.0) -> None:
        self._state, self.ttl = state, ttl

    async def action_data(self, action: str) -> str | None:
        """callback_data running `action`: inline when it fits in 64 bytes, else a stored key (None when it cannot
        be kept)."""
        if (data := inline_action(action)) is not None:
            return data
        key = await self._state.put(ACTIONS, action.encode(), self.ttl)
        return f"{STORED}:{key}" if key is not None else None

    async def action_of(self, kind: str, payload: str) -> str | None:
        """The command text behind a RUN or STORED callback (None when it expired or is not an action)."""
        if kind == RUN:
            return payload
        stored = await self._state.get(ACTIONS, payload) if kind == STORED else None
        return stored.decode() if stored is not None else None

    async def rows(self, buttons: Sequence[Button]) -> Rows:
        """The reply's buttons, two per row: url buttons open links, action buttons call back (left out when their
        action cannot be kept)."""
        keys = []
        for b in buttons:
            if b.url:
                keys.append(InlineKeyboardButton(b.label, url=b.url))
            elif (data := await self.action_data(b.action or "")) is not None:
                keys.append(InlineKeyboardButton(b.label, callback_data=data))
        return [keys[i : i + BUTTONS_PER_ROW] for i in range(0, len(keys), BUTTONS_PER_ROW)]

    async def add_pages(self, paged: Paged) -> str | None:
        """Keep a paged reply; its key for page callbacks, or None when it cannot be kept."""
        rows = [[key.to_dict() for key in row] for row in paged.rows]
        return await self._state.put(PAGES, orjson.dumps({"pages": paged.pages, "rows": rows}), self.ttl)

    async def paged(self, key: str) -> Paged | None:
        """A kept paged reply, or None once it expired."""
        stored = await self._state.get(PAGES, key)
        if stored is None:
            return None
        data = orjson.loads(stored)
        rows = [[InlineKeyboardButton.de_json(key, None) for key in row] for row in data["rows"]]
        return Paged(data["pages"], rows)


def page_markup(key: str, index: int, paged: Paged) -> InlineKeyboardMarkup:
    """Prev / "n/N" / Next for page `index`, above the reply's own buttons."""
    count = len(paged.pages)
    nav = [InlineKeyboardButton("◀ Prev", callback_data=f"{PAGE}:{key}:{index - 1}")] if index > 0 else []
    nav.append(InlineKeyboardButton(f"{index + 1}/{count}", callback_data=NOOP))
    if index < count - 1:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=f"{PAGE}:{key}:{index + 1}"))
    return InlineKeyboardMarkup([nav, *paged.rows])


def choice_markup(choices: Sequence[str]) -> InlineKeyboardMarkup:
    """One button per choice (three to a row) answering a missing parameter."""
    keys = [InlineKeyboardButton(choice, callback_data=f"{ANSWER}:{i}") for i, choice in enumerate(choices)]
    return InlineKeyboardMarkup([keys[i : i + 3] for i in range(0, len(keys), 3)])
