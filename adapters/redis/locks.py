"""A Redis leader lock: SET NX PX to take it, compare-and-pexpire to renew, compare-and-delete to release."""

from __future__ import annotations

import uuid

import redis.asyncio as aioredis

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


class LeaderLock:
    """One holder at a time; a dead holder's lock lapses after ttl_s so another can take over."""

    def __init__(self, client: aioredis.Redis, key: str, ttl_s: float, *, token: str | None = None) -> None:
        self._client = client
        self.key = key
        self.ttl_ms = max(1, round(ttl_s * 1000))
        self.token = token or uuid.uuid4().hex
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)

    async def acquire(self) -> bool:
        """Take the lock if nobody holds it; True when we now hold it (also if we already did)."""
        if await self._client.set(self.key, self.token, nx=True, px=self.ttl_ms):
            return True
        return await self.renew()

    async def renew(self) -> bool:
        """Extend the lock's TTL only if we still hold it; False means leadership was lost."""
        return bool(await self._renew(keys=[self.key], args=[self.token, self.ttl_ms]))

    async def release(self) -> bool:
        """Delete the lock only if we hold it; True if it was ours."""
        return bool(await self._release(keys=[self.key], args=[self.token]))

    async def holder(self) -> str | None:
        """The token of the current holder, if any."""
        raw = await self._client.get(self.key)
        return raw.decode() if isinstance(raw, bytes) else raw
