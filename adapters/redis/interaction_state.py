"""Chat bots' interaction state in Redis: every replica sees it, a restart keeps it, expiry is Redis's own."""

from __future__ import annotations

import secrets

import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys

KEY_BYTES = 9  # 72 bits, 12 URL-safe characters: small enough for Telegram's 64-byte callback data


class RedisInteractionState:
    """InteractionState over Redis strings with PX expiry (GETDEL for pop)."""

    def __init__(self, client: aioredis.Redis, keys: RedisKeys, platform: str) -> None:
        self._client, self._keys, self._platform = client, keys, platform

    def _key(self, kind: str, key: str) -> str:
        return self._keys.cache(f"bot:{self._platform}:{kind}", key)

    async def put(self, kind: str, value: bytes, ttl_s: float) -> str:
        """Keep `value` under a new random key for `ttl_s` seconds; the key."""
        key = secrets.token_urlsafe(KEY_BYTES)
        await self.set(kind, key, value, ttl_s)
        return key

    async def set(self, kind: str, key: str, value: bytes, ttl_s: float) -> None:
        """Keep (or replace) `value` under `key` for `ttl_s` seconds."""
        await self._client.set(self._key(kind, key), value, px=max(1, int(ttl_s * 1000)))

    async def get(self, kind: str, key: str) -> bytes | None:
        """The live value under `key`, or None."""
        return _as_bytes(await self._client.get(self._key(kind, key)))

    async def pop(self, kind: str, key: str) -> bytes | None:
        """Remove and return the value under `key` in one step (GETDEL), or None."""
        return _as_bytes(await self._client.getdel(self._key(kind, key)))


def _as_bytes(value: bytes | str | None) -> bytes | None:
    """A reply as bytes (the clients here return bytes; a decode_responses client would give str)."""
    return value.encode() if isinstance(value, str) else value
