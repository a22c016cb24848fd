"""History refresh end to end: the real ESI client and fake into partitioned Postgres history, politely."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from adapters.postgres.history import PgHistoryStore
from core.market.history import HistoryRefresher
from fakes.esi import EsiFake
from tests.integration.esi import client_for

JITA = 10000002
pytestmark = pytest.mark.e2e
TRITANIUM, PYERITE, PLEX, NOT_A_TYPE = 34, 35, 44992, 123456789


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={JITA: 2_000}) as server:
        yield server


async def test_history_is_stored_then_left_alone_until_expiry_then_revalidated(fake, pg_pool: asyncpg.Pool) -> None:
    store = PgHistoryStore(pg_pool)
    async with client_for(fake) as client:
        summary = await HistoryRefresher(client, store).refresh(JITA, [TRITANIUM, PYERITE, PLEX, NOT_A_TYPE])
    assert (summary.fetched, summary.missing, summary.failed) == (2, 2, [])  # PLEX trades only in 19000001
    rows = await store.history(JITA, TRITANIUM)
    assert len(rows) >= 300 and summary.rows == 2 * len(rows)
    assert rows == sorted(rows, key=lambda r: r.day) and all(r.lowest <= r.average <= r.highest for r in rows)
    partitions = await pg_pool.fetchval("SELECT count(*) FROM pg_inherits WHERE inhparent = 'market_history'::regclass")
    assert partitions >= 12

    before = len(fake.requests)
    async with client_for(fake) as client:
        again = await HistoryRefresher(client, store).refresh(JITA, [TRITANIUM, PYERITE])
    assert again.fresh == 2 and len(fake.requests) == before  # nothing asked before Expires

    later = datetime.now(UTC) + timedelta(days=1, hours=1)
    async with client_for(fake) as client:
        third = await HistoryRefresher(client, store, clock=lambda: later).refresh(JITA, [TRITANIUM])
    assert third.fetched + third.unchanged == 1
    sent = fake.requests[before:]
    assert len(sent) == 1 and sent[0].headers.get("If-None-Match")
    assert len(await store.history(JITA, TRITANIUM)) >= len(rows)  # idempotent upsert, nothing lost


async def test_esi_down_stops_the_batch_and_keeps_what_was_stored(fake, pg_pool: asyncpg.Pool) -> None:
    store = PgHistoryStore(pg_pool)
    fake.faults.server_errors(100, status=503)
    types = list(range(34, 41))
    async with client_for(fake, max_attempts=2) as client:
        summary = await HistoryRefresher(client, store, concurrency=2).refresh(JITA, types)
    assert sorted(summary.failed) == types and summary.fetched == 0
    assert len([r for r in fake.requests if "/history" in r.path]) <= 2 * 2  # two in flight, two attempts each
    assert await pg_pool.fetchval("SELECT count(*) FROM market_history") == 0
    fake.faults.clear()
