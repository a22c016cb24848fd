"""The text of a fired alert: what crossed, where, by how much, when, and how old the data is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from core.alerts.fired import FiredAlert
from core.alerts.model import AlertKind, Direction
from core.alerts.orders import order_message
from core.alerts.rules import ORDER_KINDS
from core.chat.model import Button
from core.formatting import data_age, exact_isk
from core.market.hubs import HUBS, KNOWN_REGIONS

_HUB_BY_STATION = {hub.station_id: hub for hub in HUBS}


def place_name(region_id: int, location_id: int | None, structures: Mapping[int, str] | None = None) -> str:
    """Where, in words: at a hub's name for its station, at a tracked structure's name (`structures`: id -> name),
    in the region's name for a region; ids when unknown."""
    if location_id is not None:
        hub = _HUB_BY_STATION.get(location_id)
        name = hub.name if hub else (structures or {}).get(location_id)
        return f"at {name}" if name else f"at station {location_id}"
    return f"in {KNOWN_REGIONS.get(region_id, f'region {region_id}')}"


def _moved(direction: Direction) -> str:
    return "fell below" if direction is Direction.BELOW else "rose above"


def _what(alert: FiredAlert, item_name: str, place: str) -> str:
    if alert.kind is AlertKind.PRICE:
        side = alert.side.value if alert.side else "price"
        change = f" ({(alert.value - alert.threshold) / alert.threshold * 100:+.1f}%)" if alert.threshold else ""
        moved = f"{_moved(alert.direction)} {exact_isk(alert.threshold)} ISK"
        return f"{item_name} {side} {place} {moved}: now {exact_isk(alert.value)}{change}"
    if alert.kind is AlertKind.SPREAD:
        sides = ""
        if alert.best_buy is not None and alert.best_sell is not None:
            sides = f", buy {exact_isk(alert.best_buy)} / sell {exact_isk(alert.best_sell)} ISK"
        return (
            f"{item_name} margin after fees {place} {_moved(alert.direction)} {alert.threshold:.1f}%:"
            f" now {alert.value:.1f}% ({alert.value - alert.threshold:+.1f} points{sides})"
        )
    if alert.kind is AlertKind.VOLUME_SPIKE:
        detail = ""
        if alert.volume is not None and alert.avg_volume is not None:
            day = f" on {alert.volume_day.isoformat()}" if alert.volume_day else ""
            detail = f" ({alert.volume:,} traded{day} vs {alert.avg_volume:,.0f}/day)"
        return (
            f"{item_name} volume {place} {_moved(alert.direction)} {alert.threshold:g}x the 30-day average:"
            f" now {alert.value:.1f}x{detail}"
        )
    if alert.kind in ORDER_KINDS:
        return order_message(alert.payload(), item_name, place)
    return f"{item_name} {alert.kind.value.replace('_', ' ')} {place}"


def alert_message(
    alert: FiredAlert,
    item_name: str,
    now: datetime,
    place: str | None = None,
    structures: Mapping[int, str] | None = None,
) -> str:
    """One line for the user: "Tritanium sell at Jita fell below 4.50 ISK: now 4.31 (-4.2%), as of 12:05 UTC, ...".

    `place` overrides the hub, structure (named from `structures`) or region wording ("at Jita", "in The Forge").
    """
    where = place or place_name(alert.region_id, alert.location_id, structures)
    stamp = alert.as_of.astimezone(UTC).strftime("%H:%M UTC")
    return f"{_what(alert, item_name, where)}, as of {stamp}, {data_age(alert.as_of, now)}"


def alert_buttons(rule_id: int, open_type_id: int | None = None) -> tuple[Button, ...]:
    """What the owner can do from an alert itself: snooze the rule an hour, pause it, remove it, and with
    `open_type_id` open that item's market in game (each runs as the presser's own command, so only the rule's
    owner changes anything, and a window opens only in the presser's own client)."""
    buttons = (
        Button("Snooze 1 h", action=f"alert snooze {rule_id} 60"),
        Button("Pause rule", action=f"alert pause {rule_id}"),
        Button("Remove rule", action=f"alert remove {rule_id}"),
    )
    if open_type_id is None:
        return buttons
    return (*buttons, Button("Open in game", action=f"market open {open_type_id}"))
