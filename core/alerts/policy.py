"""The pure alert policy that the SQL evaluator mirrors: hysteresis, cooldown and quiet hours.

A rule fires when it is armed, its value strictly crosses the threshold (below: value < threshold; above:
value > threshold) and its cooldown has passed since it last fired; firing disarms it. A disarmed rule re-arms
only once the value is back beyond the band (below: value >= threshold + hysteresis; above: value <=
threshold - hysteresis), so a price wobbling around the threshold fires once. A crossing inside the cooldown
leaves the rule armed: it fires on the first evaluation after the cooldown if the value is still across.
A missing value (no orders on that side, no recent history) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.alerts.model import Direction, QuietHours


@dataclass(frozen=True)
class RuleState:
    """A rule's evaluation state between snapshots."""

    armed: bool = True
    last_fired_at: datetime | None = None
    last_value: float | None = None  # the value at the last state change (fire or re-arm)


def crossed(direction: Direction, value: float, threshold: float) -> bool:
    """Whether `value` is strictly across the threshold in the rule's direction."""
    return value < threshold if direction is Direction.BELOW else value > threshold


def back_beyond_band(direction: Direction, value: float, threshold: float, hysteresis: float) -> bool:
    """Whether `value` moved back far enough from the threshold to re-arm the rule."""
    return value >= threshold + hysteresis if direction is Direction.BELOW else value <= threshold - hysteresis


def cooled_down(last_fired_at: datetime | None, cooldown: timedelta, now: datetime) -> bool:
    """Whether the rule may fire again at `now`."""
    return last_fired_at is None or last_fired_at + cooldown <= now


def step(
    direction: Direction,
    threshold: float,
    hysteresis: float,
    cooldown: timedelta,
    state: RuleState,
    value: float | None,
    now: datetime,
) -> tuple[bool, RuleState]:
    """Evaluate one new value: (fired, state after)."""
    if value is None:
        return False, state
    if state.armed and crossed(direction, value, threshold) and cooled_down(state.last_fired_at, cooldown, now):
        return True, RuleState(armed=False, last_fired_at=now, last_value=value)
    if not state.armed and back_beyond_band(direction, value, threshold, hysteresis):
        return False, RuleState(armed=True, last_fired_at=state.last_fired_at, last_value=value)
    return False, state


def quiet_until(quiet: QuietHours | None, now: datetime) -> datetime | None:
    """When quiet hours around `now` end (UTC), or None when `now` is not in quiet hours.

    Alerts fired during quiet hours are deferred to that instant, not dropped: their message states the data age.
    """
    if quiet is None:
        return None
    zone = ZoneInfo(quiet.timezone)
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    wraps = quiet.end < quiet.start  # e.g. 22:00-07:00
    inside = (clock >= quiet.start or clock < quiet.end) if wraps else quiet.start <= clock < quiet.end
    if not inside:
        return None
    end_day = local.date() if clock < quiet.end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, quiet.end, tzinfo=zone).astimezone(UTC)
