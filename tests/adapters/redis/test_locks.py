"""LeaderLock against a real Redis: one holder, renew only if ours, takeover after TTL, safe release."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.locks import LeaderLock

pytestmark = pytest.mark.integration


async def test_one_leader_and_takeover_after_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    key = RedisKeys(redis_prefix).leader_lock()
    first, second = LeaderLock(redis_client, key, 0.2), LeaderLock(redis_client, key, 0.2)
    assert await first.acquire()
    assert not await second.acquire()
    assert await first.renew()
    assert await first.holder() == first.token
    await asyncio.sleep(0.3)  # the leader died: no renewals
    assert await second.acquire()
    assert not await first.renew()
    assert not await first.release()  # never deletes someone else's lock
    assert await second.holder() == second.token
    assert await second.release()
    assert await second.holder() is None


async def test_renew_extends_the_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    key = RedisKeys(redis_prefix).leader_lock("web")
    lock = LeaderLock(redis_client, key, 0.3)
    assert await lock.acquire()
    for _ in range(3):
        await asyncio.sleep(0.15)
        assert await lock.renew()
    assert await lock.acquire()  # re-acquiring our own lock keeps it
    assert 0 < await redis_client.pttl(key) <= 300
    assert await lock.release()
