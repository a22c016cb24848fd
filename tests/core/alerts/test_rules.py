"""Rule parsing and validation: good input becomes a RuleSpec, bad input gets a message the user can act on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.alerts.model import AlertKind, AlertTarget, Direction, RuleError, RuleSpec, Side, TargetKind
from core.alerts.rules import DEFAULT_COOLDOWN, parse_rule

FORGE, JITA, AMARR, TRIT = 10000002, 60003760, 60008494, 34
DM = AlertTarget("telegram", TargetKind.DM, "42")


def parse(**changes: object) -> RuleSpec:
    """parse_rule with a valid Tritanium-sell-below-4.50-at-Jita base, changed by `changes`."""
    args: dict[str, object] = {
        "kind": "price",
        "region_id": FORGE,
        "type_id": TRIT,
        "location_id": JITA,
        "side": "sell",
        "direction": "below",
        "threshold": "4.50",
        "target": DM,
    }
    return parse_rule(**(args | changes))  # type: ignore[arg-type]


def test_chat_input_becomes_a_spec() -> None:
    spec = parse(side=" Sell ", threshold="1,234.5", hysteresis="0.5", cooldown_minutes=15)
    assert spec == parse_rule(
        kind="price",
        region_id=FORGE,
        type_id=TRIT,
        location_id=JITA,
        side="sell",
        direction="below",
        threshold=1234.5,
        hysteresis=0.5,
        cooldown_minutes="15",
        target=DM,
    )
    assert (spec.kind, spec.side, spec.direction, spec.threshold) == (
        AlertKind.PRICE,
        Side.SELL,
        Direction.BELOW,
        1234.5,
    )
    assert spec.cooldown == timedelta(minutes=15)


def test_spread_and_volume_default_to_above_and_the_default_cooldown() -> None:
    spread = parse(kind="spread", side=None, direction=None, threshold=10)
    volume = parse(kind="volume_spike", side=None, direction=None, threshold=3, location_id=None)
    assert (spread.direction, volume.direction) == (Direction.ABOVE, Direction.ABOVE)
    assert spread.cooldown == DEFAULT_COOLDOWN
    assert parse(kind="spread", side=None, threshold=0).threshold == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"side": "middle"}, "unknown side 'middle': use buy or sell"),
        ({"direction": "sideways"}, "unknown direction 'sideways': use above or below"),
        ({"kind": "moon"}, "unknown alert kind 'moon'"),
        ({"threshold": "-1"}, "the threshold must not be negative, got -1"),
        ({"threshold": "cheap"}, "the threshold must be a number, got 'cheap'"),
        ({"threshold": "nan"}, "the threshold must be a finite number"),
        ({"threshold": 0}, "the threshold must be above 0"),
        ({"hysteresis": 5}, "the hysteresis (5) must not be larger than the threshold (4.5)"),
        ({"hysteresis": -0.1}, "the hysteresis must not be negative"),
        ({"cooldown_minutes": 60 * 24 * 8}, "the cooldown must be between 0 minutes and 7 days"),
        ({"side": None}, "say which side to watch: buy or sell"),
        ({"direction": None}, "say whether the price should go above or below"),
        ({"type_id": None}, "say which item"),
        ({"location_id": AMARR}, "Amarr is in Domain, not in region 10000002"),
        ({"kind": "spread"}, "spread alerts look at both sides: leave out the side"),
        ({"kind": "volume_spike", "side": None}, "volume spikes are measured per region"),
        ({"kind": "order_undercut"}, "order undercut alerts need a linked EVE character"),
        ({"kind": "daily_digest"}, "daily digest alerts need a linked EVE character"),
    ],
)
def test_bad_input_gets_a_clear_message(changes: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse(**changes)
    assert message in str(caught.value)


def test_targets_are_checked() -> None:
    assert AlertTarget("slack", TargetKind.CHANNEL, "C123").platform == "slack"  # new platforms need no core change
    with pytest.raises(RuleError, match="not an email address"):
        AlertTarget("email", TargetKind.EMAIL, "pilot.example.com")
    with pytest.raises(RuleError, match="unknown delivery platform"):
        AlertTarget("Discord!", TargetKind.DM, "1")
    with pytest.raises(RuleError, match="target address is empty"):
        AlertTarget("discord", TargetKind.DM, " ")
