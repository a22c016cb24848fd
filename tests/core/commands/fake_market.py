"""An in-memory MarketReader for the market command tests: hand-written books, history rows and snapshot meta.

Quotes are computed from the books with core.market.quotes (side_stats, the maths the SQL mirrors), so a test's
quote and book of one type always agree. Every read is recorded in `calls` for assertions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from core.market.finders import BookLevel, best_fillable
from core.market.model import HistoryRow, Quote, SnapshotMeta, SnapshotStatus
from core.market.quotes import quote_from_levels
from core.market.reads import Book, TopOfBook

AS_OF = datetime(2025, 5, 20, 11, 30, tzinfo=UTC)
TODAY = AS_OF.date()
Orders = Iterable[tuple[float, int] | tuple[float, int, int]]  # (price, volume[, min_volume])


class FakeMarket:
    """core.market.reads.MarketReader over books and history given by hand (see the module docstring)."""

    def __init__(self, *, as_of: datetime = AS_OF, today: date | None = None) -> None:
        self.as_of = as_of
        self.today = today if today is not None else as_of.date()
        self._books: dict[tuple[int, int], dict[int, Book]] = {}  # (region, location) -> type -> book
        self._as_of: dict[tuple[int, int], datetime] = {}
        self._history: dict[tuple[int, int], list[HistoryRow]] = {}
        self._volumes: dict[tuple[int, int], float] = {}
        self._snapshots: dict[int, SnapshotMeta] = {}
        self._reaching: dict[tuple[int, int, int], tuple[BookLevel, ...]] = {}  # (region, station, type) -> buys
        self.calls: list[tuple[object, ...]] = []

    # ---- building the market -------------------------------------------------------------------------------
    def add_book(
        self,
        region_id: int,
        location_id: int,
        type_id: int,
        *,
        buys: Orders = (),
        sells: Orders = (),
        as_of: datetime | None = None,
    ) -> FakeMarket:
        """One type's book at one location from (price, volume) orders in any order (sorted best first here)."""
        buy_levels = tuple(BookLevel(*o) for o in sorted(buys, key=lambda o: o[0], reverse=True) if o[1] > 0)
        sell_levels = tuple(BookLevel(*o) for o in sorted(sells, key=lambda o: o[0]) if o[1] > 0)
        self._books.setdefault((region_id, location_id), {})[type_id] = Book(
            type_id, location_id, buy_levels, sell_levels
        )
        if as_of is not None:
            self._as_of[(location_id, type_id)] = as_of
        if region_id not in self._snapshots:
            self.set_snapshot(region_id, self.as_of)
        return self

    def add_reaching_buys(self, region_id: int, location_id: int, type_id: int, buys: Orders) -> FakeMarket:
        """Buy orders placed elsewhere whose range reaches the station (only `fillable_books` sees them)."""
        self._reaching[(region_id, location_id, type_id)] = tuple(BookLevel(*o) for o in buys)
        return self

    def add_history(self, region_id: int, type_id: int, rows: Iterable[HistoryRow]) -> FakeMarket:
        """Daily history rows of a type in a region (kept oldest first)."""
        self._history[(region_id, type_id)] = sorted(rows, key=lambda row: row.day)
        return self

    def set_daily_volume(self, region_id: int, type_id: int, per_day: float) -> FakeMarket:
        """Override the average daily volume `daily_volumes` reports for a type (instead of the history's)."""
        self._volumes[(region_id, type_id)] = per_day
        return self

    def set_snapshot(self, region_id: int, last_modified: datetime | None) -> FakeMarket:
        """The region's snapshot metadata (the data age of trade replies)."""
        orders = sum(
            len(b.buys) + len(b.sells)
            for (r, _), books in self._books.items()
            if r == region_id
            for b in books.values()
        )
        self._snapshots[region_id] = SnapshotMeta(
            region_id,
            SnapshotStatus.OK,
            last_modified,
            None if last_modified is None else last_modified + timedelta(minutes=5),
            '"etag"',
            1,
            orders,
            0,
            0.1,
            last_modified or self.as_of,
        )
        return self

    # ---- MarketReader ----------------------------------------------------------------------------------------
    async def quote(self, region_id: int, location_id: int, type_id: int) -> Quote | None:
        """The quote of a type's book, computed with side_stats; None without orders."""
        self.calls.append(("quote", region_id, location_id, type_id))
        return self._quote(region_id, location_id, type_id)

    async def quotes(self, region_id: int, location_id: int, type_ids: Sequence[int]) -> dict[int, Quote]:
        """Quotes of several types (types without orders left out)."""
        self.calls.append(("quotes", region_id, location_id, tuple(type_ids)))
        found = {t: self._quote(region_id, location_id, t) for t in type_ids}
        return {t: q for t, q in found.items() if q is not None}

    async def book(self, region_id: int, location_id: int, type_id: int) -> Book:
        """One type's book (empty when nobody trades it there)."""
        self.calls.append(("book", region_id, location_id, type_id))
        return self._books.get((region_id, location_id), {}).get(type_id) or Book(type_id, location_id)

    async def region_book(self, region_id: int, type_id: int) -> Book:
        """One type's book over every location of a region (location_id 0), best first."""
        self.calls.append(("region_book", region_id, type_id))
        books = [
            b for (r, _), by_type in self._books.items() if r == region_id for t, b in by_type.items() if t == type_id
        ]
        buys = sorted((level for b in books for level in b.buys), key=lambda level: level.price, reverse=True)
        sells = sorted((level for b in books for level in b.sells), key=lambda level: level.price)
        return Book(type_id, 0, tuple(buys), tuple(sells))

    async def top_of_book(self, region_id: int, location_id: int) -> dict[int, TopOfBook]:
        """The top of book per type at one location, computed from its levels as ingest computes quotes."""
        self.calls.append(("top_of_book", region_id, location_id))
        books = self._books.get((region_id, location_id), {})
        quotes = {
            t: quote_from_levels(region_id, location_id, t, b.buys, b.sells, self.as_of) for t, b in books.items()
        }
        return {t: TopOfBook.of(quote) for t, quote in quotes.items() if quote is not None}

    async def books_at(
        self, region_id: int, location_id: int, type_ids: Sequence[int] | None = None
    ) -> dict[int, Book]:
        """Every type's book at one location (or only those of `type_ids`)."""
        self.calls.append(("books_at", region_id, location_id))
        books = self._books.get((region_id, location_id), {})
        return {t: b for t, b in books.items() if type_ids is None or t in type_ids}

    async def best_buy_in_range(
        self, region_id: int, location_id: int, type_id: int, quantity: int = 1
    ) -> float | None:
        """The best fillable buy of the fillable book."""
        book = (await self.fillable_books(region_id, location_id, [type_id])).get(type_id)
        return best_fillable(book.buys, quantity, ascending=False) if book is not None else None

    async def fillable_books(self, region_id: int, location_id: int, type_ids: Sequence[int]) -> dict[int, Book]:
        """The station's books with the reaching buy orders added to their buy side (best first)."""
        self.calls.append(("fillable_books", region_id, location_id, tuple(type_ids)))
        found: dict[int, Book] = {}
        for type_id in type_ids:
            book = self._books.get((region_id, location_id), {}).get(type_id) or Book(type_id, location_id)
            extra = self._reaching.get((region_id, location_id, type_id), ())
            buys = tuple(sorted((*book.buys, *extra), key=lambda level: level.price, reverse=True))
            if buys or book.sells:
                found[type_id] = Book(type_id, location_id, buys, book.sells)
        return found

    async def history(self, region_id: int, type_id: int, since: date | None = None) -> list[HistoryRow]:
        """History rows on or after `since`, oldest first."""
        self.calls.append(("history", region_id, type_id, since))
        rows = self._history.get((region_id, type_id), [])
        return [row for row in rows if since is None or row.day >= since]

    async def daily_volumes(self, region_id: int, type_ids: Sequence[int], days: int = 30) -> dict[int, float]:
        """Overrides first; else the history's volume over the `days` days before `today`, per day (like SQL)."""
        self.calls.append(("daily_volumes", region_id, tuple(type_ids), days))
        first = self.today - timedelta(days=days)
        found: dict[int, float] = {}
        for type_id in type_ids:
            if (region_id, type_id) in self._volumes:
                found[type_id] = self._volumes[(region_id, type_id)]
                continue
            rows = [row for row in self._history.get((region_id, type_id), []) if row.day < self.today]
            if rows:
                found[type_id] = sum(row.volume for row in rows if row.day >= first) / days
        return found

    async def snapshot(self, region_id: int) -> SnapshotMeta | None:
        """The region's snapshot metadata, or None when it has never been ingested."""
        self.calls.append(("snapshot", region_id))
        return self._snapshots.get(region_id)

    # ---- helpers ---------------------------------------------------------------------------------------------
    def _quote(self, region_id: int, location_id: int, type_id: int) -> Quote | None:
        book = self._books.get((region_id, location_id), {}).get(type_id)
        if book is None:
            return None
        as_of = self._as_of.get((location_id, type_id), self.as_of)
        return quote_from_levels(region_id, location_id, type_id, book.buys, book.sells, as_of)


def history_row(day: date, average: float, volume: int = 1000, order_count: int = 100) -> HistoryRow:
    """A history row whose high and low sit 1% around the average."""
    return HistoryRow(day, average, average * 1.01, average * 0.99, volume, order_count)


def daily_rows(today: date, averages: Sequence[float], volume: int = 1000) -> list[HistoryRow]:
    """Rows for consecutive days ending yesterday: `averages[-1]` is yesterday's, `averages[0]` the oldest."""
    count = len(averages)
    return [history_row(today - timedelta(days=count - i), average, volume) for i, average in enumerate(averages)]
