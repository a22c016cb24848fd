"""Riding out an unreachable server: capped, jittered backoff between retries and a once-a-minute warning."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable

WARN_EVERY_S = 60.0


class Backoff:
    """Delays for consecutive failures: base * 2**n, capped, with full jitter (many processes do not retry in step)."""

    def __init__(self, base_s: float = 0.5, cap_s: float = 15.0, rng: Callable[[], float] = random.random) -> None:
        self.base_s, self.cap_s, self._rng = base_s, cap_s, rng
        self.failures = 0

    def next(self) -> float:
        """The delay before the next attempt (and count one more failure)."""
        ceiling = min(self.cap_s, self.base_s * 2**self.failures)
        self.failures = min(self.failures + 1, 32)
        return float(ceiling / 2 + self._rng() * ceiling / 2)

    def reset(self) -> None:
        """A success: the next failure starts from `base_s` again."""
        self.failures = 0


class Throttle:
    """True at most once every `every_s` seconds (for 'still unreachable' log lines)."""

    def __init__(self, every_s: float = WARN_EVERY_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s, self._clock = every_s, clock
        self._last: float | None = None

    def ready(self) -> bool:
        """Whether to log now (True on the first call, then once per interval)."""
        now = self._clock()
        if self._last is None or now - self._last >= self.every_s:
            self._last = now
            return True
        return False


class UnreachableWarning:
    """Logs `message` on `logger` for an unreachable server, at most once every `every_s` seconds."""

    def __init__(
        self, logger: logging.Logger, message: str, *, every_s: float = WARN_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self._logger, self._message = logger, message
        self._throttle = Throttle(every_s, clock)

    def __call__(self, exc: BaseException) -> None:
        """Note one failed call (logged when the last warning is old enough)."""
        if self._throttle.ready():
            self._logger.warning(self._message, extra={"error": str(exc)})


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less when `stop` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))
