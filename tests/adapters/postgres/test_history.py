"""PgHistoryStore against real Postgres: idempotent upserts, validators, partitions, watched types."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest

from adapters.postgres.history import PgHistoryStore, ensure_history_partitions, partition_name
from adapters.postgres.orderbook import PgOrderBookStore
from core.market.model import HistoryRow, SnapshotCommit
from tests.adapters.postgres.test_orderbook import REGION, order
from tests.core.market.order_rows import order_page

pytestmark = pytest.mark.integration


def rows(*days: date, volume: int = 100) -> list[HistoryRow]:
    """History rows for the given days."""
    return [HistoryRow(d, 5.5, 6.0, 5.0, volume, 12) for d in days]


async def partitions(pool: asyncpg.Pool) -> set[str]:
    """Names of market_history's partitions."""
    records = await pool.fetch(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'market_history'::regclass"
    )
    return {r["relname"] for r in records}


async def test_upsert_twice_is_idempotent_and_stores_validators(pg_pool: asyncpg.Pool) -> None:
    store = PgHistoryStore(pg_pool)
    assert await store.validators(REGION, 34) == (None, None)
    days = [date(2026, 7, 30), date(2026, 7, 31), date(2026, 8, 1)]
    expires = datetime(2026, 8, 2, 11, 5, tzinfo=UTC)
    assert await store.upsert(REGION, 34, rows(*days), etag='"a"', expires=expires) == 3
    assert await store.upsert(REGION, 34, rows(*days, volume=200), etag='"b"', expires=expires) == 3
    stored = await store.history(REGION, 34)
    assert [r.day for r in stored] == days and {r.volume for r in stored} == {200}
    assert await store.validators(REGION, 34) == ('"b"', expires)
    assert await pg_pool.fetchval("SELECT count(*) FROM market_history") == 3


async def test_empty_upsert_still_records_validators(pg_pool: asyncpg.Pool) -> None:
    store = PgHistoryStore(pg_pool)
    assert await store.upsert(REGION, 35, [], etag='"e"', expires=None) == 0
    assert await store.validators(REGION, 35) == ('"e"', None)


async def test_an_old_date_works_and_partitions_are_created_ahead(pg_pool: asyncpg.Pool) -> None:
    store = PgHistoryStore(pg_pool)
    await store.upsert(REGION, 34, rows(date(2019, 3, 14)), etag=None, expires=None)
    names = await partitions(pg_pool)
    today = datetime.now(UTC).date()
    ahead = (today.replace(day=1) + timedelta(days=62)).replace(day=1)
    assert {partition_name(date(2019, 3, 1)), partition_name(today), partition_name(ahead)} <= names
    assert [r.day for r in await store.history(REGION, 34)] == [date(2019, 3, 14)]


async def test_ensure_partitions_is_idempotent_under_concurrency(pg_pool: asyncpg.Pool) -> None:
    async def ensure() -> int:
        async with pg_pool.acquire() as conn:
            return await ensure_history_partitions(conn, since=date(2025, 11, 5), through=date(2026, 2, 1))

    created = await asyncio.gather(*(ensure() for _ in range(4)))
    assert sum(created) == 6  # 2025-11 .. 2026-04
    assert await ensure() == 0
    assert {partition_name(date(2025, 11, 1)), partition_name(date(2026, 4, 1))} <= await partitions(pg_pool)


async def test_watched_types_unions_explicit_and_busiest_hub_types(pg_pool: asyncpg.Pool) -> None:
    book = PgOrderBookStore(pg_pool)
    now = datetime.now(UTC)
    async with book.stage(REGION) as stage:
        await stage.add_page(
            order_page(
                [order(34, 1.0 + i, 1) for i in range(5)]
                + [order(35, 2.0, 1), order(35, 3.0, 1)]
                + [order(36, 1.0, 1)]
                + [order(37, 1.0, 1, location=60003761)] * 9
            )
        )
        await stage.commit(SnapshotCommit(REGION, now, None, None, 1, 0, now))
    store = PgHistoryStore(pg_pool)
    await store.watch(REGION, 44992)
    await store.watch(10000043, 11)
    assert await store.watched_types(REGION, 2) == [34, 35, 44992]
    assert await store.watched_types(REGION, 10) == [34, 35, 36, 44992]
