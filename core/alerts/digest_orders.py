"""The digest's "Your orders" section: where each open order stands and what closed since the last digest.

Orders that need attention (undercut, or ending within a day of the digest) come first and are counted apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.formatting import exact_isk
from core.market.hubs import HUBS

MAX_ORDER_LINES = 15
EXPIRING_WITHIN = timedelta(days=1)
_HUB_BY_STATION = {hub.station_id: hub.name for hub in HUBS}


@dataclass(frozen=True)
class DigestOrder:
    """One of the account's orders as the order job last saw it."""

    character: str
    type_id: int
    location_id: int
    is_buy_order: bool
    price: float
    volume_remain: int
    volume_total: int
    status: str  # open, gone, filled, cancelled, expired, closed
    on_top: bool | None
    best_competitor: float | None
    updated_at: datetime
    issued: datetime | None = None
    duration: int | None = None  # days

    def expiring(self, now: datetime | None) -> bool:
        """Whether the order ends within a day of `now` (False when either is unknown)."""
        if now is None or self.issued is None or self.duration is None:
            return False
        return self.issued + timedelta(days=self.duration) - now <= EXPIRING_WITHIN


def order_lines(
    orders: Sequence[DigestOrder], names: Callable[[int], str | None], since: datetime, now: datetime | None = None
) -> list[str]:
    """Open orders (those needing attention first), then those that closed after `since`; capped with "+N more"."""
    open_orders = sorted(
        (o for o in orders if o.status in ("open", "gone")),
        key=lambda o: (o.on_top is not False, not o.expiring(now)),
    )
    closed = [o for o in orders if o.status in ("filled", "cancelled", "expired") and o.updated_at >= since]
    lines = [_open_line(o, names, now) for o in open_orders] + [_closed_line(o, names) for o in closed]
    if not lines:
        return []
    summary = f"{len(open_orders)} open, {sum(o.on_top is False for o in open_orders)} undercut"
    if now is not None:
        summary += f", {sum(o.expiring(now) for o in open_orders)} expiring within a day"
    summary += f", {sum(o.status == 'filled' for o in closed)} filled since the last digest"
    shown = lines[:MAX_ORDER_LINES]
    more = [f"… and {len(lines) - len(shown)} more on the panel"] if len(lines) > len(shown) else []
    return [summary, *shown, *more]


def _what(order: DigestOrder, names: Callable[[int], str | None]) -> str:
    side = "buy" if order.is_buy_order else "sell"
    place = _HUB_BY_STATION.get(order.location_id, f"station {order.location_id}")
    return f"{order.character}: {side} {names(order.type_id) or f'type {order.type_id}'} at {place}"


def _open_line(order: DigestOrder, names: Callable[[int], str | None], now: datetime | None) -> str:
    left = f"{order.volume_remain:,}/{order.volume_total:,} left @ {exact_isk(order.price)}"
    if order.on_top is False and order.best_competitor is not None:
        state = f"undercut (best {exact_isk(order.best_competitor)})"
    else:
        state = {True: "on top", None: "not compared yet"}.get(order.on_top, "undercut")
    if order.expiring(now) and order.issued is not None and order.duration is not None:
        state += f", expires {order.issued + timedelta(days=order.duration):%m-%d %H:%M} UTC"
    return f"{_what(order, names)}: {left}, {state}"


def _closed_line(order: DigestOrder, names: Callable[[int], str | None]) -> str:
    return f"{_what(order, names)}: {order.status} @ {exact_isk(order.price)}"
