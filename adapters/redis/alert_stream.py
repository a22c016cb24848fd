"""Alert deliveries on a Redis Stream per platform, consumed by the bot processes through a consumer group.

An entry carries an outbox id and its dispatch sequence; Postgres stays the truth. The dispatcher adds entry
(id, seq) at most once (a marker set in the same Lua call as the XADD), so re-running it never queues a row twice.
"""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from adapters.redis.keys import RedisKeys
from core.alerts.delivery import QueuedEntry

GROUP = "deliverers"
MARKER_TTL_S = 7 * 86400  # longer than any row stays queued before the dispatcher requeues it with a new seq
STREAM_MAXLEN = 100_000

# KEYS: stream, marker; ARGV: outbox id, seq, marker ttl, maxlen. Returns the entry id, or false when already added.
_ADD_ONCE = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then
    return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'outbox_id', ARGV[1], 'seq', ARGV[2])
end
return false
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _entries(messages: Any) -> list[QueuedEntry]:
    found = []
    for entry_id, fields in messages or []:
        if not fields:  # deleted (trimmed) while pending: nothing to deliver
            continue
        raw = fields.get(b"outbox_id", fields.get("outbox_id"))
        if raw is not None:
            found.append(QueuedEntry(_text(entry_id), int(raw)))
    return found


class AlertStream:
    """One platform's delivery stream: producer (add_once) and consumer-group sides (DeliveryQueue)."""

    def __init__(
        self, redis: aioredis.Redis, keys: RedisKeys, platform: str, *, reclaim_idle_ms: int = 180_000
    ) -> None:
        self._redis = redis
        self._keys = keys
        self.platform = platform
        self.key = keys.alert_stream(platform)
        self.reclaim_idle_ms = reclaim_idle_ms
        self._add_once = redis.register_script(_ADD_ONCE)

    async def ensure_group(self) -> None:
        """Create the stream and its consumer group if missing."""
        try:
            await self._redis.xgroup_create(self.key, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def add_once(self, outbox_id: int, seq: int) -> str | None:
        """Add entry (outbox_id, seq) unless it was added before; the new entry id, or None."""
        marker = self._keys.alert_dispatched(self.platform, outbox_id, seq)
        added = await self._add_once(keys=[self.key, marker], args=[outbox_id, seq, MARKER_TTL_S, STREAM_MAXLEN])
        return _text(added) if added else None

    async def reclaim(self, consumer: str, count: int = 10) -> list[QueuedEntry]:
        """Take over entries left unacknowledged longer than the idle time (a dead consumer's, or our own)."""
        reply: Any = await self._redis.xautoclaim(  # Redis 6.2 answers 2 items, 7.x adds deleted ids
            self.key, GROUP, consumer, min_idle_time=self.reclaim_idle_ms, count=count
        )
        return _entries(reply[1])

    async def read(self, consumer: str, count: int = 10, block_ms: int = 2000) -> list[QueuedEntry]:
        """New entries for this consumer (blocks up to `block_ms`; 0 means do not block)."""
        batch: Any = await self._redis.xreadgroup(GROUP, consumer, {self.key: ">"}, count=count, block=block_ms or None)
        return [entry for _, messages in batch or [] for entry in _entries(messages)]

    async def ack(self, entry_id: str) -> None:
        """Acknowledge an entry (it leaves the group's pending list)."""
        await self._redis.xack(self.key, GROUP, entry_id)

    async def pending(self) -> int:
        """How many entries were read but not acknowledged."""
        summary: Any = await self._redis.xpending(self.key, GROUP)
        return int(summary["pending"])

    async def length(self) -> int:
        """How many entries the stream holds."""
        return int(await self._redis.xlen(self.key))
