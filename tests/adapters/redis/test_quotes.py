"""RedisQuoteCache against a real Redis: round trip, TTL, atomic replacement, speed."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache, encode_quote, encode_quotes, ttl_until
from core.market.model import Quote

pytestmark = pytest.mark.integration
AS_OF = datetime(2026, 8, 1, 12, 0, 5, tzinfo=UTC)


def quote(type_id: int, best_sell: float | None = 5.25) -> Quote:
    """A quote at Jita with distinctive numbers."""
    return Quote(
        10000002,
        60003760,
        type_id,
        4.5,
        best_sell,
        1000,
        2000,
        3,
        4,
        50,
        60,
        4.4,
        None if best_sell is None else 5.3,
        4.45,
        None,
        AS_OF,
    )


async def test_round_trip_and_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    keys = RedisKeys(redis_prefix)
    cache = RedisQuoteCache(redis_client, keys)
    await cache.put_location(60003760, [quote(34), quote(35, None)], ttl_s=120)
    assert await cache.get(60003760, 34) == quote(34)
    assert await cache.get(60003760, 35) == quote(35, None)
    assert await cache.get(60003760, 36) is None
    assert await cache.get(60008494, 34) is None
    assert await cache.get_many(60003760, [34, 36, 35]) == {34: quote(34), 35: quote(35, None)}
    assert 119_000 < await cache.ttl_ms(60003760) <= 120_000
    await cache.put_location(60003760, [quote(34)], ttl_s=0.01)
    assert 0 < await cache.ttl_ms(60003760) <= 1000  # floor of 1 s


async def test_replacement_is_atomic_and_leaves_no_stale_fields(
    redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    keys = RedisKeys(redis_prefix)
    cache = RedisQuoteCache(redis_client, keys)
    await cache.put_location(60003760, [quote(t) for t in range(1, 101)], ttl_s=60)
    await cache.put_location(60003760, [quote(500, 9.0)], ttl_s=60)
    assert await redis_client.hkeys(keys.quotes(60003760)) == [b"500"]
    assert [k async for k in redis_client.scan_iter(match=redis_prefix + "quotes-tmp:*")] == []
    await cache.put_location(60003760, [], ttl_s=60)
    assert await cache.get(60003760, 500) is None


async def test_fifteen_thousand_quotes_in_one_replacement(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    cache = RedisQuoteCache(redis_client, RedisKeys(redis_prefix))
    quotes = [quote(t) for t in range(1, 15_001)]
    start = time.perf_counter()
    await cache.put_location(60003760, quotes, ttl_s=300)
    elapsed = time.perf_counter() - start
    assert await redis_client.hlen(RedisKeys(redis_prefix).quotes(60003760)) == 15_000
    print(f"\n15k quotes cached in {elapsed * 1000:.0f} ms")  # a figure, not a timed assertion


async def test_the_stored_form_of_a_quote(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    # What readers in other processes parse (decode_quote): fields in this order, as orjson writes them.
    keys = RedisKeys(redis_prefix)
    await RedisQuoteCache(redis_client, keys).put_location(60003760, [quote(34), quote(35, None)], ttl_s=60)
    assert await redis_client.hgetall(keys.quotes(60003760)) == {
        b"34": b'[10000002,4.5,5.25,1000,2000,3,4,50,60,4.4,5.3,4.45,null,"2026-08-01T12:00:05+00:00"]',
        b"35": b'[10000002,4.5,null,1000,2000,3,4,50,60,4.4,null,4.45,null,"2026-08-01T12:00:05+00:00"]',
    }


def test_quotes_encoded_together_are_each_one_encoded_alone() -> None:
    odd = [
        dataclasses.replace(quote(1), best_buy=1e16, buy_percentile=1.5e-07, sell_top5_avg=-0.0),
        dataclasses.replace(quote(2, None), region_id=10000043, buy_volume=2**62, as_of=AS_OF.replace(microsecond=7)),
        dataclasses.replace(quote(3), as_of=AS_OF.astimezone(timezone(timedelta(hours=-5)))),
    ]
    quotes = odd + [quote(t, None if t % 3 else t * 1.25) for t in range(4, 200)]
    assert encode_quotes(quotes) == [encode_quote(q) for q in quotes]
    assert encode_quotes(quotes[:1]) == [encode_quote(quotes[0])]
    assert encode_quotes([]) == []


def test_ttl_until() -> None:
    now = datetime(2026, 8, 1, tzinfo=UTC)
    assert ttl_until(now + timedelta(seconds=90), now) == 90
    assert ttl_until(now - timedelta(seconds=5), now) == 1.0
    assert ttl_until(None, now, default_s=42) == 42
