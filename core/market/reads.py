"""What the commands read: quotes, books and history of the live snapshots (a port adapters implement)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, Protocol

from core.market.finders import BookLevel
from core.market.model import HistoryRow, Quote, SnapshotMeta


@dataclass(frozen=True)
class Book:
    """Both sides of one type's book at one location: buys best (highest) first, sells best (lowest) first."""

    type_id: int
    location_id: int
    buys: Sequence[BookLevel] = field(default_factory=tuple)
    sells: Sequence[BookLevel] = field(default_factory=tuple)


class TopOfBook(NamedTuple):
    """A type's best prices, order counts and depths (units within 5% of the best) at one location, from its quote."""

    best_buy: float | None
    best_sell: float | None
    buy_orders: int
    sell_orders: int
    buy_depth: int
    sell_depth: int

    @classmethod
    def of(cls, quote: Quote) -> TopOfBook:
        """The top of book a quote holds."""
        q = quote
        return cls(q.best_buy, q.best_sell, q.buy_orders, q.sell_orders, q.buy_depth, q.sell_depth)


class MarketReader(Protocol):
    """Read access to the live market data (hot cache first where there is one)."""

    async def quote(self, region_id: int, location_id: int, type_id: int) -> Quote | None:
        """One type's quote at a location, or None when nobody trades it there."""
        ...

    async def quotes(self, region_id: int, location_id: int, type_ids: Sequence[int]) -> dict[int, Quote]:
        """Quotes of several types at one location (types without orders are left out)."""
        ...

    async def book(self, region_id: int, location_id: int, type_id: int) -> Book:
        """The whole book of one type at one location."""
        ...

    async def region_book(self, region_id: int, type_id: int) -> Book:
        """One type's book over every location of a region (for markets without a trade station, like PLEX)."""
        ...

    async def top_of_book(self, region_id: int, location_id: int) -> dict[int, TopOfBook]:
        """The top of book of every type traded at a location, from the snapshot's quotes (cheap: no book read)."""
        ...

    async def books_at(
        self, region_id: int, location_id: int, type_ids: Sequence[int] | None = None
    ) -> dict[int, Book]:
        """Every type's book at one location, or only those of `type_ids` (station trading walks them)."""
        ...

    async def fillable_books(self, region_id: int, location_id: int, type_ids: Sequence[int]) -> dict[int, Book]:
        """What a player at a station can fill now, per type: the station's sells, and one buy level per order
        (with its min_volume) of the station's buy orders and the region's buy orders whose range reaches it.

        Reach: "region" anywhere in the region, "solarsystem" in the order's system, a number of jumps within that
        many jumps of the order's system. No stargate graph is stored, so a jump range counts only inside the
        order's own system (0 jumps): an under-count, never a price the player cannot get.
        """
        ...

    async def best_buy_in_range(
        self, region_id: int, location_id: int, type_id: int, quantity: int = 1
    ) -> float | None:
        """The best price a sale of `quantity` units at the station gets now: the best of fillable_books' buy levels
        that accepts the fill (core.market.finders.best_fillable), read as one number."""
        ...

    async def history(self, region_id: int, type_id: int, since: date | None = None) -> list[HistoryRow]:
        """Daily history rows, oldest first."""
        ...

    async def daily_volumes(self, region_id: int, type_ids: Sequence[int], days: int = 30) -> dict[int, float]:
        """Average daily traded volume over the last `days` days, per type with history."""
        ...

    async def snapshot(self, region_id: int) -> SnapshotMeta | None:
        """The region's snapshot metadata (for data age in reply footers)."""
        ...
