"""Region ingest end to end: the real ESI client against the ESI fake, into real Postgres and Redis, faults included."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from adapters.esi import EsiClient
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache
from core.market.errors import IngestFailed
from core.market.ingest import RefreshResult, RegionRefresher
from core.market.model import SnapshotStatus
from fakes.esi import EsiFake
from tests.integration.esi import client_for

JITA_REGION, JITA_STATION = 10000002, 60003760
pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={JITA_REGION: 12_000}, cache_seconds=300) as server:
        yield server


class Clock:
    """A clock the test moves forward to pass a snapshot's Expires without waiting."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def live_orders(pool: asyncpg.Pool) -> set[int]:
    return {
        r["order_id"] for r in await pool.fetch("SELECT order_id FROM market_orders WHERE region_id = $1", JITA_REGION)
    }


async def staging_tables(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relname LIKE '%stag%'")
    return [r["relname"] for r in rows]


@pytest_asyncio.fixture(loop_scope="session")
async def refresher_parts(
    fake: EsiFake, pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> AsyncIterator[tuple[RegionRefresher, EsiClient, Clock, RedisQuoteCache]]:
    clock = Clock()
    cache = RedisQuoteCache(redis_client, RedisKeys(redis_prefix))
    async with client_for(fake) as client:
        yield RegionRefresher(client, PgOrderBookStore(pg_pool), cache, clock=clock), client, clock, cache


async def test_ingest_stores_the_whole_book_quotes_and_hot_cache(refresher_parts, pg_pool, fake) -> None:
    refresher, _, _, cache = refresher_parts
    outcome = await refresher.refresh(JITA_REGION)
    assert outcome.result is RefreshResult.UPDATED
    assert outcome.meta is not None and outcome.meta.orders == 12_000 and outcome.meta.pages == 12
    assert len(await live_orders(pg_pool)) == 12_000
    type_id = await pg_pool.fetchval("SELECT type_id FROM market_quotes WHERE location_id = $1 LIMIT 1", JITA_STATION)
    best_sell = await pg_pool.fetchval(
        "SELECT min(price) FROM market_orders WHERE location_id = $1 AND type_id = $2 AND NOT is_buy_order",
        JITA_STATION,
        type_id,
    )
    cached = await cache.get(JITA_STATION, type_id)
    assert cached is not None and cached.best_sell == best_sell
    sent = [r for r in fake.requests if "/orders" in r.path]
    assert all(r.headers.get("X-Compatibility-Date") == "2020-01-01" for r in sent)
    assert all("evetrader-tests" in r.headers.get("User-Agent", "") for r in sent)


async def test_second_refresh_waits_for_expiry_then_uses_etag(
    refresher_parts, pg_pool, redis_client, redis_prefix, fake
) -> None:
    refresher, _, clock, cache = refresher_parts
    await refresher.refresh(JITA_REGION)
    before = len(fake.requests)
    assert (await refresher.refresh(JITA_REGION)).result is RefreshResult.FRESH
    assert len(fake.requests) == before
    # past Expires, a restarted process (new client) asks with the stored ETag: unchanged book -> one 304
    clock.offset = timedelta(seconds=301)
    async with client_for(fake) as client:
        outcome = await RegionRefresher(client, PgOrderBookStore(pg_pool), cache, clock=clock).refresh(JITA_REGION)
    assert outcome.result is RefreshResult.UNCHANGED
    (request,) = fake.requests[before:]
    assert request.status == 304 and request.headers.get("If-None-Match")


@pytest.mark.parametrize(
    "inject",
    [
        lambda f: f.faults.server_errors(2, status=503),
        lambda f: f.faults.server_errors(1, status=502),
        lambda f: f.faults.rate_limited(1, retry_after=1),
        lambda f: f.faults.timeouts(1, delay_s=40),
    ],
    ids=["503-burst", "502", "429", "timeout"],
)
async def test_transient_faults_are_retried(fake, pg_pool, redis_client, redis_prefix, inject) -> None:
    inject(fake)
    async with client_for(fake, max_attempts=4, timeout_s=1.0) as client:
        refresher = RegionRefresher(
            client, PgOrderBookStore(pg_pool), RedisQuoteCache(redis_client, RedisKeys(redis_prefix))
        )
        outcome = await refresher.refresh(JITA_REGION)
    assert outcome.result is RefreshResult.UPDATED and outcome.meta is not None and outcome.meta.orders == 12_000


async def test_a_snapshot_flipping_between_pages_is_refetched_whole(refresher_parts, pg_pool, fake) -> None:
    refresher, _, _, _ = refresher_parts
    fake.faults.flip_snapshot_after(page=3, region_id=JITA_REGION)
    outcome = await refresher.refresh(JITA_REGION)
    assert outcome.result is RefreshResult.UPDATED and outcome.attempts == 2
    assert outcome.meta is not None and outcome.meta.last_modified is not None
    assert outcome.meta.last_modified.timestamp() == fake.snapshot(JITA_REGION).last_modified
    assert len(await live_orders(pg_pool)) == 12_000
    assert await staging_tables(pg_pool) == []


async def test_malformed_page_rejects_the_snapshot_until_esi_refreshes(refresher_parts, pg_pool, fake) -> None:
    refresher, _, _, _ = refresher_parts
    fake.faults.malformed(1, page=5)
    with pytest.raises(IngestFailed, match="snapshot rejected: page 5") as failed:
        await refresher.refresh(JITA_REGION)
    assert failed.value.retry_at is not None and "ESI caches it until" in failed.value.reason
    assert await live_orders(pg_pool) == set() and await staging_tables(pg_pool) == []
    meta = await PgOrderBookStore(pg_pool).snapshot_meta(JITA_REGION)
    assert meta is not None and meta.status is SnapshotStatus.FAILED and "page 5" in (meta.last_error or "")


async def test_esi_down_keeps_the_previous_snapshot_and_records_the_failure(refresher_parts, pg_pool, fake) -> None:
    refresher, _, clock, cache = refresher_parts
    await refresher.refresh(JITA_REGION)
    before = await live_orders(pg_pool)
    fake.advance(JITA_REGION)
    clock.offset = timedelta(seconds=301)
    fake.faults.server_errors(50, status=503)
    async with client_for(fake) as client:
        with pytest.raises(IngestFailed, match="503"):
            await RegionRefresher(client, PgOrderBookStore(pg_pool), cache, clock=clock).refresh(JITA_REGION)
    assert await live_orders(pg_pool) == before
    meta = await PgOrderBookStore(pg_pool).snapshot_meta(JITA_REGION)
    assert meta is not None and meta.status is SnapshotStatus.FAILED and "503" in (meta.last_error or "")
    assert meta.orders == 12_000
    fake.faults.clear()


async def test_truncated_page_every_time_fails_cleanly(refresher_parts, pg_pool, fake) -> None:
    refresher, _, _, _ = refresher_parts
    fake.faults.truncated(10, page=2)
    with pytest.raises(IngestFailed, match="snapshot rejected"):
        await refresher.refresh(JITA_REGION)
    assert await live_orders(pg_pool) == set()
    assert await staging_tables(pg_pool) == []
    fake.faults.clear()


async def test_cancelled_mid_ingest_leaves_previous_snapshot_whole(refresher_parts, pg_pool, fake) -> None:
    refresher, _, clock, cache = refresher_parts
    await refresher.refresh(JITA_REGION)
    before = await live_orders(pg_pool)
    fake.advance(JITA_REGION)
    clock.offset = timedelta(seconds=301)
    fake.faults.timeouts(1, delay_s=5, page=6)
    async with client_for(fake) as client:
        second = RegionRefresher(client, PgOrderBookStore(pg_pool), cache, clock=clock)
        task = asyncio.create_task(second.refresh(JITA_REGION))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await live_orders(pg_pool) == before
    assert await staging_tables(pg_pool) == []
    fake.faults.clear()
