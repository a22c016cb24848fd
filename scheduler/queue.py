"""Region refresh jobs on a Redis Stream, consumed by worker replicas through a consumer group (at least once)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from adapters.redis.unreachable import UNREACHABLE
from core.outage import Backoff, UnreachableWarning, pause

if TYPE_CHECKING:
    from adapters.redis.keys import RedisKeys
    from adapters.redis.locks import Writer

log = logging.getLogger(__name__)
GROUP = "workers"
Handler = Callable[[int], Awaitable[object]]


class IngestQueue:
    """Producer and consumer sides of the ingest stream; a job is a region id; duplicates are harmless."""

    def __init__(
        self, redis: aioredis.Redis, keys: RedisKeys, writer: Writer, *, reclaim_idle_ms: int = 120_000
    ) -> None:
        """`writer` publishes jobs when no fence is given (the unfenced writer of tools and non-leaders)."""
        self._redis = redis
        self._direct = writer
        self._stream = keys.ingest_stream()
        self._reclaim_idle_ms = reclaim_idle_ms
        self._warn = UnreachableWarning(log, "ingest queue unreachable: retrying with backoff")
        self.group_joined = False

    async def ensure_group(self) -> None:
        """Create the stream and its consumer group if missing."""
        try:
            await self._redis.xgroup_create(self._stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self.group_joined = True

    async def enqueue(self, region_id: int, writer: Writer | None = None) -> None:
        """Add a refresh job for the region (trimmed so the stream stays small); `writer`: the leader's fence."""
        args = ("MAXLEN", "~", 10_000, "*", "region_id", str(region_id))
        await (writer or self._direct).call("XADD", self._stream, *args)

    async def _handle(self, consumer: str, message_id: bytes, fields: dict[bytes, bytes], handler: Handler) -> None:
        try:
            await handler(int(fields[b"region_id"]))
        except Exception:
            log.exception("ingest job failed", extra={"consumer": consumer, "message_id": message_id.decode()})
        await self._redis.xack(self._stream, GROUP, message_id)

    async def consume(self, consumer: str, handler: Handler, stop: asyncio.Event, block_ms: int = 2000) -> None:
        """Process jobs until `stop`: first those a dead consumer left pending, then new ones; ack each.

        An unreachable Redis is waited out (capped, jittered backoff; a warning a minute), never raised."""
        backoff = Backoff()
        self.group_joined = False
        while not stop.is_set():
            try:
                if not self.group_joined:
                    await self.ensure_group()
                await self._consume_once(consumer, handler, block_ms)
                backoff.reset()
            except UNREACHABLE as exc:
                self.group_joined = False  # a Redis that restarted empty needs the group again
                self._warn(exc)
                await pause(stop, backoff.next())

    async def _consume_once(self, consumer: str, handler: Handler, block_ms: int) -> None:
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
