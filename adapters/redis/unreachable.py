"""What Redis-backed helpers that degrade share: which errors mean "Redis is unreachable", and a warning at most
once a minute about it (an outage would otherwise log one line per call)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

UNREACHABLE = (RedisError, OSError)
WARN_EVERY_S = 60.0


class UnreachableWarning:
    """Logs `message` on `logger` for an unreachable Redis, at most once every `every_s` seconds."""

    def __init__(
        self, logger: logging.Logger, message: str, *, every_s: float = WARN_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self._logger, self._message, self._every_s, self._clock = logger, message, every_s, clock
        self._warned_at: float | None = None

    def __call__(self, exc: BaseException) -> None:
        """Note one failed call (logged when the last warning is old enough)."""
        now = self._clock()
        if self._warned_at is None or now - self._warned_at >= self._every_s:
            self._warned_at = now
            self._logger.warning(self._message, extra={"error": str(exc)})
