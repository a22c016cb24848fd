"""Inline keyboards: Reply buttons as url/callback buttons, Prev/Next page rows and choice pickers.

callback_data (at most 64 bytes) is "c:<command text>" for an action that fits, "k:<id>" for a longer action kept
in a TTL map, "p:<pages id>:<index>" for a page turn, "a:<choice index>" for a missing-parameter choice, "x" for a
button that does nothing (the page counter).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.ttl import TtlMap
from core.commands.model import Button

MAX_CALLBACK_DATA, BUTTONS_PER_ROW = 64, 2
RUN, STORED, PAGE, ANSWER, NOOP = "c", "k", "p", "a", "x"
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


class Keyboards:
    """Builds keyboards and remembers, for `ttl` seconds, the long actions and paged replies behind them."""

    def __init__(self, ttl: float = 3600.0, *, max_entries: int = 10_000) -> None:
        self._actions: TtlMap[str, str] = TtlMap(ttl, max_entries=max_entries)
        self._paged: TtlMap[str, Paged] = TtlMap(ttl, max_entries=max_entries)

    def action_data(self, action: str) -> str:
        """callback_data running `action`: inline when it fits in 64 bytes, else a short id."""
        data = f"{RUN}:{action}"
        if len(data.encode()) <= MAX_CALLBACK_DATA:
            return data
        key = secrets.token_urlsafe(9)
        self._actions.set(key, action)
        return f"{STORED}:{key}"

    def action_of(self, kind: str, payload: str) -> str | None:
        """The command text behind a RUN or STORED callback (None when it expired or is not an action)."""
        if kind == RUN:
            return payload
        return self._actions.get(payload) if kind == STORED else None

    def rows(self, buttons: Sequence[Button]) -> Rows:
        """The reply's buttons, two per row: url buttons open links, action buttons call back."""
        keys = [
            InlineKeyboardButton(b.label, url=b.url)
            if b.url
            else InlineKeyboardButton(b.label, callback_data=self.action_data(b.action or ""))
            for b in buttons
        ]
        return [keys[i : i + BUTTONS_PER_ROW] for i in range(0, len(keys), BUTTONS_PER_ROW)]

    def add_pages(self, pages: list[str], rows: Rows) -> str:
        """Remember a paged reply; its id for page callbacks."""
        key = secrets.token_urlsafe(6)
        self._paged.set(key, Paged(pages, rows))
        return key

    def paged(self, key: str) -> Paged | None:
        """A remembered paged reply, or None once it expired."""
        return self._paged.get(key)


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
