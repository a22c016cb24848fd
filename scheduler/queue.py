"""Region refresh jobs on a Redis Stream, consumed by worker replicas through a consumer group (at least once)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from adapters.redis.keys import RedisKeys

log = logging.getLogger(__name__)
GROUP = "workers"
Handler = Callable[[int], Awaitable[object]]


class IngestQueue:
    """Producer and consumer sides of the ingest stream; a job is a region id; duplicates are harmless."""

    def __init__(self, redis: aioredis.Redis, keys: RedisKeys, *, reclaim_idle_ms: int = 120_000) -> None:
        self._redis = redis
        self._stream = keys.ingest_stream()
        self._reclaim_idle_ms = reclaim_idle_ms

    async def ensure_group(self) -> None:
        """Create the stream and its consumer group if missing."""
        try:
            await self._redis.xgroup_create(self._stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def enqueue(self, region_id: int) -> None:
        """Add a refresh job for the region (trimmed so the stream stays small)."""
        await self._redis.xadd(self._stream, {"region_id": str(region_id)}, maxlen=10_000, approximate=True)

    async def _handle(self, consumer: str, message_id: bytes, fields: dict[bytes, bytes], handler: Handler) -> None:
        try:
            await handler(int(fields[b"region_id"]))
        except Exception:
            log.exception("ingest job failed", extra={"consumer": consumer, "message_id": message_id.decode()})
        await self._redis.xack(self._stream, GROUP, message_id)

    async def consume(self, consumer: str, handler: Handler, stop: asyncio.Event, block_ms: int = 2000) -> None:
        """Process jobs until `stop`: first those a dead consumer left pending, then new ones; ack each."""
        await self.ensure_group()
        while not stop.is_set():
            reply: Any = await self._redis.xautoclaim(  # Redis 6.2 answers 2 items, 7.x adds deleted ids
                self._stream, GROUP, consumer, min_idle_time=self._reclaim_idle_ms, count=10
            )
            for message_id, fields in reply[1]:
                if fields:
                    await self._handle(consumer, message_id, fields, handler)
            batch: Any = await self._redis.xreadgroup(GROUP, consumer, {self._stream: ">"}, count=1, block=block_ms)
            for _, messages in batch or []:
                for message_id, fields in messages:
                    await self._handle(consumer, message_id, fields, handler)
