"""A character's market orders against the public book: undercut / back on top, filled, expiring (pure).

- Undercut: a competitor (any order at the same station, type and side that is not one of the character's own)
  is strictly better than ours by at least one tick of our price's 4-significant-digit grid. A competitor at
  our price, or better by less than a tick (float noise), is not an undercut. `ticks` tells "undercut by one
  tick" (the 0.01 ISK game) from a real move.
- Back on top: an order we alerted as undercut is the best again.
- Filled: the order is listed with volume_remain 0, or it left the open orders and its history entry has
  volume_remain 0. Cancelled (history state) and expired (history, or past issued + duration) close silently.
  An order gone without a history entry yet stays "gone" until the history shows it (GONE_GRACE at most).
- Expiring: an open order ends within the account's window; once per order.
A book the region has no snapshot of changes nothing. A new order seen undercut alerts at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from core.alerts.model import AlertKind, AlertTarget, QuietHours
from core.alerts.policy import quiet_until

GONE_GRACE = timedelta(hours=2)  # the order history is cached for an hour: give it two before giving up
DEFAULT_EXPIRING_WITHIN = timedelta(hours=24)
BookKey = tuple[int, int, int, bool]  # (region_id, location_id, type_id, is_buy_order)


class OrderEvent(StrEnum):
    """What happened to one of the character's orders."""

    UNDERCUT = "undercut"
    BACK_ON_TOP = "back_on_top"
    FILLED = "filled"
    EXPIRING = "expiring"


class OrderStatus(StrEnum):
    """Where an order is in its life, as last seen."""

    OPEN = "open"
    GONE = "gone"  # left the open orders; waiting for its history entry
    FILLED = "filled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    CLOSED = "closed"  # gone, and the history never said how


@dataclass(frozen=True)
class CharacterOrder:
    """One of the character's orders as ESI lists it (open orders, or the order history)."""

    order_id: int
    type_id: int
    region_id: int
    location_id: int
    is_buy_order: bool
    price: float
    volume_remain: int
    volume_total: int
    issued: datetime
    duration: int  # days
    state: str | None = None  # history only: "cancelled" or "expired"

    @property
    def expires_at(self) -> datetime:
        """When the order ends unless filled or cancelled first."""
        return self.issued + timedelta(days=self.duration)

    @classmethod
    def from_esi(cls, row: Mapping[str, Any]) -> CharacterOrder:
        """Parse an ESI row; a missing is_buy_order means a sell order (ESI leaves it out)."""
        issued = datetime.fromisoformat(str(row["issued"]).replace("Z", "+00:00"))
        return cls(
            int(row["order_id"]), int(row["type_id"]), int(row["region_id"]), int(row["location_id"]),
            bool(row.get("is_buy_order", False)), float(row["price"]), int(row["volume_remain"]),
            int(row["volume_total"]), issued, int(row["duration"]), row.get("state"),
        )  # fmt: skip


@dataclass(frozen=True)
class OrderState:
    """What we remember of an order between refreshes (the alert state included)."""

    order: CharacterOrder
    status: OrderStatus = OrderStatus.OPEN
    on_top: bool | None = None  # None: never compared with a book
    best_competitor: float | None = None
    last_notified: datetime | None = None
    expiring_notified: bool = False
    gone_since: datetime | None = None


@dataclass(frozen=True)
class OrderAlert:
    """An event worth telling the owner about; `instant` makes its idempotency key."""

    event: OrderEvent
    order: CharacterOrder
    competitor: float | None
    ticks: int
    instant: datetime


@dataclass(frozen=True)
class Review:
    """The orders' new states and the alerts their changes raise."""

    states: list[OrderState]
    alerts: list[OrderAlert]


def tick_size(price: float) -> float:
    """EVE's price step at `price`: 10^(floor(log10 p) - 3), never below 0.01 ISK."""
    if price <= 0 or not math.isfinite(price):
        return 0.01
    return max(0.01, 10.0 ** (math.floor(math.log10(price)) - 3))


def ticks_better(ours: float, theirs: float | None, is_buy: bool) -> int:
    """Whole ticks (of our price) by which a competitor beats our order; 0 when it does not."""
    if theirs is None:
        return 0
    lead = theirs - ours if is_buy else ours - theirs
    return max(0, math.floor(lead / tick_size(ours) + 1e-6))


def book_key(order: CharacterOrder) -> BookKey:
    """The book an order competes in."""
    return order.region_id, order.location_id, order.type_id, order.is_buy_order


def review_orders(
    previous: Mapping[int, OrderState],
    current: Sequence[CharacterOrder] | None,
    competitors: Mapping[BookKey, float | None],
    *,
    history: Mapping[int, CharacterOrder],
    instant: datetime,
    now: datetime,
    book_as_of: Mapping[int, datetime] | None = None,
    expiring_within: timedelta = DEFAULT_EXPIRING_WITHIN,
) -> Review:
    """Compare the open orders (None: not refetched, reuse the stored ones) with the books and the past.

    `instant` is when the order list was current (its Last-Modified); an undercut or back-on-top alert is stamped
    with the later of it and the as-of of its region's book (`book_as_of`), so every change has its own instant.
    """
    states: list[OrderState] = []
    alerts: list[OrderAlert] = []
    listed = [s.order for s in previous.values() if s.status is OrderStatus.OPEN] if current is None else list(current)
    seen = {order.order_id for order in listed}
    for order in listed:
        before = previous.get(order.order_id)
        if order.volume_remain <= 0:
            states.append(_closed(before, order, OrderStatus.FILLED))
            if before is not None and before.status in (OrderStatus.OPEN, OrderStatus.GONE):
                alerts.append(OrderAlert(OrderEvent.FILLED, order, None, 0, instant))
            continue
        book_instant = max(instant, (book_as_of or {}).get(order.region_id, instant))
        state, raised = _compare(before, order, competitors, book_instant)
        if not state.expiring_notified and order.expires_at - expiring_within <= now < order.expires_at:
            raised.append(OrderAlert(OrderEvent.EXPIRING, order, None, 0, order.expires_at))
            state = replace(state, expiring_notified=True)
        if raised:
            state = replace(state, last_notified=now)
        states.append(state)
        alerts.extend(raised)
    for order_id, before in previous.items():
        if order_id in seen or before.status not in (OrderStatus.OPEN, OrderStatus.GONE):
            continue
        state = _departed(before, history.get(order_id), now)
        if state.status is OrderStatus.FILLED:
            alerts.append(OrderAlert(OrderEvent.FILLED, state.order, None, 0, instant))
            state = replace(state, last_notified=now)
        states.append(state)
    return Review(states, alerts)


def _compare(
    before: OrderState | None, order: CharacterOrder, competitors: Mapping[BookKey, float | None], instant: datetime
) -> tuple[OrderState, list[OrderAlert]]:
    """The order's top-of-book state now, and the undercut or back-on-top alert its change raises."""
    kept = before or OrderState(order)
    state = replace(kept, order=order, status=OrderStatus.OPEN, gone_since=None)
    key = book_key(order)
    if key not in competitors:
        return state, []  # no snapshot of that region's book: nothing to compare with
    best = competitors[key]
    ticks = ticks_better(order.price, best, order.is_buy_order)
    on_top = ticks == 0
    state = replace(state, on_top=on_top, best_competitor=best)
    was_on_top = kept.on_top if before is not None else None
    repriced = before is not None and before.order.price != order.price
    if not on_top and (was_on_top is not False or repriced):
        return state, [OrderAlert(OrderEvent.UNDERCUT, order, best, ticks, instant)]
    if on_top and was_on_top is False:
        return state, [OrderAlert(OrderEvent.BACK_ON_TOP, order, best, 0, instant)]
    return state, []


def _departed(before: OrderState, entry: CharacterOrder | None, now: datetime) -> OrderState:
    """An order no longer open: filled, cancelled or expired by its history entry; else by time."""
    if entry is not None:
        if entry.volume_remain <= 0:
            return _closed(before, entry, OrderStatus.FILLED)
        status = OrderStatus.CANCELLED if entry.state == "cancelled" else OrderStatus.EXPIRED
        return _closed(before, entry, status)
    if now >= before.order.expires_at:
        return _closed(before, before.order, OrderStatus.EXPIRED)
    gone_since = before.gone_since or now
    if now - gone_since >= GONE_GRACE:
        return _closed(before, before.order, OrderStatus.CLOSED)
    return replace(before, status=OrderStatus.GONE, gone_since=gone_since)


def _closed(before: OrderState | None, order: CharacterOrder, status: OrderStatus) -> OrderState:
    return replace(before or OrderState(order), order=order, status=status)


EVENT_KINDS = {
    OrderEvent.UNDERCUT: AlertKind.ORDER_UNDERCUT,
    OrderEvent.BACK_ON_TOP: AlertKind.ORDER_UNDERCUT,
    OrderEvent.FILLED: AlertKind.ORDER_FILLED,
    OrderEvent.EXPIRING: AlertKind.ORDER_EXPIRING,
}


@dataclass(frozen=True)
class OrderRule:
    """An active order rule of the account owning the character (threshold: hours, for order_expiring)."""

    rule_id: int
    account_id: int
    kind: AlertKind
    region_id: int
    type_id: int | None
    threshold: float
    target: AlertTarget
    quiet: QuietHours | None = None

    def covers(self, alert: OrderAlert) -> bool:
        """Whether this rule wants `alert` (its kind, region and, if set, type)."""
        order = alert.order
        wanted_type = self.type_id is None or self.type_id == order.type_id
        return EVENT_KINDS[alert.event] is self.kind and self.region_id == order.region_id and wanted_type


@dataclass(frozen=True)
class OutboxEntry:
    """One alert_outbox row to write."""

    rule_id: int
    account_id: int
    idempotency_key: str
    payload: dict[str, Any]
    target: AlertTarget
    not_before: datetime | None


def expiring_window(rules: Sequence[OrderRule]) -> timedelta:
    """How long before its end an order counts as expiring: the widest order_expiring rule (default 24 h)."""
    hours = [rule.threshold for rule in rules if rule.kind is AlertKind.ORDER_EXPIRING and rule.threshold > 0]
    return timedelta(hours=max(hours)) if hours else DEFAULT_EXPIRING_WITHIN


def outbox_entries(
    character_id: int, alerts: Sequence[OrderAlert], rules: Sequence[OrderRule], now: datetime
) -> list[OutboxEntry]:
    """The outbox rows of `alerts`: one per alert and matching rule; no rule, no alert (nowhere to send it)."""
    entries: list[OutboxEntry] = []
    for alert in alerts:
        for rule in rules:
            if not rule.covers(alert):
                continue
            stamp = alert.instant.isoformat()
            key = f"order:{rule.rule_id}:{alert.order.order_id}:{alert.event.value}@{stamp}"
            payload = _payload(character_id, alert, rule, now)
            entries.append(
                OutboxEntry(rule.rule_id, rule.account_id, key, payload, rule.target, quiet_until(rule.quiet, now))
            )
    return entries


def _payload(character_id: int, alert: OrderAlert, rule: OrderRule, now: datetime) -> dict[str, Any]:
    """A FiredAlert-compatible payload (threshold: our price, value: the competitor's) plus the order's facts."""
    order = alert.order
    return {
        "rule_id": rule.rule_id,
        "account_id": rule.account_id,
        "kind": rule.kind.value,
        "region_id": order.region_id,
        "type_id": order.type_id,
        "location_id": order.location_id,
        "side": "buy" if order.is_buy_order else "sell",
        "direction": "above" if order.is_buy_order else "below",
        "threshold": order.price,
        "value": alert.competitor if alert.competitor is not None else order.price,
        "as_of": alert.instant.isoformat(),
        "fired_at": now.isoformat(),
        "event": alert.event.value,
        "character_id": character_id,
        "order_id": order.order_id,
        "ticks": alert.ticks,
        "tick": tick_size(order.price),
        "volume_remain": order.volume_remain,
        "volume_total": order.volume_total,
        "expires_at": order.expires_at.isoformat(),
    }


def order_message(payload: Mapping[str, Any], item_name: str, place: str) -> str:
    """The alert text of an order payload: "Your sell order of Tritanium at Jita was undercut by 1 tick ..."."""
    side, price = str(payload.get("side", "sell")), float(payload["threshold"])
    what = f"Your {side} order of {item_name} {place}"
    event = payload.get("event")
    if event == OrderEvent.UNDERCUT.value:
        verb = "outbid" if side == "buy" else "undercut"
        ticks, value = int(payload.get("ticks", 1)), float(payload["value"])
        size = (
            f"by one tick ({float(payload.get('tick', 0.01)):,.2f} ISK)"
            if ticks == 1
            else f"by {ticks} ticks ({abs(value - price) / price * 100:.2f}%)"
        )
        return f"{what} was {verb} {size}: {value:,.2f} vs your {price:,.2f} ISK"
    if event == OrderEvent.BACK_ON_TOP.value:
        return f"{what} is back on top at {price:,.2f} ISK"
    if event == OrderEvent.FILLED.value:
        return f"{what} was filled ({int(payload.get('volume_total', 0)):,} units at {price:,.2f} ISK)"
    if event == OrderEvent.EXPIRING.value:
        when = datetime.fromisoformat(str(payload["expires_at"])).strftime("%Y-%m-%d %H:%M UTC")
        return f"{what} expires {when} with {int(payload.get('volume_remain', 0)):,} units left"
    return f"{what}: {event}"
