"""PgPriceStore on real Postgres: CCP's averages and when they were fetched or confirmed (the appraisal footer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg

from adapters.postgres.prices import PgPriceStore
from core.market.prices import AveragePrice


async def test_fetched_at_follows_each_fetch_and_304(pg_pool: asyncpg.Pool) -> None:
    store = PgPriceStore(pg_pool)
    assert await store.fetched_at() is None  # never fetched
    await store.replace([AveragePrice(34, 4.5, 4.4)], etag='"a"', expires=None)
    fetched = await store.fetched_at()
    assert fetched is not None and abs(fetched - datetime.now(UTC)) < timedelta(minutes=1)
    assert await store.averages([34, 35]) == {34: 4.5}
    await pg_pool.execute("UPDATE market_prices_fetches SET fetched_at = now() - interval '3 hours'")
    await store.touch(etag=None, expires=None)  # a 304: the stored prices are confirmed current now
    confirmed = await store.fetched_at()
    assert confirmed is not None and confirmed >= fetched  # not the 3-hour-old time
