"""Hub quotes cached in Redis: one hash per location, replaced atomically, expiring with the snapshot."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from core.market.model import Quote

MIN_TTL_S = 1.0
STAGING_TTL_MS = 60_000  # a replacement abandoned half-way cannot leave its temp hash behind for long
HSET_CHUNK = 5000


def encode_quote(quote: Quote) -> bytes:
    """The cached form of a quote: an orjson array of its fields without location and type (the key has them)."""
    return orjson.dumps(
        (
            quote.region_id,
            quote.best_buy,
            quote.best_sell,
            quote.buy_volume,
            quote.sell_volume,
            quote.buy_orders,
            quote.sell_orders,
            quote.buy_depth,
            quote.sell_depth,
            quote.buy_percentile,
            quote.sell_percentile,
            quote.buy_top5_avg,
            quote.sell_top5_avg,
            quote.as_of,
        )
    )


def decode_quote(location_id: int, type_id: int, raw: bytes | str) -> Quote:
    """A Quote from its cached form, with as_of restored to a datetime."""
    f: list[Any] = orjson.loads(raw)
    return Quote(
        f[0],
        location_id,
        type_id,
        f[1],
        f[2],
        f[3],
        f[4],
        f[5],
        f[6],
        f[7],
        f[8],
        f[9],
        f[10],
        f[11],
        f[12],
        datetime.fromisoformat(f[13]),
    )


def ttl_until(expires: datetime | None, now: datetime, *, default_s: float = 300.0) -> float:
    """Seconds from `now` until a snapshot expires (floor MIN_TTL_S; `default_s` without an Expires)."""
    if expires is None:
        return default_s
    return max(MIN_TTL_S, (expires - now).total_seconds())


class RedisQuoteCache:
    """QuoteCache on redis.asyncio."""

    def __init__(self, client: aioredis.Redis, keys: RedisKeys) -> None:
        self._client = client
        self._keys = keys

    async def put_location(self, location_id: int, quotes: Sequence[Quote], ttl_s: float) -> None:
        """Replace every cached quote of a location at once (temp hash, then RENAME + PEXPIRE in one MULTI)."""
        live = self._keys.quotes(location_id)
        if not quotes:
            await self._client.delete(live)
            return
        temp = self._keys.quotes_staging(location_id, uuid.uuid4().hex)
        fields = {b"%d" % q.type_id: encode_quote(q) for q in quotes}  # bytes: the cheapest path in redis-py
        items = list(fields.items())
        async with self._client.pipeline(transaction=False) as pipe:
            for start in range(0, len(items), HSET_CHUNK):
                pipe.hset(temp, mapping=dict(items[start : start + HSET_CHUNK]))
            pipe.pexpire(temp, STAGING_TTL_MS)
            await pipe.execute()
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.rename(temp, live)
            pipe.pexpire(live, max(1, round(max(MIN_TTL_S, ttl_s) * 1000)))
            await pipe.execute()

    async def get(self, location_id: int, type_id: int) -> Quote | None:
        """One cached quote, or None on a miss."""
        raw = await self._client.hget(self._keys.quotes(location_id), str(type_id))
        return decode_quote(location_id, type_id, raw) if raw is not None else None

    async def get_many(self, location_id: int, type_ids: Iterable[int]) -> dict[int, Quote]:
        """Cached quotes of several types at one location (misses are left out)."""
        wanted = list(type_ids)
        if not wanted:
            return {}
        raws = await self._client.hmget(self._keys.quotes(location_id), [str(t) for t in wanted])
        return {t: decode_quote(location_id, t, raw) for t, raw in zip(wanted, raws, strict=True) if raw is not None}

    async def ttl_ms(self, location_id: int) -> int:
        """Milliseconds until the location's cached quotes expire (-2 if absent)."""
        return int(await self._client.pttl(self._keys.quotes(location_id)))
