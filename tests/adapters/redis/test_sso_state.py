"""The Redis StateStore: a state nonce is consumed once, across clients, and the marker carries a TTL."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.sso_state import RedisStateStore
from core.accounts.sso import StateRejected, StateSigner, accept_state

pytestmark = pytest.mark.integration


async def test_consume_once_with_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    store = RedisStateStore(redis_client, RedisKeys(redis_prefix), ttl_s=600)
    assert await store.consume("nonce-aaaaaaaaaaaaaaaa")
    assert not await store.consume("nonce-aaaaaaaaaaaaaaaa")
    assert await store.consume("nonce-bbbbbbbbbbbbbbbb")
    assert store.key("x").startswith(redis_prefix)
    assert 590_000 < await redis_client.pttl(store.key("nonce-aaaaaaaaaaaaaaaa")) <= 600_000


async def test_only_one_concurrent_consumer_wins(redis_url: str, redis_prefix: str) -> None:
    clients = [aioredis.from_url(redis_url) for _ in range(4)]
    try:
        stores = [RedisStateStore(c, RedisKeys(redis_prefix), ttl_s=60) for c in clients]
        results = await asyncio.gather(*(s.consume("contested-nonce-123456") for s in stores for _ in range(5)))
    finally:
        for c in clients:
            await c.aclose()
    assert results.count(True) == 1


async def test_accept_state_replay_is_caught_in_redis(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    signer = StateSigner(b"r" * 32, ttl_s=300)
    store = RedisStateStore(redis_client, RedisKeys(redis_prefix), ttl_s=signer.ttl_s + 60)
    value = signer.issue("browser-1").value
    await accept_state(signer, store, value, "browser-1")
    with pytest.raises(StateRejected, match="replayed"):
        await accept_state(signer, store, value, "browser-1")


def test_ttl_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RedisStateStore(aioredis.Redis(), RedisKeys("p:"), ttl_s=0)
