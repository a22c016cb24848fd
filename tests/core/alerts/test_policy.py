"""The pure alert policy: crossing, hysteresis re-arming, cooldowns and quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from core.alerts.model import Direction, QuietHours, RuleError
from core.alerts.policy import RuleState, quiet_until, step

T0 = datetime(2026, 8, 1, 12, tzinfo=UTC)


def run(
    values: list[float | None],
    *,
    direction: Direction = Direction.BELOW,
    threshold: float = 4.5,
    hysteresis: float = 0.2,
    cooldown: timedelta = timedelta(0),
    every: timedelta = timedelta(minutes=5),
) -> list[int]:
    """Feed values one snapshot apart; return 1 where the rule fired, else 0."""
    state, fired = RuleState(), []
    for i, value in enumerate(values):
        did, state = step(direction, threshold, hysteresis, cooldown, state, value, T0 + i * every)
        fired.append(int(did))
    return fired


def test_below_fires_on_a_strict_crossing_once_per_excursion() -> None:
    assert run([4.6, 4.5, 4.49, 4.3, 4.2]) == [0, 0, 1, 0, 0]
    assert run([4.4, 4.55, 4.45, 4.69, 4.4, 4.7, 4.4]) == [1, 0, 0, 0, 0, 0, 1]


def test_above_mirrors_below() -> None:
    assert run([10, 12, 11, 12, 9.9, 12], direction=Direction.ABOVE, threshold=11, hysteresis=1) == [0, 1, 0, 0, 0, 1]


def test_zero_hysteresis_rearms_at_the_threshold() -> None:
    assert run([4.4, 4.5, 4.4], hysteresis=0) == [1, 0, 1]


def test_missing_values_change_nothing() -> None:
    assert run([None, 4.4, None, 4.8, None, 4.4]) == [0, 1, 0, 0, 0, 1]


def test_cooldown_delays_the_next_fire_but_does_not_drop_it() -> None:
    values: list[float | None] = [4.4, 4.8, 4.4, 4.4, 4.4]
    assert run(values, cooldown=timedelta(minutes=15)) == [1, 0, 0, 1, 0]
    assert run(values, cooldown=timedelta(minutes=10)) == [1, 0, 1, 0, 0]


def test_state_after_fire_and_rearm() -> None:
    fired, state = step(Direction.BELOW, 4.5, 0.2, timedelta(0), RuleState(), 4.3, T0)
    assert fired and state == RuleState(armed=False, last_fired_at=T0, last_value=4.3)
    later = T0 + timedelta(minutes=5)
    fired, state = step(Direction.BELOW, 4.5, 0.2, timedelta(0), state, 4.75, later)
    assert not fired and state == RuleState(armed=True, last_fired_at=T0, last_value=4.75)


@pytest.mark.parametrize(
    ("quiet", "now", "until"),
    [
        (
            QuietHours("UTC", time(22), time(6)),
            datetime(2026, 8, 1, 23, tzinfo=UTC),
            datetime(2026, 8, 2, 6, tzinfo=UTC),
        ),
        (
            QuietHours("UTC", time(22), time(6)),
            datetime(2026, 8, 2, 5, 59, tzinfo=UTC),
            datetime(2026, 8, 2, 6, tzinfo=UTC),
        ),
        (QuietHours("UTC", time(22), time(6)), datetime(2026, 8, 2, 6, tzinfo=UTC), None),
        (QuietHours("UTC", time(1), time(3)), datetime(2026, 8, 1, 0, 30, tzinfo=UTC), None),
        # 22:30 UTC is 00:30 in Berlin (summer time): quiet until 07:00 local = 05:00 UTC
        (
            QuietHours("Europe/Berlin", time(23), time(7)),
            datetime(2026, 8, 1, 22, 30, tzinfo=UTC),
            datetime(2026, 8, 2, 5, tzinfo=UTC),
        ),
        (
            QuietHours("Asia/Tokyo", time(9), time(17)),
            datetime(2026, 1, 5, 1, tzinfo=UTC),
            datetime(2026, 1, 5, 8, tzinfo=UTC),
        ),
    ],
)
def test_quiet_until(quiet: QuietHours, now: datetime, until: datetime | None) -> None:
    assert quiet_until(quiet, now) == until


def test_quiet_hours_validation() -> None:
    assert quiet_until(None, T0) is None
    with pytest.raises(RuleError, match="unknown time zone 'Mars/Olympus'"):
        QuietHours("Mars/Olympus", time(22), time(6))
    with pytest.raises(RuleError, match="different times"):
        QuietHours("UTC", time(6), time(6))
