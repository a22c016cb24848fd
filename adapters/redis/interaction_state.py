"""Chat bots' interaction state in Redis: every replica sees it, a restart keeps it, expiry is Redis's own.

Best effort (the port's contract): with Redis unreachable, reads give None and writes report failure, with one
warning a minute in the log.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable
from typing import TypeVar

import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.unreachable import UNREACHABLE
from core.outage import UnreachableWarning

KEY_BYTES = 9  # 72 bits, 12 URL-safe characters: small enough for Telegram's 64-byte callback data
log = logging.getLogger(__name__)
T = TypeVar("T")


class RedisInteractionState:
    """InteractionState over Redis strings with PX expiry (GETDEL for pop)."""

    def __init__(self, client: aioredis.Redis, keys: RedisKeys, platform: str) -> None:
        self._client, self._keys, self._platform = client, keys, platform
        self._warn = UnreachableWarning(log, "bot state unreachable: pages and questions are not kept")

    def _key(self, kind: str, key: str) -> str:
        return self._keys.bot_state(self._platform, kind, key)

    async def put(self, kind: str, value: bytes, ttl_s: float) -> str | None:
        """Keep `value` under a new random key for `ttl_s` seconds; the key, or None when Redis is unreachable."""
        key = secrets.token_urlsafe(KEY_BYTES)
        return key if await self.set(kind, key, value, ttl_s) else None

    async def set(self, kind: str, key: str, value: bytes, ttl_s: float) -> bool:
        """Keep (or replace) `value` under `key` for `ttl_s` seconds; False when Redis is unreachable."""
        done = await self._reach(self._client.set(self._key(kind, key), value, px=max(1, int(ttl_s * 1000))))
        return bool(done)

    async def get(self, kind: str, key: str) -> bytes | None:
        """The live value under `key`, or None (also when Redis is unreachable)."""
        return _as_bytes(await self._reach(self._client.get(self._key(kind, key))))

    async def pop(self, kind: str, key: str) -> bytes | None:
        """Remove and return the value under `key` in one step (GETDEL), or None."""
        return _as_bytes(await self._reach(self._client.getdel(self._key(kind, key))))

    async def _reach(self, call: Awaitable[T]) -> T | None:
        try:
            return await call
        except UNREACHABLE as exc:
            self._warn(exc)
            return None


def _as_bytes(value: bytes | str | None) -> bytes | None:
    """A reply as bytes (the clients here return bytes; a decode_responses client would give str)."""
    return value.encode() if isinstance(value, str) else value
