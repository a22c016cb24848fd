"""Leases on redis-py's Lock (token, extend, reacquire), with fencing: a leader's token starts with an epoch INCR'd
for every holder, and its writes go through a Lua call that first checks the lock still holds that token, so a
deposed leader's late write is rejected instead of racing the new leader's."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, ResponseError

# KEYS: lock, target; ARGV: token, command, its arguments after the key. The command runs only while we hold the lock.
_FENCED = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return redis.error_reply('FENCED')
end
return redis.call(ARGV[2], KEYS[2], unpack(ARGV, 3))
"""


class LeadershipLost(Exception):
    """A write by a holder whose lease is gone (expired or taken over): it was not made."""


class Writer(Protocol):
    """Runs one Redis command on one key (fenced or not)."""

    async def call(self, command: str, key: str, *args: Any) -> Any:
        """Run `command key *args`; raises LeadershipLost when fenced out."""


class Direct:
    """A Writer without a fence (tests, tools, processes that lead nothing)."""

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    async def call(self, command: str, key: str, *args: Any) -> Any:
        """Run the command as is."""
        return await self._client.execute_command(command, key, *args)  # type: ignore[no-untyped-call]


class Fence:
    """A Writer bound to one holding of a lock: each command runs only while the lock still holds `token`."""

    def __init__(self, client: aioredis.Redis, lock_key: str, token: str) -> None:
        self.lock_key, self.token = lock_key, token
        self.epoch = int(token.split(":", 1)[0]) if ":" in token else 0
        self._script = client.register_script(_FENCED)

    async def call(self, command: str, key: str, *args: Any) -> Any:
        """Run the command if the lock is still ours, atomically; LeadershipLost otherwise."""
        try:
            return await self._script(keys=[self.lock_key, key], args=[self.token, command, *args])
        except ResponseError as exc:
            if "FENCED" in str(exc):
                raise LeadershipLost(f"{self.lock_key} is no longer held by epoch {self.epoch}") from None
            raise


class Lease:
    """One holder at a time of `key` for ttl_s unless renewed; each holding gets a new epoch-prefixed token.

    redis-py's Lock does the take / renew (reacquire) / release; only the epoch counter and the fenced write
    (Fence) are ours. The Lock is not thread-local: every task of the holder shares its token.
    """

    def __init__(self, client: aioredis.Redis, key: str, ttl_s: float) -> None:
        self._client = client
        self.key, self.ttl_s = key, ttl_s
        self._lock = Lock(client, key, timeout=ttl_s, blocking=False, thread_local=False)

    async def acquire(self) -> Fence | None:
        """Take the lock if it is free; the fence of this holding, or None when someone else holds it."""
        if await self._lock.locked():
            return None
        epoch = await self._client.incr(f"{self.key}:epoch")
        token = f"{epoch}:{uuid.uuid4().hex}"
        if not await self._lock.acquire(blocking=False, token=token):
            return None
        return Fence(self._client, self.key, token)

    async def renew(self) -> bool:
        """Reset the TTL if we still hold the lock; False means it was lost (expired, taken over)."""
        try:
            return await self._lock.reacquire()
        except LockError:  # LockNotOwnedError included: not ours any more
            return False

    async def release(self) -> None:
        """Let go (a no-op when the lock is no longer ours)."""
        try:
            await self._lock.release()
        except LockError:
            return

    async def holder(self) -> str | None:
        """The token of the current holder, if any."""
        raw = await self._client.get(self.key)
        return raw.decode() if isinstance(raw, bytes) else raw
