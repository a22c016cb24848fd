"""Player-structure markets: the model, the ports (ESI, store, tokens), finding one (use cases: core/usecases).

A structure's book is ingested like a region's, into its own partition keyed by `market_id` (>= 90000001, no
region id reaches it): the snapshot swap stays one region-sized DROP + ATTACH and never waits on, or tears, the
region's own book (docs/domain.md).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.accounts.tokens import AccessToken, TokenSubject
from core.digits import whole_number

STRUCTURE_MARKET_BASE = 90_000_001  # first market id of a structure (migrations/0024_structure_markets.sql)
MIN_STRUCTURE_ID = 100_000_000  # NPC stations are 60-64 million; player structures are 10^12 and up
MAX_STRUCTURES_PER_ACCOUNT = 10


class StructureError(ValueError):
    """A structure market request that cannot be done; str() is the user-facing message."""


class StructureNotFound(StructureError):
    """No (single) structure market of the account matches what was asked for."""


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


@dataclass(frozen=True)
class TrackedStructure:
    """A tracked structure market with what the panel and /market list show beside it: its system's and region's
    names, the name of the character whose token reads it, and its stored book's age and last refresh error."""

    market: StructureMarket
    system_name: str | None
    region_name: str | None
    character_name: str | None
    as_of: datetime | None  # Last-Modified of the stored book; None: no market data yet
    last_error: str | None = None  # why the last refresh failed (access lost, ...); None when it worked


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

    async def tracked(self, account_id: int) -> list[TrackedStructure]:
        """One account's tracked structure markets with their place names, reading character and data age, by name."""
        ...

    async def names(self, structure_ids: Collection[int]) -> dict[int, str]:
        """The names of those structures that are tracked (the others are left out)."""
        ...

    async def remove(self, account_id: int, structure_id: int) -> bool:
        """Stop tracking one of the account's structures (its book is dropped); False when not the account's."""
        ...

    async def set_fee(self, account_id: int, structure_id: int, broker_fee: float | None) -> bool:
        """Set the owner's broker fee of one of the account's structures; False when not the account's."""
        ...


class TrackedMarkets(Protocol):
    """The tracked structure markets and the token subject of the character that added each (the refresh job)."""

    async def markets(self, account_id: int | None = None) -> list[StructureMarket]:
        """Every tracked structure market (or one account's)."""
        ...

    async def subject(self, character_id: int) -> TokenSubject | None:
        """The token subject of a linked character whose token works, or None."""
        ...


class TokenSource(Protocol):
    """Access tokens of linked characters (core.accounts.tokens.CharacterTokens)."""

    async def access_token(self, subject: TokenSubject) -> AccessToken:
        """A usable access token for the character."""
        ...


def find_market(markets: Sequence[StructureMarket], query: str | int) -> StructureMarket:
    """One tracked market by id (an int: that id only) or by (case-insensitive, unambiguous) name part, else
    StructureNotFound."""
    if isinstance(query, int):
        found = [m for m in markets if m.structure_id == query]
        if not found:
            raise StructureNotFound(f"no structure market {query} on your account; /market list shows yours")
        return found[0]
    wanted = " ".join(query.split()).lower()
    number = whole_number(wanted, max_digits=19)
    hits = [m for m in markets if m.structure_id == number or m.name.lower() == wanted] or [
        m for m in markets if wanted and wanted in m.name.lower()
    ]
    if len(hits) != 1:
        names = ", ".join(m.name for m in hits[:5]) if hits else "none matches"
        raise StructureNotFound(f"no single structure market matches {query!r} ({names}); /market list shows them")
    return hits[0]
