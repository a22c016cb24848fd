"""Scheduler and worker services: one leader at a time, takeover when it dies, inline and queued refreshes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from adapters.redis.locks import Direct
from evetrader.app import App
from evetrader.bootstrap.scheduler import scheduler_deps
from fakes.esi import EsiFake
from scheduler.queue import IngestQueue
from scheduler.service import SchedulerService, WorkerService

AMARR, DODIXIE = 10000043, 10000032


async def snapshot_count(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM market_snapshots WHERE status = 'ok'"))


async def wait_until(predicate: Callable[[], Awaitable[bool]], limit_s: float = 20.0) -> None:
    """Poll `predicate` until true (the services under test expose no event to wait on)."""
    async with asyncio.timeout(limit_s):
        while not await predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def test_inline_leader_refreshes_every_region_and_only_one_leads(app: App) -> None:
    stop = asyncio.Event()
    first = SchedulerService(scheduler_deps(app), [AMARR, DODIXIE], leader_ttl_s=3)
    second = SchedulerService(scheduler_deps(app), [AMARR, DODIXIE], leader_ttl_s=3)
    tasks = [asyncio.create_task(first.run(stop)), asyncio.create_task(second.run(stop))]
    await wait_until(lambda: _eq(snapshot_count(app.pool), 2))
    holder = await app.redis.get(app.keys.scheduler_leader())
    assert holder is not None
    stop.set()
    await asyncio.gather(*tasks)
    assert await app.redis.get(app.keys.scheduler_leader()) is None


async def test_a_dead_leader_is_replaced_after_its_lock_expires(app: App) -> None:
    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    leader = SchedulerService(scheduler_deps(app), [], leader_ttl_s=1.5)
    task_a = asyncio.create_task(leader.run(stop_a))
    await wait_until(lambda: _exists(app, app.keys.scheduler_leader()))
    task_a.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task_a
    # another process took the lock and died without releasing it: the standby waits for the TTL, then leads
    await app.redis.set(app.keys.scheduler_leader(), b"dead-process", px=1500)
    standby = SchedulerService(scheduler_deps(app), [], leader_ttl_s=1.5)
    task_b = asyncio.create_task(standby.run(stop_b))
    assert not await _holder_is(app, standby)
    await wait_until(lambda: _holder_is(app, standby))
    stop_b.set()
    await task_b


async def test_queue_mode_hands_regions_to_a_worker(app: App) -> None:
    stop = asyncio.Event()
    scheduler = SchedulerService(scheduler_deps(app), [AMARR], mode="queue", leader_ttl_s=3)
    worker = WorkerService(scheduler_deps(app))
    tasks = [asyncio.create_task(scheduler.run(stop)), asyncio.create_task(worker.run(stop))]
    await wait_until(lambda: _eq(snapshot_count(app.pool), 1))
    stop.set()
    await asyncio.gather(*tasks)


async def test_jobs_of_a_dead_worker_are_reclaimed(app: App) -> None:
    queue = IngestQueue(app.redis, app.keys, Direct(app.redis), reclaim_idle_ms=100)
    await queue.ensure_group()
    await queue.enqueue(AMARR)
    # a worker reads the job and dies before acking it
    await app.redis.xreadgroup("workers", "dead-worker", {app.keys.ingest_stream(): ">"}, count=1)
    handled: list[int] = []
    stop = asyncio.Event()

    async def handle(region_id: int) -> None:
        handled.append(region_id)
        stop.set()

    await asyncio.sleep(0.2)
    await asyncio.wait_for(queue.consume("live-worker", handle, stop, block_ms=100), 10)
    assert handled == [AMARR]
    pending = await app.redis.xpending(app.keys.ingest_stream(), "workers")
    assert pending["pending"] == 0


async def _eq(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


async def _exists(app: App, key: str) -> bool:
    return bool(await app.redis.exists(key))


async def _holder_is(app: App, service: SchedulerService) -> bool:
    fence = service.leadership.fence
    return fence is not None and await service.leader.holder() == fence.token


async def test_prices_job_with_esi_down_logs_one_line_and_keeps_the_old_prices(
    app: App, fake: EsiFake, caplog: pytest.LogCaptureFixture
) -> None:
    service = SchedulerService(scheduler_deps(app), [])
    await service.refresh_prices()
    stored = await app.pool.fetchval("SELECT count(*) FROM market_prices")
    assert stored > 0
    await app.pool.execute("UPDATE market_prices_fetches SET expires = now() - interval '1 second'")
    await service.refresh_prices()  # this process's ESI client still honours Expires: quietly nothing
    fake.faults.server_errors(count=10, status=503, path="/markets/prices")
    async with App(app.settings) as restarted:  # a new process: it asks ESI, which is down
        with caplog.at_level(logging.WARNING, logger="scheduler.service"):
            service = SchedulerService(scheduler_deps(restarted), [])
            await service.refresh_prices()  # no raise: APScheduler would log a traceback
    warned = [r for r in caplog.records if r.getMessage() == "average prices not refreshed"]
    assert len(warned) == 1 and warned[0].exc_info is None and "503" in str(warned[0].__dict__["reason"])
    assert await app.pool.fetchval("SELECT count(*) FROM market_prices") == stored
