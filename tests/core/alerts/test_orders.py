"""Pure order alert logic: the tick grid, undercut vs back on top, filled vs cancelled/expired, expiring, routing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.alerts.model import AlertKind, AlertTarget, QuietHours, TargetKind
from core.alerts.orders import (
    GONE_GRACE,
    BookKey,
    CharacterOrder,
    OrderEvent,
    OrderRule,
    OrderState,
    OrderStatus,
    Review,
    book_key,
    expiring_window,
    order_message,
    outbox_entries,
    review_orders,
    tick_size,
    ticks_better,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SELL = CharacterOrder(7, 34, 10000002, 60003760, False, 1_234_000.0, 10, 10, NOW - timedelta(days=1), 30)
BUY = replace(SELL, order_id=8, is_buy_order=True, price=5.55)
TARGET = AlertTarget("discord", TargetKind.DM, "42")


def review(
    previous: dict[int, OrderState],
    current: list[CharacterOrder] | None,
    best: dict[BookKey, float | None],
    history: dict[int, CharacterOrder] | None = None,
    expiring_within: timedelta = timedelta(hours=24),
) -> Review:
    return review_orders(
        previous, current, best, history=history or {}, instant=NOW, now=NOW, expiring_within=expiring_within
    )


@pytest.mark.parametrize(
    ("price", "tick"),
    [(0.005, 0.01), (5.55, 0.01), (99.99, 0.01), (1234.5, 1.0), (1_234_000.0, 1000.0), (9_999_999.0, 1000.0)],
)
def test_tick_follows_the_four_significant_digit_grid(price: float, tick: float) -> None:
    assert tick_size(price) == pytest.approx(tick)


def test_ticks_better_counts_whole_ticks_and_ignores_float_noise() -> None:
    assert ticks_better(1_234_000.0, 1_233_000.0, is_buy=False) == 1
    assert ticks_better(1_234_000.0, 1_233_999.99, is_buy=False) == 0  # better, but by less than a tick
    assert ticks_better(1_234_000.0, 1_229_000.0, is_buy=False) == 5
    assert ticks_better(5.55, 5.56, is_buy=True) == 1  # outbid by 0.01
    assert ticks_better(5.55, 5.55 + 0.01 - 1e-12, is_buy=True) == 1  # 5.56 as floats compute it
    assert ticks_better(5.55, 5.55, is_buy=True) == 0
    assert ticks_better(5.55, None, is_buy=True) == 0


def test_first_sighting_on_top_is_quiet_then_undercut_then_back_on_top() -> None:
    key = book_key(SELL)
    first = review({}, [SELL], {key: 1_240_000.0})
    assert first.alerts == [] and first.states[0].on_top is True
    states = {s.order.order_id: s for s in first.states}
    undercut = review(states, [SELL], {key: 1_233_000.0})
    assert [(a.event, a.ticks, a.competitor) for a in undercut.alerts] == [(OrderEvent.UNDERCUT, 1, 1_233_000.0)]
    states = {s.order.order_id: s for s in undercut.states}
    assert states[7].on_top is False and states[7].last_notified == NOW
    again = review(states, [SELL], {key: 1_232_000.0})
    assert again.alerts == []  # still undercut: one alert per episode
    back = review({s.order.order_id: s for s in again.states}, [SELL], {key: None})
    assert [a.event for a in back.alerts] == [OrderEvent.BACK_ON_TOP]


def test_a_competitor_at_our_price_or_a_missing_book_is_not_an_undercut() -> None:
    assert review({}, [SELL], {book_key(SELL): SELL.price}).alerts == []
    unknown = review({}, [SELL], {})
    assert unknown.alerts == [] and unknown.states[0].on_top is None


def test_a_new_order_seen_undercut_alerts_and_a_reprice_starts_a_new_episode() -> None:
    key = book_key(BUY)
    seen = review({}, [BUY], {key: 5.60})
    assert [(a.event, a.ticks) for a in seen.alerts] == [(OrderEvent.UNDERCUT, 5)]
    repriced = replace(BUY, price=5.58)
    again = review({s.order.order_id: s for s in seen.states}, [repriced], {key: 5.60})
    assert [a.event for a in again.alerts] == [OrderEvent.UNDERCUT]


def test_filled_cancelled_and_expired_departures() -> None:
    previous = {o.order_id: OrderState(o, on_top=True) for o in (SELL, BUY, replace(SELL, order_id=9))}
    history = {
        7: replace(SELL, volume_remain=0, state="expired"),
        8: replace(BUY, state="cancelled"),
    }
    result = review(previous, [], {}, history=history)
    status = {s.order.order_id: s.status for s in result.states}
    assert status == {7: OrderStatus.FILLED, 8: OrderStatus.CANCELLED, 9: OrderStatus.GONE}
    assert [(a.event, a.order.order_id) for a in result.alerts] == [(OrderEvent.FILLED, 7)]
    later = review_orders(
        {s.order.order_id: s for s in result.states}, [], {}, history={}, instant=NOW, now=NOW + GONE_GRACE
    )
    assert {s.order.order_id: s.status for s in later.states} == {9: OrderStatus.CLOSED}
    assert later.alerts == []


def test_listed_with_nothing_left_is_filled_once() -> None:
    previous = {7: OrderState(SELL, on_top=True)}
    done = review(previous, [replace(SELL, volume_remain=0)], {})
    assert [a.event for a in done.alerts] == [OrderEvent.FILLED]
    assert review({7: done.states[0]}, [replace(SELL, volume_remain=0)], {}).alerts == []


def test_expiring_fires_once_inside_the_window() -> None:
    ending = replace(SELL, issued=NOW - timedelta(days=30) + timedelta(hours=3))
    first = review({}, [ending], {}, expiring_within=timedelta(hours=6))
    assert [a.event for a in first.alerts] == [OrderEvent.EXPIRING]
    assert review({7: first.states[0]}, [ending], {}, expiring_within=timedelta(hours=6)).alerts == []
    assert review({}, [ending], {}, expiring_within=timedelta(hours=2)).alerts == []


def test_outbox_entries_follow_rules_and_quiet_hours() -> None:
    quiet = QuietHours("UTC", NOW.time(), (NOW + timedelta(hours=1)).time())
    rules = [
        OrderRule(1, 5, AlertKind.ORDER_UNDERCUT, 10000002, None, 1.0, TARGET),
        OrderRule(2, 5, AlertKind.ORDER_FILLED, 10000002, 35, 1.0, TARGET),
        OrderRule(3, 5, AlertKind.ORDER_EXPIRING, 10000002, None, 48.0, TARGET, quiet),
    ]  # fmt: skip
    assert expiring_window(rules) == timedelta(hours=48)
    result = review({}, [SELL], {book_key(SELL): 1_233_000.0})
    entries = outbox_entries(90000001, result.alerts, rules, NOW)
    assert [e.rule_id for e in entries] == [1]
    assert entries[0].idempotency_key == f"order:1:7:undercut@{NOW.isoformat()}"
    assert entries[0].payload["ticks"] == 1 and entries[0].payload["kind"] == "order_undercut"
    assert "undercut by one tick (1,000.00 ISK)" in order_message(entries[0].payload, "Tritanium", "at Jita")
    filled = review({7: OrderState(SELL, on_top=True)}, [replace(SELL, volume_remain=0)], {})
    assert outbox_entries(90000001, filled.alerts, rules, NOW) == []  # rule 2 watches another type
    expiring = review({}, [replace(SELL, issued=NOW - timedelta(days=29))], {}, expiring_within=timedelta(hours=48))
    (entry,) = outbox_entries(90000001, expiring.alerts, rules, NOW)
    assert entry.rule_id == 3 and entry.not_before == NOW + timedelta(hours=1)


def test_an_order_alert_read_back_from_the_outbox_gets_its_order_message() -> None:
    from core.alerts.fired import FiredAlert
    from core.alerts.message import alert_message

    rules = [OrderRule(1, 5, AlertKind.ORDER_UNDERCUT, 10000002, None, 1.0, TARGET)]
    result = review({}, [SELL], {book_key(SELL): 1_233_000.0})
    (entry,) = outbox_entries(90000001, result.alerts, rules, NOW)
    fired = FiredAlert.from_outbox(41, entry.idempotency_key, entry.payload, TARGET)
    assert entry.payload.items() <= fired.payload().items()  # the order's facts survive the round trip
    text = alert_message(fired, "Tritanium", NOW, place="at Jita")
    assert "Your sell order of Tritanium at Jita" in text and "undercut by one tick" in text
