"""Link codes: unguessable, stored hashed, single use, expiring."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.link_codes import RedisLinkCodes
from core.accounts.linking import LinkRequest

REQUEST = LinkRequest("discord", "1001", 5, "Alice")


async def test_a_code_is_redeemed_exactly_once(redis_client: aioredis.Redis, redis_prefix: str):
    codes = RedisLinkCodes(redis_client, RedisKeys(redis_prefix))
    code = await codes.issue(REQUEST)
    assert len(code) >= 24 and await codes.peek(code) == REQUEST and await codes.peek(code) == REQUEST
    redeemed = await asyncio.gather(*(codes.consume(code) for _ in range(5)))
    assert redeemed.count(REQUEST) == 1 and redeemed.count(None) == 4
    assert await codes.peek(code) is None
    stored = [key async for key in redis_client.scan_iter(match=redis_prefix + "*")]
    assert all(code.encode() not in key for key in stored)


async def test_codes_expire_and_garbage_is_refused(redis_client: aioredis.Redis, redis_prefix: str):
    codes = RedisLinkCodes(redis_client, RedisKeys(redis_prefix))
    code = await codes.issue(REQUEST, ttl_s=1)
    other = await codes.issue(REQUEST)
    assert code != other
    await asyncio.sleep(1.1)
    assert await codes.consume(code) is None
    assert await codes.consume("../../etc/passwd") is None and await codes.peek("") is None
