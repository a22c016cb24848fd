"""CircuitBreaker: opening on consecutive health failures, the cool-down, the half-open trial."""

from __future__ import annotations

import pytest

from core.analysis.breaker import BreakerState, CircuitBreaker
from core.analysis.provider import ProviderErrorKind as Kind


def state_of(breaker: CircuitBreaker) -> BreakerState:
    """The breaker's state, read through a call (mypy would keep an earlier `is` narrowing of the property)."""
    return breaker.state


class Clock:
    """A clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, cooldown_s=30.0, clock=clock)


def test_opens_after_n_consecutive_failures_and_stays_open_for_the_cool_down(breaker: CircuitBreaker, clock: Clock):
    for _ in range(2):
        breaker.record_failure(Kind.OVERLOADED)
        assert breaker.allow() and breaker.state is BreakerState.CLOSED
    breaker.record_failure(Kind.TIMEOUT)
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    assert breaker.last_failure is Kind.TIMEOUT and breaker.retry_in_s() == 30.0
    clock.now += 29.9
    assert not breaker.allow() and breaker.retry_in_s() == pytest.approx(0.1)


def test_a_success_resets_the_count(breaker: CircuitBreaker):
    breaker.record_failure(Kind.SERVER)
    breaker.record_failure(Kind.SERVER)
    breaker.record_success()
    breaker.record_failure(Kind.SERVER)
    breaker.record_failure(Kind.SERVER)
    assert breaker.state is BreakerState.CLOSED and breaker.consecutive_failures == 2


def test_half_open_lets_exactly_one_trial_through_and_a_success_closes(breaker: CircuitBreaker, clock: Clock):
    for _ in range(3):
        breaker.record_failure(Kind.CONNECTION)
    clock.now += 30.0
    assert breaker.state == BreakerState.HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # the trial is in flight
    breaker.record_success()
    assert state_of(breaker) is BreakerState.CLOSED and breaker.allow() and breaker.allow()


def test_a_failed_trial_reopens_for_another_cool_down(breaker: CircuitBreaker, clock: Clock):
    for _ in range(3):
        breaker.record_failure(Kind.RATE_LIMITED)
    clock.now += 31.0
    assert breaker.allow()
    breaker.record_failure(Kind.RATE_LIMITED)
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now += 30.0
    assert breaker.allow()


def test_a_stuck_trial_expires_after_a_cool_down(breaker: CircuitBreaker, clock: Clock):
    for _ in range(3):
        breaker.record_failure(Kind.SERVER)
    clock.now += 30.0
    assert breaker.allow()  # this trial never reports back (its task was cancelled)
    clock.now += 10.0
    assert not breaker.allow()
    clock.now += 20.0
    assert breaker.allow()


def test_quota_opens_at_once(breaker: CircuitBreaker):
    breaker.record_failure(Kind.QUOTA)
    assert breaker.state is BreakerState.OPEN and breaker.last_failure is Kind.QUOTA


def test_a_bad_request_is_proof_of_life_not_a_health_failure(breaker: CircuitBreaker):
    breaker.record_failure(Kind.AUTH)
    breaker.record_failure(Kind.AUTH)
    breaker.record_failure(Kind.BAD_REQUEST)
    breaker.record_failure(Kind.AUTH)
    assert breaker.state is BreakerState.CLOSED and breaker.consecutive_failures == 1


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, 30.0), (3, 0.0)])
def test_rejects_nonsense_settings(threshold: int, cooldown: float):
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=threshold, cooldown_s=cooldown)
