"""A Redis rate limiter (GCRA: a steady rate with a burst), atomic in one Lua call, shared by every process.

With Redis unreachable (a restart, a failover) it lets calls through and says so in the log, at most once a minute:
a price check that can be answered from Postgres should not fail because its rate limit cannot be counted.
Several budgets (the panel's per address and per account) are spent in one round trip by one limiter's `wait_time`
given the others.
"""

from __future__ import annotations

import logging

import redis.asyncio as aioredis

from adapters.redis.unreachable import UNREACHABLE
from core.outage import UnreachableWarning

log = logging.getLogger(__name__)

# KEYS[i] = a budget's theoretical arrival time (ms); ARGV[2i-1], ARGV[2i] = its interval_ms and burst. "Now" is the
# server's clock (every process agrees on it). The budgets are spent in order: a call is allowed by one when
# tat - now <= (burst - 1) * interval, and then its tat advances by one interval; the first budget that refuses
# ends the script (the later ones are not spent) and its wait in ms is returned; 0 when every budget allowed it.
_GCRA = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
for i, key in ipairs(KEYS) do
    local interval = tonumber(ARGV[2 * i - 1])
    local burst = tonumber(ARGV[2 * i])
    local tat = tonumber(redis.call('GET', key) or now)
    if tat < now then tat = now end
    local allowance = (burst - 1) * interval
    if tat - now > allowance then
        return tat - now - allowance
    end
    redis.call('SET', key, tat + interval, 'PX', math.ceil(tat + interval - now))
end
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

    async def wait_time(self, key: str, *more: tuple[RedisRateLimiter, str]) -> float:
        """Take one call from the key's budget, then from each of `more` (limiter, key), in order, in one round trip:
        0.0 when all allowed it (or Redis is unreachable), else the seconds the first refusing budget asks to wait
        (the budgets after it are not spent). The limiters must share one Redis client."""
        budgets = ((self, key), *more)
        if any(limiter._client is not self._client for limiter, _ in more):
            raise ValueError("budgets spent together need limiters on one Redis client")
        args: list[int] = []
        for limiter, _ in budgets:
            args += (limiter._interval_ms, limiter._burst)
        try:
            waited = await self._script(keys=[limiter._prefix + name for limiter, name in budgets], args=args)
        except UNREACHABLE as exc:
            self._warn(exc)
            return 0.0
        return float(waited) / 1000.0
