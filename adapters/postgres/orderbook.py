"""Postgres order-book store: region snapshots swapped in atomically, their quotes and metadata."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg

from adapters.postgres.quotes_sql import SELECT_QUOTES, quote_from_record
from adapters.postgres.snapshot_tables import (
    LOCK_CLASS,
    drop_unattached,
    meta_from_record,
    parse_table_name,
    region_tables,
)
from core.market.model import Quote, SnapshotMeta

if TYPE_CHECKING:
    from adapters.postgres.snapshots import PgSnapshotStage


class PgOrderBookStore:
    """OrderBookStore on asyncpg: per-region partitions of market_orders/market_quotes, market_snapshots."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @asynccontextmanager
    async def stage(self, region_id: int) -> AsyncIterator[PgSnapshotStage]:
        """Begin a region snapshot on a dedicated connection; leaving without commit drops its tables."""
        from adapters.postgres.snapshots import PgSnapshotStage  # numpy and msgspec load with the first stage only

        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1, $2)", LOCK_CLASS, region_id)
            try:
                await drop_unattached(conn, region_id)
                generation = await conn.fetchval("SELECT nextval('market_snapshot_generation')")
                stage = PgSnapshotStage(conn, self._pool, region_id, generation)
                try:
                    await stage.open()
                    yield stage
                finally:
                    await stage.discard()
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_CLASS, region_id)

    async def cleanup_orphans(self) -> int:
        """Drop staging tables of killed ingests in every region nobody is staging now; return how many."""
        dropped = 0
        async with self._pool.acquire() as conn:
            regions = {parse_table_name(name) for name, attached in await region_tables(conn) if not attached}
            for region_id in sorted({parsed[0] for parsed in regions if parsed}):
                if await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_CLASS, region_id):
                    try:
                        dropped += await drop_unattached(conn, region_id)
                    finally:
                        await conn.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_CLASS, region_id)
        return dropped

    async def snapshot_meta(self, region_id: int) -> SnapshotMeta | None:
        """The live snapshot's metadata, or None before the first ingest."""
        row = await self._pool.fetchrow("SELECT * FROM market_snapshots WHERE region_id = $1", region_id)
        return meta_from_record(row) if row else None

    async def all_snapshot_meta(self) -> list[SnapshotMeta]:
        """Every region's live snapshot metadata, by region id."""
        rows = await self._pool.fetch("SELECT * FROM market_snapshots ORDER BY region_id")
        return [meta_from_record(row) for row in rows]

    async def mark_unchanged(self, region_id: int, *, expires: datetime | None, etag: str | None) -> SnapshotMeta:
        """Record a 304: the live snapshot stays, valid until `expires`."""
        row = await self._pool.fetchrow(
            """INSERT INTO market_snapshots AS s (region_id, status, expires, etag, updated_at)
               VALUES ($1, 'unchanged', $2, $3, now())
               ON CONFLICT (region_id) DO UPDATE
               SET status = 'unchanged', expires = $2, etag = coalesce($3, s.etag), updated_at = now()
               RETURNING *""",
            region_id,
            expires,
            etag,
        )
        return meta_from_record(row)

    async def record_failure(self, region_id: int, error: str) -> None:
        """Record a failed refresh; the live orders, quotes and validators stay as they are."""
        await self._pool.execute(
            """INSERT INTO market_snapshots AS s (region_id, status, last_error, updated_at)
               VALUES ($1, 'failed', $2, now())
               ON CONFLICT (region_id) DO UPDATE SET status = 'failed', last_error = $2, updated_at = now()""",
            region_id,
            error[:2000],
        )

    async def quotes_at(self, region_id: int, location_ids: Sequence[int]) -> list[Quote]:
        """All quotes of the live snapshot at the given locations, ordered by location and type."""
        rows = await self._pool.fetch(
            f"{SELECT_QUOTES} WHERE region_id = $1 AND location_id = ANY($2::bigint[]) ORDER BY location_id, type_id",
            region_id,
            list(location_ids),
        )
        return [quote_from_record(row) for row in rows]

    async def quote(self, region_id: int, location_id: int, type_id: int) -> Quote | None:
        """One quote of the live snapshot, or None."""
        row = await self._pool.fetchrow(
            f"{SELECT_QUOTES} WHERE region_id = $1 AND location_id = $2 AND type_id = $3",
            region_id,
            location_id,
            type_id,
        )
        return quote_from_record(row) if row else None
