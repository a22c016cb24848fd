"""SSO login states in Redis: SET NX with a TTL marks a state nonce used exactly once; where a sign-in returns to."""

from __future__ import annotations

import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys


class RedisStateStore:
    """core.accounts.sso.StateStore on Redis; the marker outlives the state so a replay is always caught."""

    def __init__(self, client: aioredis.Redis, keys: RedisKeys, ttl_s: float) -> None:
        """`ttl_s` must be at least the state lifetime (StateSigner.ttl_s); a little more is harmless."""
        if ttl_s <= 0:
            raise ValueError("the SSO state marker TTL must be positive")
        self._client = client
        self._keys = keys
        self.ttl_ms = max(1, round(ttl_s * 1000))

    def key(self, nonce: str) -> str:
        """The Redis key marking `nonce` used."""
        return self._keys.sso_state(nonce)

    async def consume(self, nonce: str) -> bool:
        """Mark `nonce` used; True only for the first caller (atomic across processes)."""
        return bool(await self._client.set(self.key(nonce), b"1", nx=True, px=self.ttl_ms))

    async def remember_return(self, nonce: str, path: str) -> None:
        """Keep the local page a sign-in started from (kept here, never in the state that goes to EVE SSO)."""
        await self._client.set(self.key(nonce) + ":return", path.encode(), px=self.ttl_ms)

    async def take_return(self, nonce: str) -> str | None:
        """The page the sign-in of `nonce` started from (once), or None."""
        raw = await self._client.getdel(self.key(nonce) + ":return")
        return raw.decode() if isinstance(raw, bytes) else raw
