"""Tests of the bots' interaction state in Redis: keys, expiry, single-taker pop, platforms apart."""

from __future__ import annotations

import asyncio
import logging

import pytest
import redis.asyncio as aioredis

from adapters.redis.interaction_state import RedisInteractionState
from adapters.redis.keys import RedisKeys


async def test_put_gives_a_short_url_safe_key_and_get_reads_it(redis_client: aioredis.Redis, redis_prefix: str):
    state = RedisInteractionState(redis_client, RedisKeys(redis_prefix), "telegram")
    key = await state.put("pages", b"\x00page one", 60)
    assert key is not None and len(key) == 12 and key.replace("-", "").replace("_", "").isalnum()
    assert await state.get("pages", key) == b"\x00page one"
    assert await state.get("actions", key) is None  # kinds are apart
    assert await state.put("pages", b"x", 60) != key


async def test_values_expire_with_their_ttl(redis_client: aioredis.Redis, redis_prefix: str):
    state = RedisInteractionState(redis_client, RedisKeys(redis_prefix), "telegram")
    await state.set("question", "1:2", b"open", 0.05)
    assert await state.get("question", "1:2") == b"open"
    await asyncio.sleep(0.1)
    assert await state.get("question", "1:2") is None


async def test_pop_hands_a_value_to_one_taker_only(redis_client: aioredis.Redis, redis_prefix: str):
    state = RedisInteractionState(redis_client, RedisKeys(redis_prefix), "telegram")
    await state.set("question", "1:2", b"open", 60)
    taken = await asyncio.gather(*(state.pop("question", "1:2") for _ in range(10)))
    assert taken.count(b"open") == 1 and taken.count(None) == 9


async def test_platforms_and_restarts_share_state_by_prefix(redis_client: aioredis.Redis, redis_prefix: str):
    keys = RedisKeys(redis_prefix)
    telegram, discord = (
        RedisInteractionState(redis_client, keys, "telegram"),
        RedisInteractionState(redis_client, keys, "discord"),
    )
    key = await telegram.put("pages", b"t", 60)
    assert key is not None
    assert await discord.get("pages", key) is None
    assert await RedisInteractionState(redis_client, keys, "telegram").get("pages", key) == b"t"  # a new process


async def test_an_unreachable_redis_reads_as_empty_and_refuses_writes(caplog: pytest.LogCaptureFixture):
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    state = RedisInteractionState(dead, RedisKeys("evt-dead:"), "telegram")
    with caplog.at_level(logging.WARNING, logger="adapters.redis.interaction_state"):
        written = (await state.put("pages", b"x", 60), await state.set("question", "1:2", b"x", 60))
        read = (await state.get("pages", "k"), await state.pop("question", "1:2"))
    assert written == (None, False) and read == (None, None)
    assert len([r for r in caplog.records if r.name == "adapters.redis.interaction_state"]) == 1  # once a minute
    await dead.aclose()
