"""Alert text: what crossed, where, by how much, when and how old the data is; payload round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.alerts.fired import FiredAlert
from core.alerts.message import alert_message, place_name
from core.alerts.model import AlertKind, AlertTarget, Direction, Side, TargetKind
from core.alerts.values import DEFAULT_FEES, margin_pct, volume_ratio
from core.formatting import data_age
from core.market.fees import station_trade_margin

AS_OF = datetime(2026, 8, 1, 12, 5, tzinfo=UTC)
TARGET = AlertTarget("discord", TargetKind.CHANNEL, "998877")
PRICE = FiredAlert(
    outbox_id=7,
    idempotency_key="3@2026-08-01T12:05:00.000000Z",
    rule_id=3,
    account_id=1,
    kind=AlertKind.PRICE,
    region_id=10000002,
    type_id=34,
    location_id=60003760,
    side=Side.SELL,
    direction=Direction.BELOW,
    threshold=4.5,
    value=4.31,
    as_of=AS_OF,
    fired_at=AS_OF + timedelta(seconds=20),
    target=TARGET,
    best_buy=4.1,
    best_sell=4.31,
)


def test_price_message_matches_the_issue_example() -> None:
    text = alert_message(PRICE, "Tritanium", AS_OF + timedelta(minutes=3, seconds=10))
    assert text == "Tritanium sell at Jita fell below 4.50 ISK: now 4.31 (-4.2%), as of 12:05 UTC, data 3 min old"


def test_region_wide_buy_above_message() -> None:
    alert = replace(PRICE, location_id=None, side=Side.BUY, direction=Direction.ABOVE, threshold=1e6, value=1_234_567.8)
    text = alert_message(alert, "PLEX", AS_OF + timedelta(hours=3))
    assert text == (
        "PLEX buy in The Forge rose above 1,000,000.00 ISK: now 1,234,567.80 (+23.5%), as of 12:05 UTC, data 3 h old"
    )


def test_spread_and_volume_messages() -> None:
    spread = replace(PRICE, kind=AlertKind.SPREAD, side=None, direction=Direction.ABOVE, threshold=10.0, value=12.34)
    assert alert_message(spread, "Tritanium", AS_OF) == (
        "Tritanium margin after fees at Jita rose above 10.0%: now 12.3% (+2.3 points, buy 4.10 / sell 4.31 ISK),"
        " as of 12:05 UTC, data under 1 min old"
    )
    volume = replace(
        PRICE,
        kind=AlertKind.VOLUME_SPIKE,
        side=None,
        location_id=None,
        direction=Direction.ABOVE,
        threshold=3.0,
        value=7.5,
        volume=5000,
        avg_volume=20000 / 30,
        volume_day=date(2026, 7, 31),
    )
    assert alert_message(volume, "Tritanium", AS_OF + timedelta(days=3), place="in Jita's region") == (
        "Tritanium volume in Jita's region rose above 3x the 30-day average: now 7.5x (5,000 traded on 2026-07-31"
        " vs 667/day), as of 12:05 UTC, data 3 days old"
    )


def test_place_and_age_wording() -> None:
    assert place_name(10000002, 60003760) == "at Jita"
    assert place_name(10000002, 1022734985679) == "at station 1022734985679"
    assert place_name(90000001, 1022734985679, {1022734985679: "Perimeter - Tower"}) == "at Perimeter - Tower"
    assert place_name(90000001, 1022734985679, {1: "elsewhere"}) == "at station 1022734985679"
    assert place_name(10000043, None) == "in Domain"
    assert place_name(10000060, None) == "in region 10000060"
    assert data_age(AS_OF, AS_OF - timedelta(seconds=5)) == "data under 1 min old"  # clock skew never goes negative
    assert data_age(AS_OF, AS_OF + timedelta(minutes=119)) == "data 119 min old"


def test_payload_round_trip() -> None:
    deferred = replace(PRICE, deliver_after=AS_OF + timedelta(hours=8), volume_day=date(2026, 7, 31), volume=3)
    rebuilt = FiredAlert.from_outbox(7, deferred.idempotency_key, deferred.payload(), TARGET, deferred.deliver_after)
    assert rebuilt == deferred


def test_margin_and_volume_values() -> None:
    # buy 100, sell 120, broker 1.8%, tax 4.48% (8% at Accounting IV): (120 x 0.9372 - 101.8) / 101.8
    assert margin_pct(100.0, 120.0) == pytest.approx((120 * (1 - 0.018 - 0.0448) - 101.8) / 101.8 * 100)
    ticked = station_trade_margin(100.0, 120.0).margin_on_cost * 100
    assert abs(margin_pct(100.0, 120.0) - ticked) < 0.5  # type: ignore[operator]
    assert DEFAULT_FEES.broker_rate == 0.018
    assert margin_pct(None, 5.0) is None and margin_pct(0.0, 5.0) is None
    assert volume_ratio(3000, 30000) == 3.0 and volume_ratio(5, 0) is None
