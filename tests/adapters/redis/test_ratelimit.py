"""The Redis rate limiter: a burst, then one call per interval; keys are independent; the wait is accurate; several
budgets spent in one round trip keep each budget's own semantics."""

from __future__ import annotations

import asyncio
import logging

import pytest
import redis.asyncio as aioredis

from adapters.redis.ratelimit import RedisRateLimiter


async def test_burst_then_wait(redis_client: aioredis.Redis, redis_prefix: str):
    limiter = RedisRateLimiter(redis_client, redis_prefix, per_minute=60, burst=3)
    assert [await limiter.wait_time("u1") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = await limiter.wait_time("u1")
    assert 0.9 < wait <= 1.0
    assert await limiter.wait_time("u2") == 0.0  # another user has a budget of their own


async def test_budget_refills_and_concurrent_calls_never_exceed_it(redis_client: aioredis.Redis, redis_prefix: str):
    limiter = RedisRateLimiter(redis_client, redis_prefix, per_minute=600, burst=5)  # one call per 100 ms
    waits = await asyncio.gather(*(limiter.wait_time("busy") for _ in range(20)))
    assert sum(1 for wait in waits if wait == 0) == 5
    await asyncio.sleep(0.25)
    assert await limiter.wait_time("busy") == 0.0
    assert await redis_client.pttl(f"{redis_prefix}busy") > 0  # state expires on its own


def test_rejects_nonsense_limits(redis_client: aioredis.Redis):
    with pytest.raises(ValueError):
        RedisRateLimiter(redis_client, "x:", per_minute=0, burst=1)


async def test_unreachable_redis_lets_calls_through_and_warns_once(caplog: pytest.LogCaptureFixture):
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limiter = RedisRateLimiter(dead, "evt-dead:", per_minute=1, burst=1)
    with caplog.at_level(logging.WARNING, logger="adapters.redis.ratelimit"):
        waits = [await limiter.wait_time("discord:1") for _ in range(3)]
    assert waits == [0.0, 0.0, 0.0]  # a burst of 1 would have refused the second call
    warnings = [r for r in caplog.records if r.name == "adapters.redis.ratelimit"]
    assert len(warnings) == 1 and "Redis unreachable" in warnings[0].getMessage()
    await dead.aclose()


async def test_wait_time_spends_budgets_in_order_and_stops_at_the_first_refusal(
    redis_client: aioredis.Redis, redis_prefix: str
):
    ip = RedisRateLimiter(redis_client, f"{redis_prefix}ip:", per_minute=60, burst=3)
    user = RedisRateLimiter(redis_client, f"{redis_prefix}user:", per_minute=30, burst=1)
    assert await ip.wait_time("a", (user, "u")) == 0.0  # both allowed: both spent
    assert await user.wait_time("u") > 1.0  # the user's single call is gone (one per 2 s)
    wait = await ip.wait_time("a", (user, "u"))  # the address allows it (2nd of 3), the account refuses
    assert 1.0 < wait <= 2.0
    assert await ip.wait_time("a") == 0.0  # the address's 3rd call...
    assert 0.9 < await ip.wait_time("a", (user, "other")) <= 1.0  # ...so the refused call spent the 2nd; now it refuses
    assert await user.wait_time("other") == 0.0  # ...and the account after it was not spent


async def test_wait_time_spends_further_budgets_in_the_same_call(redis_client: aioredis.Redis, redis_prefix: str):
    ip = RedisRateLimiter(redis_client, f"{redis_prefix}ip:", per_minute=60, burst=3)
    user = RedisRateLimiter(redis_client, f"{redis_prefix}user:", per_minute=30, burst=1)
    assert await ip.wait_time("a", (user, "u")) == 0.0  # both allowed: both spent
    assert 1.0 < await ip.wait_time("a", (user, "u")) <= 2.0  # the account's one call is gone: refused
    assert await user.wait_time("other") == 0.0


async def test_budgets_spent_together_need_one_client(redis_client: aioredis.Redis, redis_prefix: str):
    other = aioredis.from_url("redis://127.0.0.1:1/0")
    with pytest.raises(ValueError):
        await RedisRateLimiter(redis_client, redis_prefix, per_minute=1, burst=1).wait_time(
            "a", (RedisRateLimiter(other, redis_prefix, per_minute=1, burst=1), "b")
        )
    await other.aclose()


async def test_budgets_spent_together_let_calls_through_when_redis_is_unreachable():
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    ip = RedisRateLimiter(dead, "evt-dead:ip:", per_minute=1, burst=1)
    user = RedisRateLimiter(dead, "evt-dead:user:", per_minute=1, burst=1)
    assert [await ip.wait_time("a", (user, "u")) for _ in range(2)] == [0.0, 0.0]
    await dead.aclose()
