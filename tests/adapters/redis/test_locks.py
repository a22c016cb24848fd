"""Lease (redis-py's Lock plus an epoch) against a real Redis: one holder, renew only if ours, takeover after TTL,
safe release, and fenced writes that only the current holder can make."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.locks import LeadershipLost, Lease

pytestmark = pytest.mark.integration


async def test_one_holder_and_takeover_after_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    key = RedisKeys(redis_prefix).leader_lock()
    first, second = Lease(redis_client, key, 0.2), Lease(redis_client, key, 0.2)
    fence = await first.acquire()
    assert fence is not None
    assert await second.acquire() is None
    assert await first.renew()
    assert await first.holder() == fence.token
    await asyncio.sleep(0.3)  # the holder died: no renewals
    taken = await second.acquire()
    assert taken is not None and taken.epoch > fence.epoch
    assert not await first.renew()
    await first.release()  # never deletes someone else's lock
    assert await second.holder() == taken.token
    await second.release()
    assert await second.holder() is None


async def test_renew_extends_the_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    key = RedisKeys(redis_prefix).leader_lock("web")
    lease = Lease(redis_client, key, 0.3)
    assert await lease.acquire() is not None
    for _ in range(3):
        await asyncio.sleep(0.15)
        assert await lease.renew()
    assert 0 < await redis_client.pttl(key) <= 300
    await lease.release()
    assert not await redis_client.exists(key)


async def test_a_fenced_write_runs_only_while_the_lock_is_held(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    keys = RedisKeys(redis_prefix)
    lease, scratch = Lease(redis_client, keys.leader_lock(), 10), f"{redis_prefix}fenced-write"
    fence = await lease.acquire()
    assert fence is not None
    assert await fence.call("SET", scratch, "1", "NX", "EX", 60)
    assert await fence.call("SET", scratch, "1", "NX", "EX", 60) is None  # the command's own answer
    await lease.release()
    with pytest.raises(LeadershipLost):
        await fence.call("DEL", scratch)
    assert await redis_client.exists(scratch)
