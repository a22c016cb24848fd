"""Creating alert rules from chat or API input: parsing, validation with messages meant for the user, limits."""

from __future__ import annotations

import math
from datetime import timedelta

from core.alerts.model import AlertKind, AlertTarget, Direction, RuleError, RuleSpec, Side
from core.market.hubs import HUBS

DEFAULT_MAX_RULES = 25  # per account, unless alert_preferences says otherwise (same default in migration 0007)
DEFAULT_COOLDOWN = timedelta(hours=1)
MAX_COOLDOWN = timedelta(days=7)
_HUB_REGION = {hub.station_id: hub for hub in HUBS}
ORDER_KINDS = frozenset({AlertKind.ORDER_UNDERCUT, AlertKind.ORDER_FILLED, AlertKind.ORDER_EXPIRING})


def _choice(enum: type[Side] | type[Direction] | type[AlertKind], raw: str, what: str) -> str:
    wanted = raw.strip().lower()
    valid = [member.value for member in enum]
    if wanted not in valid:
        raise RuleError(f"unknown {what} {raw!r}: use {' or '.join(valid)}")
    return wanted


def _number(raw: float | str, what: str) -> float:
    try:
        value = float(str(raw).replace(",", "").replace("_", "").strip()) if isinstance(raw, str) else float(raw)
    except ValueError:
        raise RuleError(f"the {what} must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise RuleError(f"the {what} must be a finite number, got {raw!r}")
    return value


def parse_rule(
    *,
    kind: str,
    region_id: int,
    type_id: int | None,
    target: AlertTarget,
    threshold: float | str,
    location_id: int | None = None,
    side: str | None = None,
    direction: str | None = None,
    hysteresis: float | str = 0.0,
    cooldown_minutes: float | str | None = None,
    has_character: bool = False,
) -> RuleSpec:
    """Turn loosely typed input ("sell", "below", "4.50") into a checked RuleSpec, or raise RuleError.

    Order rules (undercut, filled, expiring) need `has_character`: the account has a linked EVE character.
    """
    parsed_kind = AlertKind(_choice(AlertKind, kind, "alert kind"))
    if direction is None:
        if parsed_kind is AlertKind.PRICE:
            raise RuleError("say whether the price should go above or below the threshold")
        direction = Direction.ABOVE.value
    cooldown = DEFAULT_COOLDOWN
    if cooldown_minutes is not None:
        cooldown = timedelta(minutes=_number(cooldown_minutes, "cooldown"))
    spec = RuleSpec(
        kind=parsed_kind,
        region_id=region_id,
        type_id=type_id,
        location_id=location_id,
        side=Side(_choice(Side, side, "side")) if side is not None else None,
        direction=Direction(_choice(Direction, direction, "direction")),
        threshold=_number(threshold, "threshold"),
        hysteresis=_number(hysteresis, "hysteresis"),
        cooldown=cooldown,
        target=target,
    )
    return check_rule(spec, has_character=has_character)


def check_rule(spec: RuleSpec, *, has_character: bool = False) -> RuleSpec:
    """Return `spec` if it is a rule we can evaluate, else raise RuleError saying what to change."""
    kind = spec.kind
    if kind in ORDER_KINDS and has_character:
        return _check_order_rule(spec)
    if kind not in (AlertKind.PRICE, AlertKind.SPREAD, AlertKind.VOLUME_SPIKE):
        raise RuleError(f"{kind.value.replace('_', ' ')} alerts need a linked EVE character: use /link first")
    if spec.region_id <= 0 or (spec.location_id is not None and spec.location_id <= 0):
        raise RuleError("unknown region or station")
    hub = _HUB_REGION.get(spec.location_id or 0)
    if hub is not None and hub.region_id != spec.region_id:
        raise RuleError(f"{hub.name} is in {hub.region_name}, not in region {spec.region_id}")
    if spec.type_id is None or spec.type_id <= 0:
        raise RuleError("say which item the alert is about")
    if kind is AlertKind.PRICE and spec.side is None:
        raise RuleError("say which side to watch: buy or sell")
    if kind is not AlertKind.PRICE and spec.side is not None:
        raise RuleError(f"{kind.value.replace('_', ' ')} alerts look at both sides: leave out the side")
    if kind is AlertKind.VOLUME_SPIKE and spec.location_id is not None:
        raise RuleError("volume spikes are measured per region (CCP's daily history): leave out the station")
    _check_numbers(spec)
    return spec


def _check_order_rule(spec: RuleSpec) -> RuleSpec:
    """Order rules watch the character's orders in one region (of one type, if given); threshold: hours to expiry."""
    if spec.region_id <= 0 or spec.location_id is not None or spec.side is not None:
        raise RuleError("order alerts need a region and watch both sides everywhere in it: leave out station and side")
    if spec.type_id is not None and spec.type_id <= 0:
        raise RuleError("unknown item")
    _check_numbers(spec)
    return spec


def _check_numbers(spec: RuleSpec) -> None:
    threshold, hysteresis = spec.threshold, spec.hysteresis
    if not (math.isfinite(threshold) and math.isfinite(hysteresis)):
        raise RuleError("threshold and hysteresis must be finite numbers")
    if threshold < 0:
        raise RuleError(f"the threshold must not be negative, got {threshold:g}")
    if threshold == 0 and spec.kind is not AlertKind.SPREAD:
        raise RuleError("the threshold must be above 0")
    if hysteresis < 0:
        raise RuleError(f"the hysteresis must not be negative, got {hysteresis:g}")
    if hysteresis > threshold:
        raise RuleError(f"the hysteresis ({hysteresis:g}) must not be larger than the threshold ({threshold:g})")
    if not timedelta(0) <= spec.cooldown <= MAX_COOLDOWN:
        raise RuleError(f"the cooldown must be between 0 minutes and {MAX_COOLDOWN.days} days")
