"""AI answers cached in Redis (1 h by default), with a cross-process single-flight lock and wait."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

import orjson
import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from adapters.redis.keys import RedisKeys
from core.analysis.ports import CachedAnswer
from core.chat.model import SourceAge

log = logging.getLogger(__name__)
POLL_S = 0.05


def encode_answer(answer: CachedAnswer) -> bytes:
    """The cached form of an answer (orjson object)."""
    return orjson.dumps(
        {
            "text": answer.text,
            "provider": answer.provider,
            "model": answer.model,
            "created_at": answer.created_at.isoformat(),
            "tool_calls": answer.tool_calls,
            "sources": [source.as_data() for source in answer.sources],
        }
    )


def decode_answer(raw: bytes | str) -> CachedAnswer:
    """An answer from its cached form (entries cached before sources were kept have none)."""
    fields = orjson.loads(raw)
    created = datetime.fromisoformat(fields["created_at"])
    sources = tuple(
        SourceAge(
            source["name"],
            datetime.fromisoformat(source["as_of"]) if source["as_of"] else None,
            source["kind"],
            source["id"],
        )
        for source in fields.get("sources", ())
    )
    return CachedAnswer(
        fields["text"], fields["provider"], fields["model"], created, int(fields.get("tool_calls", 0)), sources
    )


class RedisAnswerCache:
    """core.analysis.ports.AnswerCache on redis.asyncio; a Redis outage reads as a miss and never blocks answers."""

    def __init__(self, client: aioredis.Redis, keys: RedisKeys, *, poll_s: float = POLL_S) -> None:
        self._client = client
        self._keys = keys
        self._poll_s = poll_s
        self._held: dict[str, Lock] = {}

    async def get(self, key: str) -> CachedAnswer | None:
        """The cached answer, or None (also when Redis fails or the entry is unreadable)."""
        try:
            raw = await self._client.get(self._keys.ai_answer(key))
            return decode_answer(raw) if raw is not None else None
        except (RedisError, ValueError, KeyError) as exc:
            log.warning("AI answer cache read failed: %s", exc)
            return None

    async def put(self, key: str, answer: CachedAnswer, ttl_s: float) -> None:
        """Cache an answer for `ttl_s` seconds (a failure is logged, not raised)."""
        try:
            await self._client.set(self._keys.ai_answer(key), encode_answer(answer), px=max(1, round(ttl_s * 1000)))
        except RedisError as exc:
            log.warning("AI answer cache write failed: %s", exc)

    async def lead(self, key: str, ttl_s: float) -> bool:
        """Take the compute lock of `key` (SET NX PX); True also when Redis is down (everyone computes then)."""
        lock = Lock(self._client, self._keys.ai_flight(key), timeout=ttl_s, blocking=False, thread_local=False)
        try:
            if not await lock.acquire():
                return False
        except RedisError as exc:
            log.warning("AI single-flight lock unavailable: %s", exc)
            return True
        self._held[key] = lock
        return True

    async def done(self, key: str) -> None:
        """Release our compute lock of `key` (only if we still hold it)."""
        lock = self._held.pop(key, None)
        if lock is None:
            return
        try:
            await lock.release()
        except LockError:  # it lapsed (the answer took longer than its TTL): nothing to release
            return
        except RedisError as exc:
            log.warning("AI single-flight lock release failed (it will lapse): %s", exc)

    async def wait(self, key: str, timeout_s: float) -> CachedAnswer | None:
        """Poll for the lock holder's answer until it appears, the lock goes (holder gave up) or time runs out."""
        deadline = time.monotonic() + timeout_s
        lock_key = self._keys.ai_flight(key)
        while True:
            found = await self.get(key)
            if found is not None:
                return found
            try:
                held = await self._client.exists(lock_key)
            except RedisError:
                return None
            if not held:
                return await self.get(key)  # the holder may have stored it just before releasing
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(min(self._poll_s, max(0.0, deadline - time.monotonic())))
