"""Postgres market history: monthly partitions created on demand, idempotent upserts with their validators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import asyncpg

from core.market.history_demand import LastFetch
from core.market.hubs import hubs_in_region
from core.market.model import HistoryRow

PARTITION_LOCK = 0x6D6B7468  # pg_advisory_xact_lock key serialising partition creation
MONTHS_AHEAD = 2


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    """The partition of market_history holding `month` (identifier built from ints only)."""
    return f"market_history_{int(month.year):04d}{int(month.month):02d}"


async def ensure_history_partitions(conn: asyncpg.Connection, *, since: date | None = None, through: date) -> int:
    """Create every missing month from `since` (default: `through`) to MONTHS_AHEAD past `through`; return count.

    Idempotent and safe under concurrency (a transaction-scoped advisory lock serialises creators).
    """
    month, last = _month_start(since or through), _month_start(through)
    for _ in range(MONTHS_AHEAD):
        last = _next_month(last)
    wanted = []
    while month <= last:
        wanted.append(month)
        month = _next_month(month)
    names = {partition_name(m) for m in wanted}
    existing = await _existing(conn)
    if names <= existing:
        return 0
    created = 0
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", PARTITION_LOCK)
        existing = await _existing(conn)
        for start in wanted:
            if partition_name(start) not in existing:
                await conn.execute(
                    f"CREATE TABLE {partition_name(start)} PARTITION OF market_history"
                    f" FOR VALUES FROM ('{start.isoformat()}') TO ('{_next_month(start).isoformat()}')"
                )
                created += 1
    return created


async def _existing(conn: asyncpg.Connection) -> set[str]:
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'market_history'::regclass"
    )
    return {row["relname"] for row in rows}


class PgHistoryStore:
    """HistoryStore on asyncpg, plus the list of types worth refreshing per region."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def validators(self, region_id: int, type_id: int) -> tuple[str | None, datetime | None]:
        """The ETag and Expires stored with the last history fetch of (region, type)."""
        row = await self._pool.fetchrow(
            "SELECT etag, expires FROM market_history_fetches WHERE region_id = $1 AND type_id = $2",
            region_id,
            type_id,
        )
        return (row["etag"], row["expires"]) if row else (None, None)

    async def last_fetch(self, region_id: int, type_id: int) -> LastFetch | None:
        """When (region, type)'s history was last fetched or revalidated, and its Expires, or None: never."""
        row = await self._pool.fetchrow(
            "SELECT fetched_at, expires FROM market_history_fetches WHERE region_id = $1 AND type_id = $2",
            region_id,
            type_id,
        )
        return LastFetch(row["fetched_at"], row["expires"]) if row else None

    async def region_fetched(self, region_id: int) -> datetime | None:
        """The latest history fetch of any type in the region, or None."""
        latest: datetime | None = await self._pool.fetchval(
            "SELECT max(fetched_at) FROM market_history_fetches WHERE region_id = $1", region_id
        )
        return latest

    async def upsert(
        self, region_id: int, type_id: int, rows: Sequence[HistoryRow], *, etag: str | None, expires: datetime | None
    ) -> int:
        """Insert or update rows idempotently and store the validators, in one transaction; return rows written."""
        async with self._pool.acquire() as conn:
            if rows:
                today = datetime.now(UTC).date()
                await ensure_history_partitions(
                    conn, since=min(r.day for r in rows), through=max(today, *(r.day for r in rows))
                )
            async with conn.transaction():
                if rows:
                    await conn.executemany(
                        """INSERT INTO market_history (region_id, type_id, day, average, highest, lowest, volume,
                               order_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                           ON CONFLICT (region_id, type_id, day) DO UPDATE SET average = EXCLUDED.average,
                               highest = EXCLUDED.highest, lowest = EXCLUDED.lowest, volume = EXCLUDED.volume,
                               order_count = EXCLUDED.order_count""",
                        [
                            (region_id, type_id, r.day, r.average, r.highest, r.lowest, r.volume, r.order_count)
                            for r in rows
                        ],
                    )
                await conn.execute(
                    """INSERT INTO market_history_fetches (region_id, type_id, etag, expires, fetched_at)
                       VALUES ($1, $2, $3, $4, now())
                       ON CONFLICT (region_id, type_id) DO UPDATE
                       SET etag = EXCLUDED.etag, expires = EXCLUDED.expires, fetched_at = now()""",
                    region_id,
                    type_id,
                    etag,
                    expires,
                )
        return len(rows)

    async def history(self, region_id: int, type_id: int, *, since: date | None = None) -> list[HistoryRow]:
        """Stored rows of (region, type), oldest first, optionally from `since`."""
        records = await self._pool.fetch(
            """SELECT day, average, highest, lowest, volume, order_count FROM market_history
               WHERE region_id = $1 AND type_id = $2 AND day >= coalesce($3, '-infinity'::date) ORDER BY day""",
            region_id,
            type_id,
            since,
        )
        return [HistoryRow(**dict(r)) for r in records]

    async def watch(self, region_id: int, type_id: int) -> None:
        """Always refresh this type's history in this region."""
        await self._pool.execute(
            "INSERT INTO watched_types (region_id, type_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", region_id, type_id
        )

    async def watched_types(self, region_id: int, limit: int) -> list[int]:
        """Explicitly watched types plus the `limit` types with most orders at the region's hub stations."""
        stations = [hub.station_id for hub in hubs_in_region(region_id)]
        rows = await self._pool.fetch(
            """SELECT type_id FROM watched_types WHERE region_id = $1
               UNION
               (SELECT type_id FROM market_quotes WHERE region_id = $1 AND location_id = ANY($2::bigint[])
                GROUP BY type_id ORDER BY sum(buy_orders + sell_orders) DESC, type_id LIMIT $3)
               ORDER BY type_id""",
            region_id,
            stations,
            limit,
        )
        return [row["type_id"] for row in rows]
