"""Leader election under faults, against a Redis of the test's own that it stops and starts: a leader that cannot
renew stops acting before its lock can expire, a deposed leader's writes are rejected, and two candidates never
lead at once, also across a Redis restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from adapters.embedded import EmbeddedRedis
from adapters.redis.keys import RedisKeys
from adapters.redis.locks import Direct, Fence, LeadershipLost, Lease
from scheduler.leadership import Leadership
from scheduler.queue import IngestQueue

KEYS = RedisKeys("evt-rel:")
TTL_S = 3.0


@pytest_asyncio.fixture(loop_scope="session")
async def own_redis(tmp_path: Path) -> AsyncIterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path)
    server.start()
    yield server
    server.close()


def client_of(server: EmbeddedRedis) -> aioredis.Redis:
    """A client with the App's bounded waits (a vanished server fails calls in seconds)."""
    return aioredis.from_url(server.url, socket_connect_timeout=1, socket_timeout=2)


async def wait_for(predicate, limit_s: float = 30.0) -> None:
    async with asyncio.timeout(limit_s):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_a_leader_whose_redis_vanishes_stops_acting_before_its_lock_can_expire(
    own_redis: EmbeddedRedis,
) -> None:
    client = client_of(own_redis)
    leadership = Leadership(Lease(client, KEYS.scheduler_leader(), TTL_S), "test")
    cancelled_at: list[float] = []

    async def work(fence: Fence) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled_at.append(time.monotonic())

    stop = asyncio.Event()
    runner = asyncio.create_task(leadership.run(work, stop))
    try:
        await wait_for(lambda: leadership.is_leader)
        first = leadership.fence
        assert first is not None
        await asyncio.sleep(TTL_S / 2)
        own_redis.close()  # gone: no renewal succeeds from here on
        lock_expires_after = leadership.acting_until + leadership.margin_s  # last renewal sent + TTL (or later)
        await wait_for(lambda: bool(cancelled_at), limit_s=TTL_S * 3)
        assert cancelled_at[0] < lock_expires_after  # it stopped acting while its lock still stood
        assert not leadership.is_leader and not runner.done()  # a standby now, still campaigning

        own_redis.start()
        await wait_for(lambda: leadership.is_leader)  # leadership is retaken after recovery, under a new epoch
        assert leadership.fence is not None and leadership.fence.epoch > first.epoch
    finally:
        stop.set()
        await runner
        await client.aclose()


async def test_a_deposed_leaders_write_with_an_old_token_is_rejected(own_redis: EmbeddedRedis) -> None:
    client = client_of(own_redis)
    old, new = Lease(client, KEYS.scheduler_leader(), 0.3), Lease(client, KEYS.scheduler_leader(), 10)
    queue = IngestQueue(client, KEYS, Direct(client))
    try:
        deposed = await old.acquire()
        assert deposed is not None
        await queue.enqueue(10000002, deposed)  # while it leads, its writes go through
        await asyncio.sleep(0.5)  # it stalls past its TTL; another process takes over
        current = await new.acquire()
        assert current is not None and current.epoch > deposed.epoch
        with pytest.raises(LeadershipLost):
            await queue.enqueue(10000043, deposed)  # the late publish of the stalled leader
        with pytest.raises(LeadershipLost):
            await deposed.call("SET", KEYS.ingest_claim(10000043), b"1", "NX", "EX", 120)
        await queue.enqueue(10000043, current)
        entries = await client.xrange(KEYS.ingest_stream())
        assert [fields[b"region_id"] for _, fields in entries or []] == [b"10000002", b"10000043"]  # type: ignore[index]
        assert not await client.exists(KEYS.ingest_claim(10000043))
    finally:
        await client.flushall()
        await client.aclose()


async def test_two_candidates_never_lead_at_once_also_across_a_redis_restart(own_redis: EmbeddedRedis) -> None:
    clients = [client_of(own_redis), client_of(own_redis)]
    candidates = [Leadership(Lease(c, KEYS.scheduler_leader(), TTL_S), f"candidate-{i}") for i, c in enumerate(clients)]
    journal = f"{KEYS.prefix}journal"
    both: list[float] = []

    async def work(fence: Fence) -> None:  # a leader writes its epoch every 50 ms, through its fence
        while True:
            try:
                await fence.call("RPUSH", journal, fence.epoch)
            except LeadershipLost:
                raise
            except Exception:  # Redis away: the leadership loop decides when to stop acting
                pass
            await asyncio.sleep(0.05)

    async def watch() -> None:
        while True:
            if all(c.is_leader for c in candidates):
                both.append(time.monotonic())
            await asyncio.sleep(0.01)

    stop = asyncio.Event()
    runners = [asyncio.create_task(c.run(work, stop)) for c in candidates]
    watcher = asyncio.create_task(watch())
    try:
        await wait_for(lambda: any(c.is_leader for c in candidates))
        await asyncio.sleep(TTL_S)
        own_redis.close()
        await asyncio.sleep(TTL_S * 1.5)  # longer than the TTL: the lock has expired when Redis comes back
        assert not any(c.is_leader for c in candidates)
        own_redis.start()
        await wait_for(lambda: any(c.is_leader for c in candidates))
        await asyncio.sleep(TTL_S)
    finally:
        stop.set()
        await asyncio.gather(*runners)
        watcher.cancel()
    epochs = [int(e) for e in await clients[0].lrange(journal, 0, -1)]
    await clients[0].flushall()
    for client in clients:
        await client.aclose()
    assert not both  # at no moment did both consider themselves leader
    assert epochs == sorted(epochs) and len(set(epochs)) >= 2  # no write of a deposed leader after its successor's
