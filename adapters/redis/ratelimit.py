"""A Redis rate limiter (GCRA: a steady rate with a burst), atomic in one Lua call, shared by every process.

With Redis unreachable (a restart, a failover) it lets calls through and says so in the log, at most once a minute:
a price check that can be answered from Postgres should not fail because its rate limit cannot be counted.
"""

from __future__ import annotations

import logging

import redis.asyncio as aioredis

from adapters.redis.unreachable import UNREACHABLE, UnreachableWarning

log = logging.getLogger(__name__)

# KEYS[1] = the key's theoretical arrival time (ms); ARGV = now_ms, interval_ms, burst.
# A call is allowed when tat - now <= (burst - 1) * interval; then tat advances by one interval.
_GCRA = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allowance = (burst - 1) * interval
if tat - now > allowance then
    return tat - now - allowance
end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now))
return 0
"""


class RedisRateLimiter:
    """At most `burst` calls at once per key, refilled at `per_minute`; `wait_time` says how long to wait."""

    def __init__(self, client: aioredis.Redis, prefix: str, *, per_minute: float, burst: int) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("a rate limit needs per_minute > 0 and burst >= 1")
        self._client = client
        self._prefix = prefix
        self._interval_ms = max(1, round(60_000 / per_minute))  # integer ms: Lua keeps exact integers
        self._burst = burst
        self._script = client.register_script(_GCRA)
        self._warn = UnreachableWarning(log, "rate limit not counted: Redis unreachable; letting calls through")

    async def wait_time(self, key: str) -> float:
        """Take one call from the key's budget: 0.0 when allowed (or Redis is unreachable), else the seconds until
        the next one is."""
        try:
            server_time = await self._client.time()  # the server's clock: every process agrees on "now"
            now_ms = server_time[0] * 1000 + server_time[1] // 1000
            waited = await self._script(keys=[self._prefix + key], args=[now_ms, self._interval_ms, self._burst])
        except UNREACHABLE as exc:
            self._warn(exc)
            return 0.0
        return float(waited) / 1000.0
