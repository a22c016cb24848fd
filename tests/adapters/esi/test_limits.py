"""Unit tests of the error-limit gate and bucket rate limits with a controlled clock."""

from __future__ import annotations

import pytest

from adapters.esi.headers import RateLimitHeaders
from adapters.esi.limits import BucketLimits, ErrorLimitGate, route_key


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_route_key_replaces_ids() -> None:
    assert route_key("/markets/10000002/orders") == "/markets/{id}/orders"
    assert route_key("/characters/93/wallet/journal") == "/characters/{id}/wallet/journal"


def test_gate_closes_at_floor_until_reset() -> None:
    clock = FakeClock()
    gate = ErrorLimitGate(10, clock=clock)
    assert gate.observe(50, 30) is False
    assert gate.delay() == 0
    assert gate.observe(10, 30) is True
    assert gate.delay() == pytest.approx(30)
    assert gate.observe(9, 29) is False  # already closed: no second "closed" event
    clock.now += 30
    assert gate.delay() == 0


def test_gate_420_without_reset_uses_fallback() -> None:
    clock = FakeClock()
    gate = ErrorLimitGate(10, fallback_reset_s=60, clock=clock)
    gate.close_after_420(None)
    assert gate.delay() == pytest.approx(60)


def test_gate_at_floor_with_zero_reset_does_not_wait_but_420_waits_a_second() -> None:
    clock = FakeClock()
    gate = ErrorLimitGate(10, clock=clock)
    assert gate.observe(3, 0) is False
    assert gate.delay() == 0
    assert gate.close_after_420(0) is True
    assert gate.delay() == pytest.approx(1)


def _market(remaining: int) -> RateLimitHeaders:
    return RateLimitHeaders("market-order", 12000, 900.0, remaining, 2)


def test_bucket_no_wait_with_tokens_to_spare() -> None:
    limits = BucketLimits(clock=FakeClock())
    limits.observe("/markets/{id}/orders", _market(5000))
    assert limits.delay("/markets/{id}/orders") == (0.0, "rate_limit")


def test_bucket_near_empty_spreads_requests_at_refill_rate() -> None:
    limits = BucketLimits(clock=FakeClock())
    limits.observe("/markets/{id}/orders", _market(50))  # reserve: 1% of 12000 = 120
    interval = 900 * 2 / 12000
    delays = [limits.delay("/markets/{id}/orders")[0] for _ in range(3)]
    assert delays == pytest.approx([0.0, interval, 2 * interval])
    assert limits.delay("/markets/{id}/orders")[1] == "rate_limit_pacing"


def test_bucket_group_shared_by_routes_and_429_blocks_group() -> None:
    clock = FakeClock()
    limits = BucketLimits(clock=clock)
    limits.observe("/markets/{id}/orders", _market(5000))
    limits.observe("/markets/structures/{id}", _market(5000))
    limits.block("/markets/{id}/orders", 7)
    delay, reason = limits.delay("/markets/structures/{id}")
    assert delay == pytest.approx(7.0)
    assert reason == "rate_limit"
    assert limits.delay("/universe/ids") == (0.0, "rate_limit")


def test_429_without_group_headers_blocks_only_that_route() -> None:
    limits = BucketLimits(clock=FakeClock())
    limits.block("/route/{id}/{id}", 3)
    assert limits.delay("/route/{id}/{id}")[0] == pytest.approx(3)
    assert limits.delay("/markets/prices")[0] == 0
