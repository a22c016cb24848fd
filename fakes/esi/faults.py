"""Switchable, countable faults: 5xx, hangs, 429s, error-limit lockout, snapshot flips, bad bodies."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PRE = frozenset({"server_error", "timeout", "rate_limited"})
POST = frozenset({"truncated", "malformed"})


@dataclass
class Fault:
    """One queued fault; it fires on matching requests until `count` is used up."""

    kind: str
    count: int
    path: re.Pattern[str] | None = None
    page: int | None = None
    status: int = 503
    delay_s: float = 0.0
    retry_after: int = 1
    ratelimit_headers: bool = True

    def matches(self, path: str, page: int | None) -> bool:
        """Whether this fault applies to a request for `path` (regex search) and `page`."""
        if self.path is not None and not self.path.search(path):
            return False
        return self.page is None or self.page == page


class Faults:
    """The fault switchboard of an EsiFake (also driven over HTTP via POST /_fake/faults)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        """No faults armed."""
        self._clock = clock
        self._queue: list[Fault] = []
        self._flips: list[tuple[int, int]] = []
        self.error_limited_until: float | None = None

    def _add(self, kind: str, count: int, path: str | None, page: int | None, **extra: Any) -> None:
        """Queue a fault."""
        self._queue.append(Fault(kind, count, re.compile(path) if path else None, page, **extra))

    def server_errors(
        self, count: int = 1, status: int = 503, path: str | None = None, page: int | None = None
    ) -> None:
        """The next `count` matching requests get `status` with an ESI error body."""
        self._add("server_error", count, path, page, status=status)

    def timeouts(self, count: int = 1, delay_s: float = 30.0, path: str | None = None, page: int | None = None) -> None:
        """The next `count` matching requests hang `delay_s` seconds before being answered normally."""
        self._add("timeout", count, path, page, delay_s=delay_s)

    def rate_limited(
        self,
        count: int = 1,
        retry_after: int = 1,
        path: str | None = None,
        page: int | None = None,
        ratelimit_headers: bool = True,
    ) -> None:
        """The next `count` matching requests get 429 with Retry-After (X-Ratelimit-* optional)."""
        self._add("rate_limited", count, path, page, retry_after=retry_after, ratelimit_headers=ratelimit_headers)

    def error_limited(self, reset_s: float) -> None:
        """Answer 420 to everything for the next `reset_s` seconds."""
        self.error_limited_until = self._clock() + reset_s

    def flip_snapshot_after(self, page: int, region_id: int) -> None:
        """Once page `page` of the region's orders has been served, advance the region (once)."""
        self._flips.append((region_id, page))

    def truncated(self, count: int = 1, path: str | None = None, page: int | None = None) -> None:
        """The next `count` matching 200s have their body cut mid-JSON."""
        self._add("truncated", count, path, page)

    def malformed(self, count: int = 1, path: str | None = None, page: int | None = None) -> None:
        """The next `count` matching 200s carry valid JSON whose items miss fields or have wrong types."""
        self._add("malformed", count, path, page)

    def clear(self) -> None:
        """Disarm every fault."""
        self._queue.clear()
        self._flips.clear()
        self.error_limited_until = None

    def pending(self) -> int:
        """Number of armed faults (flips and an active lockout included)."""
        return len(self._queue) + len(self._flips) + (self.error_limit_reset() is not None)

    def error_limit_reset(self) -> int | None:
        """Seconds left of an error_limited() lockout, or None."""
        if self.error_limited_until is None:
            return None
        left = self.error_limited_until - self._clock()
        if left <= 0:
            self.error_limited_until = None
            return None
        return max(1, math.ceil(left))

    def take(self, kinds: frozenset[str], path: str, page: int | None) -> Fault | None:
        """Consume one firing of the first armed fault of `kinds` matching the request."""
        for fault in self._queue:
            if fault.kind in kinds and fault.matches(path, page):
                fault.count -= 1
                if fault.count <= 0:
                    self._queue.remove(fault)
                return fault
        return None

    def take_flip(self, region_id: int, page: int) -> bool:
        """Consume a flip armed for this region and page."""
        if (region_id, page) in self._flips:
            self._flips.remove((region_id, page))
            return True
        return False

    def arm(self, kind: str, **kwargs: Any) -> None:
        """Arm a fault by its method name (the HTTP control API's entry point)."""
        aliases = {"server_error": "server_errors", "timeout": "timeouts", "flip_snapshot": "flip_snapshot_after"}
        name = aliases.get(kind, kind)
        if name not in _ARMABLE:
            raise ValueError(f"unknown fault kind {kind!r}")
        getattr(self, name)(**kwargs)


_ARMABLE = frozenset(
    {"server_errors", "timeouts", "rate_limited", "error_limited", "flip_snapshot_after", "truncated", "malformed"}
)
