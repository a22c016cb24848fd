"""Open in game: show an item's market window in the client of one of the account's characters (ESI's open-window
route with the character's token, esi-ui.open_window.v1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.accounts.sso import SCOPE_OPEN_WINDOW, SsoError
from core.accounts.tokens import AccessToken, TokenSubject, TokenUnavailable

NO_CHARACTER = "no linked character allows opening windows: enable trading features on the panel or with /link trading"
SSO_DOWN = "EVE's login service is not answering right now; try again shortly"


class WindowError(ValueError):
    """An open-in-game request that cannot be done; str() is the user-facing message."""


class WindowRefused(Exception):
    """ESI refused the token: `expired` for a 401 (the login no longer works), else a 403 (the scope is missing)."""

    def __init__(self, expired: bool) -> None:
        self.expired = expired
        super().__init__("ESI refused the token" if expired else "the token lacks esi-ui.open_window.v1")


@dataclass(frozen=True)
class WindowCharacter:
    """A linked character whose stored scopes allow opening windows, and whether its login still works."""

    subject: TokenSubject
    name: str
    token_ok: bool


class WindowCharacters(Protocol):
    """The account's characters (adapters.postgres.profile.PgCharacterProfiles)."""

    async def scoped_characters(self, account_id: int, scope: str) -> list[WindowCharacter]:
        """The account's characters whose stored scopes include `scope`, by name."""
        ...

    async def account_trader(self, account_id: int) -> tuple[int, str] | None:
        """The account's trading character (id, name), or None."""
        ...


class WindowOpener(Protocol):
    """ESI's window routes (adapters.esi.ui.EsiUi)."""

    async def open_market_details(self, type_id: int, access_token: str) -> None:
        """Open the item's market window; WindowRefused when ESI refuses the token."""
        ...


class WindowTokens(Protocol):
    """Access tokens of linked characters (core.accounts.tokens.CharacterTokens)."""

    async def access_token(self, subject: TokenSubject) -> AccessToken:
        """A usable access token; TokenUnavailable when the character must sign in again."""
        ...

    async def forget(self, character_id: int) -> None:
        """Drop the cached token (ESI rejected it)."""
        ...


def expired(name: str) -> str:
    """The words for a character whose EVE login no longer works."""
    return f"sign in again: {name}'s EVE login has expired"


async def can_open_windows(store: WindowCharacters, account_id: int) -> bool:
    """Whether one of the account's characters was granted the open-window scope (an "Open in game" button helps)."""
    return bool(await store.scoped_characters(account_id, SCOPE_OPEN_WINDOW))


class MarketWindows:
    """Opens market windows in the client of the account's character: its trading character when that one may."""

    def __init__(self, store: WindowCharacters, tokens: WindowTokens, ui: WindowOpener) -> None:
        self._store, self._tokens, self._ui = store, tokens, ui

    async def can_open(self, account_id: int) -> bool:
        """Whether an "Open in game" button is worth showing to this account."""
        return await can_open_windows(self._store, account_id)

    async def character(self, account_id: int) -> WindowCharacter:
        """The character to open windows with: the trading character, else the first with a working login, else
        the first granted the scope (whose login must be renewed); WindowError when none was granted it."""
        granted = await self._store.scoped_characters(account_id, SCOPE_OPEN_WINDOW)
        if not granted:
            raise WindowError(NO_CHARACTER)
        trader = await self._store.account_trader(account_id)
        working = [c for c in granted if c.token_ok]
        preferred = [c for c in working if trader is not None and c.subject.character_id == trader[0]]
        return (preferred or working or granted)[0]

    async def open_market(self, account_id: int, type_id: int) -> str:
        """Open the item's market window in the chosen character's client; the character's name (WindowError with
        the words for the user when it cannot be done)."""
        chosen = await self.character(account_id)
        if not chosen.token_ok:
            raise WindowError(expired(chosen.name))
        try:
            try:
                await self._ui.open_market_details(type_id, (await self._tokens.access_token(chosen.subject)).token)
            except WindowRefused as refused:
                if not refused.expired:
                    raise
                await self._tokens.forget(chosen.subject.character_id)  # a cached token ESI no longer takes
                await self._ui.open_market_details(type_id, (await self._tokens.access_token(chosen.subject)).token)
        except TokenUnavailable:
            raise WindowError(expired(chosen.name)) from None
        except WindowRefused as refused:
            raise WindowError(expired(chosen.name) if refused.expired else NO_CHARACTER) from None
        except SsoError:
            raise WindowError(SSO_DOWN) from None
        return chosen.name
