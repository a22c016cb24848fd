"""Account use cases: start a /link, enable trading, list and unlink an account's EVE characters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.accounts.linking import (
    LINK_CODE_TTL_S,
    CharacterStore,
    LinkCodeStore,
    LinkedCharacter,
    LinkRequest,
    TokenRevoker,
    unlink_character,
)
from core.accounts.sso import SCOPE_PURPOSES, TRADING_SCOPES
from core.chat.params import ArgumentError
from core.trading.book import WalletHistory
from core.trading.notify import NoticeSettings
from core.trading.orders import TraderStore
from core.trading.windows import MarketWindows

if TYPE_CHECKING:  # carried for /market and /compare only: no account use case calls it
    from core.usecases.structures import StructureMarkets

TOKEN_HEALTH = {"ok": "ok", "invalid": "sign in again", "revoked": "revoked"}


@dataclass(frozen=True)
class AccountServices:
    """What the account commands need: link codes, the character store, SSO revocation and the panel's URL."""

    link_codes: LinkCodeStore
    characters: CharacterStore
    public_url: str
    revoker: TokenRevoker | None = None
    wallet: WalletHistory | None = None  # the characters' stored wallets (/profit, /sales)
    trader: TraderStore | None = None  # the characters' orders, fee profiles and assets (/orders, /assets)
    notices: NoticeSettings | None = None  # what sales notices announce and where (/settings notices)
    structures: StructureMarkets | None = None  # the tracked player-structure markets (/market, /compare)
    windows: MarketWindows | None = None  # opening market windows in a character's client (/market open)

    def panel_url(self, path: str) -> str:
        """The panel's address of `path` (which starts with a slash)."""
        return self.public_url.rstrip("/") + path


class NoCharacterLinked(ArgumentError):
    """The account has no EVE character yet, so there is none to grant the trading scopes."""


class NotYourCharacter(ArgumentError):
    """The character named is not one of the account's (or was unlinked meanwhile)."""


@dataclass(frozen=True)
class LinkStart:
    """A one-time panel link tying a chat identity to its account: a secret, for its owner's eyes only."""

    url: str = field(repr=False)
    expires_in_s: int

    def as_data(self) -> dict[str, object]:
        """The machine-readable form of the /link reply."""
        return {"url": self.url, "expires_in_s": self.expires_in_s}


@dataclass(frozen=True)
class TradingSignIn:
    """The panel sign-in that asks EVE for the trading scopes, and what each scope enables."""

    url: str
    scopes: tuple[tuple[str, str], ...]  # (scope, what it enables)

    def as_data(self) -> dict[str, object]:
        """The machine-readable form of the /link trading reply."""
        return {"url": self.url, "scopes": [scope for scope, _ in self.scopes]}


@dataclass(frozen=True)
class CharacterAccess:
    """A linked character with what its token allows: each trading scope granted or not; whether to sign in again."""

    character: LinkedCharacter
    trading_scopes: tuple[tuple[str, str, bool], ...]  # (scope, what it enables, granted)

    @property
    def health(self) -> str:
        """The token's state for people: ok, sign in again, revoked."""
        return TOKEN_HEALTH.get(self.character.token_status, "?")

    @property
    def needs_sign_in(self) -> bool:
        """True when the character's token no longer works (a new EVE sign-in fixes it)."""
        return self.character.token_status != "ok"

    @property
    def trading_incomplete(self) -> bool:
        """True when some trading scope is not granted (the 'Enable trading features' sign-in adds it)."""
        return not all(granted for _, _, granted in self.trading_scopes)


@dataclass(frozen=True)
class LinkedCharacters:
    """An account's linked characters, by name."""

    characters: tuple[CharacterAccess, ...]

    def as_data(self) -> dict[str, object]:
        """The machine-readable form of the /characters reply."""
        return {
            "characters": [
                {"id": c.character.character_id, "name": c.character.name, "token": c.character.token_status}
                for c in self.characters
            ]
        }


@dataclass(frozen=True)
class Unlinked:
    """The character that was unlinked (its token is gone from evetrader and revoked at EVE SSO when reachable)."""

    character_id: int
    name: str


async def start_link(services: AccountServices, request: LinkRequest) -> LinkStart:
    """Issue a one-time link code for this chat identity and the panel page that redeems it."""
    code = await services.link_codes.issue(request)
    return LinkStart(services.panel_url(f"/link/{code}"), LINK_CODE_TTL_S)


async def enable_trading(services: AccountServices, account_id: int) -> TradingSignIn:
    """The sign-in that grants a character the trading scopes; NoCharacterLinked when the account has none."""
    if not await services.characters.characters(account_id):
        raise NoCharacterLinked("link an EVE character first: run /link, then /link trading")
    scopes = tuple((scope, SCOPE_PURPOSES[scope]) for scope in TRADING_SCOPES)
    return TradingSignIn(services.panel_url("/auth/login?scopes=trading"), scopes)


def _access(character: LinkedCharacter) -> CharacterAccess:
    granted = set(character.scopes)
    scopes = tuple((scope, SCOPE_PURPOSES[scope], scope in granted) for scope in TRADING_SCOPES)
    return CharacterAccess(character, scopes)


async def list_characters(store: CharacterStore, account_id: int) -> LinkedCharacters:
    """The account's characters with their token health and trading scopes."""
    return LinkedCharacters(tuple(_access(c) for c in await store.characters(account_id)))


async def unlink_own_character(
    store: CharacterStore, revoker: TokenRevoker | None, account_id: int, wanted: str | int
) -> Unlinked:
    """Unlink one of the account's characters (an id, or text: its name or id) and revoke its token at EVE SSO.

    NotYourCharacter when no character of the account matches, or it was unlinked meanwhile.
    """
    linked = await store.characters(account_id)
    if isinstance(wanted, int):
        match = [c for c in linked if c.character_id == wanted]
    else:
        key = " ".join(wanted.split()).lower()
        match = [c for c in linked if c.name.lower() == key or str(c.character_id) == key]
    if not match:
        names = ", ".join(c.name for c in linked) or "none"
        raise NotYourCharacter(f"character: {str(wanted)!r} is not one of your characters (yours: {names})")
    found = match[0]
    if not await unlink_character(store, revoker, account_id, found.character_id):
        raise NotYourCharacter(f"character: {found.name} was already unlinked")
    return Unlinked(found.character_id, found.name)
