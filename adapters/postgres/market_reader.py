"""MarketReader on Postgres (live snapshots, history) with the Redis hub-quote cache in front of quote reads."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import asyncpg
from redis.exceptions import RedisError

from adapters.postgres.history import PgHistoryStore
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.quotes_sql import SELECT_QUOTES, quote_from_record
from adapters.redis.quotes import RedisQuoteCache
from core.gc_pause import cyclic_gc_paused
from core.market.finders import BookLevel
from core.market.model import HistoryRow, Quote, SnapshotMeta
from core.market.reads import Book, TopOfBook

log = logging.getLogger(__name__)

# One row per (type, side) with prices ascending and their volumes as arrays: ~7x fewer rows to decode than one
# per order. The inner ORDER BY follows the book index and feeds the aggregates in order (no per-group sorts).
# `price < 'Infinity'` also drops NaN, which Postgres sorts above infinity: BookLevel accepts neither.
_BOOKS = """
SELECT type_id, is_buy_order, array_agg(price), array_agg(volume_remain) FROM (
    SELECT type_id, is_buy_order, price, volume_remain FROM market_orders
    WHERE region_id = $1 AND location_id = $2 {only_type}
      AND volume_remain > 0 AND price > 0 AND price < 'Infinity'::float8
    ORDER BY type_id, is_buy_order, price
) o
GROUP BY type_id, is_buy_order
ORDER BY type_id, is_buy_order
"""
_TOPS = """SELECT type_id, best_buy, best_sell, buy_orders, sell_orders, buy_depth, sell_depth
           FROM market_quotes WHERE region_id = $1 AND location_id = $2"""
# One type's book across every location of a region (the global PLEX market has no single trade station).
_REGION_BOOK = """
SELECT type_id, is_buy_order, array_agg(price ORDER BY price), array_agg(volume_remain ORDER BY price)
FROM market_orders
WHERE region_id = $1 AND type_id = $2 AND volume_remain > 0 AND price > 0 AND price < 'Infinity'::float8
GROUP BY type_id, is_buy_order
"""
# What a player at station $2 can fill: its sell orders, and every buy order of the region whose range reaches it
# ("region"; "solarsystem" or a jump range from an order in the station's own system: no stargate graph is stored,
# so a jump range is not followed past the order's system). One row per order: buy orders keep their min_volume.
_HERE = """
WITH here AS (
    SELECT coalesce(
        (SELECT system_id FROM sde_stations WHERE station_id = $2),
        (SELECT system_id FROM market_orders
         WHERE region_id = $1 AND location_id = $2 AND system_id IS NOT NULL LIMIT 1)
    ) AS system_id
)"""
_REACHING_BUYS = """
    SELECT o.type_id, o.is_buy_order, o.price, o.volume_remain, o.min_volume
    FROM market_orders o CROSS JOIN here
    WHERE o.region_id = $1 AND o.type_id = ANY($3::integer[]) AND o.location_id <> $2
      AND o.is_buy_order AND o.range <> 'station' AND (o.range = 'region' OR o.system_id = here.system_id)"""
_LIVE = "volume_remain > 0 AND price > 0 AND price < 'Infinity'::float8"
_FILLABLE = f"""{_HERE}
SELECT type_id, is_buy_order, price, volume_remain, min_volume FROM (
    SELECT o.type_id, o.is_buy_order, o.price, o.volume_remain, o.min_volume
    FROM market_orders o
    WHERE o.region_id = $1 AND o.location_id = $2 AND o.type_id = ANY($3::integer[])
    UNION ALL  -- buy orders elsewhere whose range reaches the station (migration 0025's partial index)
{_REACHING_BUYS}
) reachable
WHERE {_LIVE}
ORDER BY type_id, is_buy_order, price
"""
# The best of those buy orders that takes a sale of $4 units (core.market.finders.best_fillable's rule: a fill
# takes at least min_volume, or every remaining unit when fewer remain): one number, no book built.
_BEST_BUY_IN_RANGE = f"""{_HERE}
SELECT max(price) FROM (
    SELECT o.type_id, o.is_buy_order, o.price, o.volume_remain, o.min_volume
    FROM market_orders o
    WHERE o.region_id = $1 AND o.location_id = $2 AND o.type_id = ANY($3::integer[]) AND o.is_buy_order
    UNION ALL
{_REACHING_BUYS}
) reachable
WHERE {_LIVE} AND least($4::bigint, volume_remain) >= greatest(1, least(min_volume, volume_remain))
"""
# Types whose history was fetched average over every day of the window (days without a row traded nothing);
# types never fetched are left out (unknown). market_history_fetches has one row per fetched (region, type), written
# in the same transaction as the rows, so one primary-key probe per type replaces probing every monthly partition.
_DAILY_VOLUMES = """
SELECT f.type_id, coalesce(w.total, 0)::float8 / $5 AS per_day
FROM market_history_fetches f
LEFT JOIN (SELECT type_id, sum(volume) AS total FROM market_history
           WHERE region_id = $1 AND type_id = ANY($2::integer[]) AND day >= $3 AND day < $4
           GROUP BY type_id) w USING (type_id)
WHERE f.region_id = $1 AND f.type_id = ANY($2::integer[])
"""


def _books(location_id: int, rows: Sequence[asyncpg.Record]) -> dict[int, Book]:
    """Books from _BOOKS rows; the cyclic GC is paused while ~200k levels are built (it would triple the time)."""
    with cyclic_gc_paused():
        sides: dict[int, list[tuple[BookLevel, ...]]] = {}  # type_id -> [sells, buys]
        for type_id, is_buy, prices, volumes in rows:
            if is_buy:  # best (highest) buy first
                prices.reverse()
                volumes.reverse()
            sides.setdefault(type_id, [(), ()])[int(is_buy)] = tuple(map(BookLevel, prices, volumes))
        return {type_id: Book(type_id, location_id, buys, sells) for type_id, (sells, buys) in sides.items()}


class PgMarketReader:
    """core.market.reads.MarketReader: quotes from Redis then Postgres, books and history from Postgres."""

    def __init__(self, pool: asyncpg.Pool, quote_cache: RedisQuoteCache | None = None) -> None:
        self._pool = pool
        self._cache = quote_cache
        self._books = PgOrderBookStore(pool)
        self._history = PgHistoryStore(pool)

    async def quote(self, region_id: int, location_id: int, type_id: int) -> Quote | None:
        """One type's quote at a location (hot cache first), or None when nobody trades it there."""
        found = await self.quotes(region_id, location_id, [type_id])
        return found.get(type_id)

    async def quotes(self, region_id: int, location_id: int, type_ids: Sequence[int]) -> dict[int, Quote]:
        """Quotes of several types at one location: cache hits, then one Postgres query for the misses."""
        wanted = list(dict.fromkeys(type_ids))
        found: dict[int, Quote] = {}
        if self._cache is not None and wanted:
            try:
                cached = await self._cache.get_many(location_id, wanted)
            except RedisError as exc:
                log.warning("quote cache unavailable, reading Postgres: %s", exc)
                cached = {}
            found = {t: q for t, q in cached.items() if q.region_id == region_id}
        missing = [t for t in wanted if t not in found]
        if missing:
            rows = await self._pool.fetch(
                f"{SELECT_QUOTES} WHERE region_id = $1 AND location_id = $2 AND type_id = ANY($3::integer[])",
                region_id,
                location_id,
                missing,
            )
            found.update((quote.type_id, quote) for quote in map(quote_from_record, rows))
        return {t: found[t] for t in wanted if t in found}

    async def book(self, region_id: int, location_id: int, type_id: int) -> Book:
        """The whole book of one type at one location (orders with no volume or no price left out)."""
        rows = await self._pool.fetch(_BOOKS.format(only_type="AND type_id = $3"), region_id, location_id, type_id)
        return _books(location_id, rows).get(type_id) or Book(type_id, location_id)

    async def region_book(self, region_id: int, type_id: int) -> Book:
        """One type's book over every location of a region (location_id 0 in the result)."""
        rows = await self._pool.fetch(_REGION_BOOK, region_id, type_id)
        return _books(0, rows).get(type_id) or Book(type_id, 0)

    async def top_of_book(self, region_id: int, location_id: int) -> dict[int, TopOfBook]:
        """The top of book of every type at a location, from market_quotes (~20k rows at Jita: GC paused)."""
        with cyclic_gc_paused():
            rows = await self._pool.fetch(_TOPS, region_id, location_id)
            return {row[0]: TopOfBook(*row[1:]) for row in rows}

    async def books_at(
        self, region_id: int, location_id: int, type_ids: Sequence[int] | None = None
    ) -> dict[int, Book]:
        """Every type's book at one location (or only `type_ids`'), from one query."""
        if type_ids is None:
            rows = await self._pool.fetch(_BOOKS.format(only_type=""), region_id, location_id)
        else:
            query = _BOOKS.format(only_type="AND type_id = ANY($3::integer[])")
            rows = await self._pool.fetch(query, region_id, location_id, list(type_ids))
        return _books(location_id, rows)

    async def fillable_books(self, region_id: int, location_id: int, type_ids: Sequence[int]) -> dict[int, Book]:
        """Station sells and every buy order that reaches the station, per type (reach rules on _FILLABLE)."""
        if not type_ids:
            return {}
        rows = await self._pool.fetch(_FILLABLE, region_id, location_id, list(dict.fromkeys(type_ids)))
        sides: dict[int, tuple[list[BookLevel], list[BookLevel]]] = {}  # type_id -> (buys, sells)
        for type_id, is_buy, price, volume, min_volume in rows:
            sides.setdefault(type_id, ([], []))[0 if is_buy else 1].append(BookLevel(price, volume, min_volume))
        return {
            type_id: Book(type_id, location_id, tuple(reversed(buys)), tuple(sells))
            for type_id, (buys, sells) in sides.items()
        }

    async def best_buy_in_range(
        self, region_id: int, location_id: int, type_id: int, quantity: int = 1
    ) -> float | None:
        """The best buy order a sale of `quantity` units at the station can fill, reaching ones included."""
        if quantity <= 0:
            return None
        best = await self._pool.fetchval(_BEST_BUY_IN_RANGE, region_id, location_id, [type_id], quantity)
        return float(best) if best is not None else None

    async def history(self, region_id: int, type_id: int, since: date | None = None) -> list[HistoryRow]:
        """Daily history rows, oldest first."""
        return await self._history.history(region_id, type_id, since=since)

    async def daily_volumes(self, region_id: int, type_ids: Sequence[int], days: int = 30) -> dict[int, float]:
        """Average volume per day over the `days` whole UTC days before today (missing days count as 0)."""
        if days <= 0:
            raise ValueError(f"days must be positive, got {days!r}")
        if not type_ids:
            return {}
        today = datetime.now(UTC).date()
        rows = await self._pool.fetch(
            _DAILY_VOLUMES, region_id, list(type_ids), today - timedelta(days=days), today, float(days)
        )
        return {r[0]: r[1] for r in rows}

    async def snapshot(self, region_id: int) -> SnapshotMeta | None:
        """The region's snapshot metadata (for data age in reply footers)."""
        return await self._books.snapshot_meta(region_id)
