"""Player-structure markets: adding one with a character's token, listing, removing, and its broker fee setting.

A structure's book is ingested like a region's, into its own partition keyed by `market_id` (>= 90000001, no
region id reaches it): the snapshot swap stays one region-sized DROP + ATTACH and never waits on, or tears, the
region's own book (docs/domain.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.accounts.sso import SCOPE_READ_STRUCTURES, SCOPE_STRUCTURE_MARKETS
from core.accounts.tokens import AccessToken, TokenSubject
from core.digits import whole_number

STRUCTURE_MARKET_BASE = 90_000_001  # first market id of a structure (migrations/0024_structure_markets.sql)
MIN_STRUCTURE_ID = 100_000_000  # NPC stations are 60-64 million; player structures are 10^12 and up
MAX_STRUCTURES_PER_ACCOUNT = 10


class StructureError(ValueError):
    """A structure market request that cannot be done; str() is the user-facing message."""


@dataclass(frozen=True)
class StructureInfo:
    """What GET /universe/structures/{id}/ says about a structure."""

    structure_id: int
    name: str
    solar_system_id: int
    owner_id: int | None
    type_id: int | None


@dataclass(frozen=True)
class StructureMarket:
    """A tracked structure market: where it is, whose token ingests it and its owner's broker fee (None: unset)."""

    structure_id: int
    market_id: int
    name: str
    solar_system_id: int
    region_id: int | None
    account_id: int
    character_id: int
    broker_fee: float | None = None


def is_structure_market(market_id: int) -> bool:
    """True for a structure's market id (its partition key), False for a region id."""
    return market_id >= STRUCTURE_MARKET_BASE


class StructureEsi(Protocol):
    """ESI's structure routes with a character's token (adapters.esi.structures.EsiStructures)."""

    async def info(self, structure_id: int, token: str) -> StructureInfo:
        """The structure's name and place; StructureError when unknown or the character may not dock."""
        ...

    async def search(self, character_id: int, text: str, token: str) -> list[int]:
        """Ids of structures the character may dock at whose name contains `text`."""
        ...

    async def check_market(self, structure_id: int, token: str) -> None:
        """Read the market's first page; StructureError when the character has no market access."""
        ...


class StructureStore(Protocol):
    """The tracked structure markets (adapters.postgres.structure_markets.PgStructureMarkets)."""

    async def subjects(self, account_id: int, scope: str) -> list[tuple[TokenSubject, str]]:
        """The account's characters (subject, name) with a working token granting `scope`."""
        ...

    async def add(self, info: StructureInfo, subject: TokenSubject) -> StructureMarket | None:
        """Track the structure with the subject's token; None when it is tracked already."""
        ...

    async def markets(self, account_id: int | None = None) -> list[StructureMarket]:
        """Every tracked structure market (or one account's), by name."""
        ...

    async def remove(self, account_id: int, structure_id: int) -> bool:
        """Stop tracking one of the account's structures (its book is dropped); False when not the account's."""
        ...

    async def set_fee(self, account_id: int, structure_id: int, broker_fee: float | None) -> bool:
        """Set the owner's broker fee of one of the account's structures; False when not the account's."""
        ...


class TokenSource(Protocol):
    """Access tokens of linked characters (core.accounts.tokens.CharacterTokens)."""

    async def access_token(self, subject: TokenSubject) -> AccessToken:
        """A usable access token for the character."""
        ...


def find_market(markets: Sequence[StructureMarket], query: str) -> StructureMarket:
    """One tracked market by id or (case-insensitive, unambiguous) name part; StructureError otherwise."""
    wanted = " ".join(query.split()).lower()
    number = whole_number(wanted, max_digits=19)
    hits = [m for m in markets if m.structure_id == number or m.name.lower() == wanted] or [
        m for m in markets if wanted and wanted in m.name.lower()
    ]
    if len(hits) != 1:
        names = ", ".join(m.name for m in hits[:5]) if hits else "none matches"
        raise StructureError(f"no single structure market matches {query!r} ({names}); /market list shows them")
    return hits[0]


class StructureMarkets:
    """The /market use cases: add a structure the caller's character can trade at, list, remove, set its fee."""

    def __init__(self, esi: StructureEsi, store: StructureStore, tokens: TokenSource) -> None:
        self._esi = esi
        self._store = store
        self._tokens = tokens

    async def add(self, account_id: int, query: str) -> StructureMarket:
        """Find the structure (id, or name through search), check docking and market access, then track it."""
        candidates = await self._store.subjects(account_id, SCOPE_STRUCTURE_MARKETS)
        if not candidates:
            raise StructureError(
                "none of your characters has granted structure market access: use /link trading and sign in"
                f" again, allowing {SCOPE_STRUCTURE_MARKETS} and {SCOPE_READ_STRUCTURES}"
            )
        if len(await self._store.markets(account_id)) >= MAX_STRUCTURES_PER_ACCOUNT:
            raise StructureError(f"you track {MAX_STRUCTURES_PER_ACCOUNT} structure markets already; remove one first")
        wanted = " ".join(query.split())
        number = whole_number(wanted, max_digits=19)
        denied = ""
        for subject, _name in candidates:
            token = (await self._tokens.access_token(subject)).token
            structure_id = number if number is not None else await self._search(subject, wanted, token)
            if structure_id is None:
                continue
            if structure_id < MIN_STRUCTURE_ID:
                raise StructureError(f"{structure_id} is not a player structure id (NPC stations are priced as is)")
            try:
                info = await self._esi.info(structure_id, token)
                await self._esi.check_market(structure_id, token)
            except StructureError as exc:
                denied = str(exc)
                continue
            added = await self._store.add(info, subject)
            if added is None:
                raise StructureError(f"{info.name} is tracked already: price there with /price <item> {info.name}")
            return added
        raise StructureError(denied or f"none of your characters can see a structure named {wanted!r}")

    async def _search(self, subject: TokenSubject, text: str, token: str) -> int | None:
        if len(text) < 3:
            raise StructureError("give 3 characters or more of the structure's name, or its id")
        found = await self._esi.search(subject.character_id, text, token)
        if len(found) > 1:
            raise StructureError(f"{len(found)} structures match {text!r}: give more of the name, or the id")
        return found[0] if found else None

    async def all(self) -> list[StructureMarket]:
        """Every tracked structure market (they are locations for everyone on this evetrader)."""
        return await self._store.markets()

    async def list(self, account_id: int) -> list[StructureMarket]:
        """The account's tracked structure markets."""
        return await self._store.markets(account_id)

    async def remove(self, account_id: int, query: str) -> StructureMarket:
        """Stop tracking one of the account's structures, found by id or name."""
        market = find_market(await self._store.markets(account_id), query)
        await self._store.remove(account_id, market.structure_id)
        return market

    async def set_fee(self, account_id: int, query: str, percent: float | None) -> StructureMarket:
        """Set (None: clear) the owner's broker fee in percent, 0-50, of one of the account's structures."""
        if percent is not None and not 0 <= percent <= 50:
            raise StructureError("a structure's broker fee is a percentage between 0 and 50")
        market = find_market(await self._store.markets(account_id), query)
        fee = None if percent is None else percent / 100
        await self._store.set_fee(account_id, market.structure_id, fee)
        return StructureMarket(**{**market.__dict__, "broker_fee": fee})
