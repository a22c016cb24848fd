"""CCP's average prices in Postgres: replaced whole in one transaction, with the ETag/Expires they came with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from core.market.prices import AveragePrice


class PgPriceStore:
    """core.market.prices.PriceStore on asyncpg, plus lookups for appraisals."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def validators(self) -> tuple[str | None, datetime | None]:
        """ETag and Expires of the stored prices."""
        row = await self._pool.fetchrow("SELECT etag, expires FROM market_prices_fetches")
        return (row["etag"], row["expires"]) if row else (None, None)

    async def replace(self, prices: Sequence[AveragePrice], *, etag: str | None, expires: datetime | None) -> int:
        """Replace every price at once, with the validators, in one transaction."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("DELETE FROM market_prices")
            await conn.copy_records_to_table(
                "market_prices",
                records=[(p.type_id, p.average, p.adjusted) for p in prices],
                columns=("type_id", "average_price", "adjusted_price"),
            )
            await self._save_validators(conn, etag, expires)
        return len(prices)

    async def touch(self, *, etag: str | None, expires: datetime | None) -> None:
        """Record a 304: the stored prices stay, valid until `expires`."""
        async with self._pool.acquire() as conn:
            await self._save_validators(conn, etag, expires)

    @staticmethod
    async def _save_validators(conn: asyncpg.Connection, etag: str | None, expires: datetime | None) -> None:
        await conn.execute(
            "INSERT INTO market_prices_fetches (id, etag, expires, fetched_at) VALUES (true, $1, $2, now())"
            " ON CONFLICT (id) DO UPDATE SET etag = coalesce($1, market_prices_fetches.etag), expires = $2,"
            " fetched_at = now()",
            etag,
            expires,
        )

    async def averages(self, type_ids: Sequence[int]) -> dict[int, float]:
        """CCP's average price of each type that has one."""
        rows = await self._pool.fetch(
            "SELECT type_id, average_price FROM market_prices"
            " WHERE type_id = ANY($1::integer[]) AND average_price IS NOT NULL",
            list(type_ids),
        )
        return {row[0]: row[1] for row in rows}

    async def fetched_at(self) -> datetime | None:
        """When the prices were last fetched or confirmed current by a 304 (None: never fetched)."""
        value: datetime | None = await self._pool.fetchval("SELECT fetched_at FROM market_prices_fetches")
        return value
