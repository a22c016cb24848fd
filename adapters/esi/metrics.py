"""Prometheus counters of the ESI client, and once-per-streak failure/recovery logging."""

from __future__ import annotations

import logging

from prometheus_client import Counter

REQUESTS = Counter("esi_requests_total", "ESI responses by HTTP status (or timeout/connection)", ["status"])
RETRIES = Counter("esi_retries_total", "ESI request retries by reason", ["reason"])
RESPONSE_BYTES = Counter("esi_response_bytes_total", "ESI response body bytes after decompression")
NOT_MODIFIED = Counter("esi_not_modified_total", "ESI 304 Not Modified answers")
WAIT_SECONDS = Counter("esi_wait_seconds_total", "Seconds spent waiting before ESI requests", ["reason"])


class FailureStreakLog:
    """Logs the first failure of a streak and the recovery once, not every failed request."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._failures = 0

    def failed(self, what: str, reason: str) -> None:
        """Record one failed attempt; only the first of a streak is logged as a warning."""
        if self._failures == 0:
            self._logger.warning("ESI failing: %s: %s (further failures logged at debug)", what, reason)
        else:
            self._logger.debug("ESI still failing: %s: %s", what, reason)
        self._failures += 1

    def succeeded(self) -> None:
        """Record a successful answer; logs the recovery once if a streak was running."""
        if self._failures:
            self._logger.info("ESI recovered after %d failed attempt(s)", self._failures)
            self._failures = 0
