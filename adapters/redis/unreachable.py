"""Which errors mean "Redis is unreachable" (the Redis-backed helpers that degrade catch them and warn with
core.outage.UnreachableWarning, at most once a minute)."""

from __future__ import annotations

from redis.exceptions import RedisError

UNREACHABLE = (RedisError, OSError)
