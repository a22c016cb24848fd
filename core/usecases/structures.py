"""Structure markets' use cases (issue 16): add one by name or id with a character's token, list, remove, set its fee.

/market, the panel and the JSON API call these; each returns a frozen dataclass or raises StructureError (whose
str() is the message for the user) and then changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from core.accounts.sso import SCOPE_READ_STRUCTURES, SCOPE_STRUCTURE_MARKETS
from core.accounts.tokens import TokenSubject
from core.catalog import Catalog
from core.digits import whole_number
from core.formatting import age_text
from core.market.structures import (
    MAX_STRUCTURES_PER_ACCOUNT,
    MIN_STRUCTURE_ID,
    StructureError,
    StructureEsi,
    StructureMarket,
    StructureStore,
    TokenSource,
    TrackedStructure,
    find_market,
)

MAX_BROKER_FEE_PERCENT = 50.0
MAX_STRUCTURE_ID = 2**63 - 1  # ids are 64-bit; a longer number is nobody's structure


@dataclass(frozen=True)
class StructureCharacter:
    """One of the account's characters whose working token grants structure market access (it can add one)."""

    character_id: int
    name: str


def market_data(market: StructureMarket) -> dict[str, object]:
    """A structure market as /market's replies and the JSON API show it (README documents these keys)."""
    return {
        "structure_id": market.structure_id,
        "market_id": market.market_id,
        "name": market.name,
        "solar_system_id": market.solar_system_id,
        "region_id": market.region_id,
        "broker_fee": market.broker_fee,
    }


@dataclass(frozen=True)
class StructureList:
    """An account's structure markets (place names, reading character, data age) and the characters that can add."""

    markets: tuple[TrackedStructure, ...]
    characters: tuple[StructureCharacter, ...]
    now: datetime

    def age(self, tracked: TrackedStructure) -> str:
        """How old a structure's stored book is, in words ("no market data yet" before its first refresh)."""
        return age_text(tracked.as_of, self.now)

    def as_data(self) -> dict[str, object]:
        """The machine-readable form: each market's keys plus its names, reader and data age; the characters."""
        return {
            "markets": [
                {
                    **market_data(t.market),
                    "system_name": t.system_name,
                    "region_name": t.region_name,
                    "character_id": t.market.character_id,
                    "character_name": t.character_name,
                    "data_as_of": t.as_of.isoformat() if t.as_of is not None else None,
                    "data_age": self.age(t),
                    "last_error": t.last_error,
                }
                for t in self.markets
            ],
            "characters": [{"character_id": c.character_id, "name": c.name} for c in self.characters],
        }


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StructureMarkets:
    """Add a structure one of the account's characters can trade at, list, remove, set its owner's broker fee."""

    def __init__(
        self,
        esi: StructureEsi,
        store: StructureStore,
        tokens: TokenSource,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._esi = esi
        self._store = store
        self._tokens = tokens
        self._clock = clock

    async def characters(self, account_id: int) -> tuple[StructureCharacter, ...]:
        """The account's characters that can add a structure market (a working token with the market scope)."""
        found = await self._store.subjects(account_id, SCOPE_STRUCTURE_MARKETS)
        return tuple(StructureCharacter(subject.character_id, name) for subject, name in found)

    async def add(self, account_id: int, query: str, character_id: int | None = None) -> StructureMarket:
        """Find the structure (id, or name through search), check docking and market access, then track it; with
        `character_id` only that character's token is tried, else each able character's in turn."""
        candidates = await self._store.subjects(account_id, SCOPE_STRUCTURE_MARKETS)
        if not candidates:
            raise StructureError(
                "none of your characters has granted structure market access: use /link trading and sign in"
                f" again, allowing {SCOPE_STRUCTURE_MARKETS} and {SCOPE_READ_STRUCTURES}"
            )
        if character_id is not None:
            candidates = [(s, n) for s, n in candidates if s.character_id == character_id]
            if not candidates:
                raise StructureError("that character is not yours or has not granted structure market access")
        if len(await self._store.markets(account_id)) >= MAX_STRUCTURES_PER_ACCOUNT:
            raise StructureError(f"you track {MAX_STRUCTURES_PER_ACCOUNT} structure markets already; remove one first")
        wanted = " ".join(query.split())
        number = whole_number(wanted, max_digits=19)
        if number is None and len(wanted) < 3:
            raise StructureError("give 3 characters or more of the structure's name, or its id")
        denied = ""
        for subject, _name in candidates:
            token = (await self._tokens.access_token(subject)).token
            structure_id = number if number is not None else await self._search(subject, wanted, token)
            if structure_id is None:
                continue
            if not MIN_STRUCTURE_ID <= structure_id <= MAX_STRUCTURE_ID:
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
        found = await self._esi.search(subject.character_id, text, token)
        if len(found) > 1:
            raise StructureError(f"{len(found)} structures match {text!r}: give more of the name, or the id")
        return found[0] if found else None

    async def all(self) -> list[StructureMarket]:
        """Every tracked structure market (they are locations for everyone on this evetrader)."""
        return await self._store.markets()

    async def of_account(self, account_id: int) -> list[StructureMarket]:
        """The account's own tracked structure markets, by name (/compare lists them after the hubs)."""
        return await self._store.markets(account_id)

    async def list(self, account_id: int) -> StructureList:
        """The account's tracked structure markets with their data age, and the characters that can add one."""
        tracked = await self._store.tracked(account_id)
        return StructureList(tuple(tracked), await self.characters(account_id), self._clock())

    async def remove(self, account_id: int, query: str | int) -> StructureMarket:
        """Stop tracking one of the account's structures, found by id or name (its stored orders are dropped)."""
        market = find_market(await self._store.markets(account_id), query)
        await self._store.remove(account_id, market.structure_id)
        return market

    async def set_fee(self, account_id: int, query: str | int, percent: float | None) -> StructureMarket:
        """Set (None: clear) the owner's broker fee in percent, 0-50, of one of the account's structures."""
        if percent is not None and not 0 <= percent <= MAX_BROKER_FEE_PERCENT:  # NaN fails both comparisons too
            raise StructureError("a structure's broker fee is a percentage between 0 and 50")
        market = find_market(await self._store.markets(account_id), query)
        fee = None if percent is None else percent / 100
        await self._store.set_fee(account_id, market.structure_id, fee)
        return replace(market, broker_fee=fee)


async def publish(catalog: object, markets: StructureMarkets) -> None:
    """Tell this process's catalog every tracked structure, so a change resolves at once (no catalog: nothing)."""
    if isinstance(catalog, Catalog):
        catalog.set_structures(await markets.all())
