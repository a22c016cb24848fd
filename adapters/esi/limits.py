"""Client-side gates for ESI's global error limit and its per-group bucket rate limits."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from adapters.esi.headers import RateLimitHeaders

Clock = Callable[[], float]

_NUMERIC_SEGMENT = re.compile(r"/\d+(?=/|$)")


def route_key(path: str) -> str:
    """The route template of a path (`/markets/10000002/orders` -> `/markets/{id}/orders`)."""
    return _NUMERIC_SEGMENT.sub("/{id}", path)


class ErrorLimitGate:
    """One gate shared by all requests: closed while the error budget is at the floor or after a 420."""

    def __init__(self, floor: int, *, fallback_reset_s: float = 60.0, clock: Clock = time.monotonic) -> None:
        self._floor = floor
        self._fallback_reset_s = fallback_reset_s
        self._clock = clock
        self._closed_until = 0.0

    def observe(self, remain: int | None, reset_s: float | None) -> bool:
        """Take a response's error-limit headers; True when this newly closed the gate."""
        if remain is None or remain > self._floor:
            return False
        return self._close_for(self._fallback_reset_s if reset_s is None else max(reset_s, 0.0))

    def close_after_420(self, reset_s: float | None) -> bool:
        """ESI answered 420: close until the window resets (at least 1 s); True when newly closed."""
        return self._close_for(self._fallback_reset_s if reset_s is None else max(reset_s, 1.0))

    def delay(self) -> float:
        """Seconds a new request must wait before it may be sent (0 when open)."""
        return max(self._closed_until - self._clock(), 0.0)

    def _close_for(self, seconds: float) -> bool:
        was_open = self.delay() <= 0
        self._closed_until = max(self._closed_until, self._clock() + seconds)
        return was_open and seconds > 0


@dataclass
class _Bucket:
    limit_tokens: int | None = None
    window_s: float | None = None
    remaining: int | None = None
    blocked_until: float = 0.0
    next_slot: float = 0.0


class BucketLimits:
    """Per-group token buckets learnt from X-Ratelimit-* headers: pace near empty, honour 429 waits.

    A route's group is only known after its first answer; routes that answer 429 without group
    headers get a bucket of their own (keyed by route template).
    """

    def __init__(
        self,
        *,
        reserve_fraction: float = 0.01,
        min_reserve_tokens: int = 10,
        tokens_per_request: int = 2,
        fallback_interval_s: float = 1.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self._reserve_fraction = reserve_fraction
        self._min_reserve_tokens = min_reserve_tokens
        self._tokens_per_request = tokens_per_request
        self._fallback_interval_s = fallback_interval_s
        self._clock = clock
        self._group_of_route: dict[str, str] = {}
        self._buckets: dict[str, _Bucket] = {}

    def observe(self, route: str, rate: RateLimitHeaders | None) -> None:
        """Take a response's rate-limit headers for `route`."""
        if rate is None:
            return
        self._group_of_route[route] = rate.group
        bucket = self._bucket(route)
        if rate.limit_tokens is not None:
            bucket.limit_tokens, bucket.window_s = rate.limit_tokens, rate.window_s
        if rate.remaining is not None:
            bucket.remaining = rate.remaining

    def block(self, route: str, seconds: float) -> None:
        """ESI answered 429 for `route`: nothing of its group goes out for `seconds`."""
        bucket = self._bucket(route)
        bucket.blocked_until = max(bucket.blocked_until, self._clock() + seconds)

    def delay(self, route: str) -> tuple[float, str]:
        """Seconds to wait before sending a request on `route`, and why; books a paced slot when low."""
        bucket = self._bucket(route)
        now = self._clock()
        blocked = max(bucket.blocked_until - now, 0.0)
        if bucket.remaining is None or bucket.remaining >= self._reserve(bucket):
            return blocked, "rate_limit"
        slot = max(now + blocked, bucket.next_slot)
        bucket.next_slot = slot + self._interval(bucket)
        return slot - now, "rate_limit_pacing"

    def group_of(self, route: str) -> str:
        """The bucket name `route` is accounted under."""
        return self._group_of_route.get(route, "route:" + route)

    def _bucket(self, route: str) -> _Bucket:
        return self._buckets.setdefault(self.group_of(route), _Bucket())

    def _reserve(self, bucket: _Bucket) -> float:
        by_fraction = (bucket.limit_tokens or 0) * self._reserve_fraction
        return max(by_fraction, self._min_reserve_tokens)

    def _interval(self, bucket: _Bucket) -> float:
        if not bucket.limit_tokens or not bucket.window_s:
            return self._fallback_interval_s
        return bucket.window_s * self._tokens_per_request / bucket.limit_tokens
