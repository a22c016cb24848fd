"""CircuitBreaker: stop calling a provider that keeps failing, then let one trial call through after a cool-down."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from core.analysis.provider import ProviderErrorKind

# Failures that say something about the provider's health; others (a bad request) prove it is up and answering.
HEALTH_FAILURES = frozenset(
    {
        ProviderErrorKind.OVERLOADED,
        ProviderErrorKind.RATE_LIMITED,
        ProviderErrorKind.QUOTA,
        ProviderErrorKind.SERVER,
        ProviderErrorKind.TIMEOUT,
        ProviderErrorKind.CONNECTION,
        ProviderErrorKind.AUTH,
    }
)
# Failures that will not clear within a cool-down on their own: open the circuit at the first one.
TRIP_AT_ONCE = frozenset({ProviderErrorKind.QUOTA})


class BreakerState(StrEnum):
    """Closed: calls flow. Open: calls are skipped. Half-open: one trial call decides."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Per-provider breaker: opens after `failure_threshold` consecutive health failures, for `cooldown_s` seconds."""

    def __init__(
        self, *, failure_threshold: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if failure_threshold < 1 or cooldown_s <= 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown_s > 0")
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_started: float | None = None
        self.last_failure: ProviderErrorKind | None = None

    @property
    def state(self) -> BreakerState:
        """The state as of now (an open breaker whose cool-down has passed reads as half-open)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at < self.cooldown_s:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    @property
    def consecutive_failures(self) -> int:
        """Health failures since the last success."""
        return self._failures

    def retry_in_s(self) -> float:
        """Seconds until an open breaker lets a trial call through (0 when it would now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.cooldown_s - self._clock())

    def allow(self) -> bool:
        """Whether a call may go ahead now; in half-open, only one trial at a time (a stuck trial expires)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        now = self._clock()
        if self._trial_started is not None and now - self._trial_started < self.cooldown_s:
            return False
        self._trial_started = now
        return True

    def record_success(self) -> None:
        """The provider answered: close the breaker."""
        self._failures = 0
        self._opened_at = None
        self._trial_started = None

    def record_failure(self, kind: ProviderErrorKind) -> None:
        """Count a failed call; failures that are not about health count as proof of life."""
        if kind not in HEALTH_FAILURES:
            self.record_success()
            return
        self.last_failure = kind
        self._failures += 1
        half_open = self._opened_at is not None
        if half_open or kind in TRIP_AT_ONCE or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
            self._trial_started = None
