"""/alert add|list|remove|pause|resume|quiet and /watch add|list|remove|digest: alerts and watchlists from chat."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from core.accounts.email import VerifiedAddresses
from core.alerts.message import place_name
from core.alerts.model import AlertKind, AlertRule, AlertTarget, QuietHours, RuleError, TargetKind
from core.alerts.ports import AlertRuleRepository
from core.alerts.rules import parse_rule
from core.alerts.watchlist import WatchlistStore
from core.catalog import CatalogItem, Location
from core.chat.model import Caller, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.alert_targets import (
    AccountIdentities,
    can_receive,
    describe_target,
    dm_target,
    here_target,
    linked_chat,
    nowhere_to_send,
)
from core.market.hubs import hubs_in_region
from core.usecases.market_services import place_or_default

KINDS = {"buy": AlertKind.PRICE, "sell": AlertKind.PRICE, "spread": AlertKind.SPREAD, "volume": AlertKind.VOLUME_SPIKE}
_CLOCK = re.compile(r"^(\d{1,2})(?::?(\d{2}))?$")


class ItemNames(Protocol):
    """Item names by type id (core.catalog.Catalog)."""

    def by_id(self, type_id: int) -> CatalogItem | None:
        """The item with this type id, or None."""
        ...


@dataclass(frozen=True)
class AlertServices:
    """What the alert and watch commands need: the rules store, the watchlist store and item names.

    `emails` (verified account addresses) is set only when this server sends mail; `panel_url` is PUBLIC_URL;
    `identities` finds the chat a console user's alerts go to.
    """

    rules: AlertRuleRepository
    watchlist: WatchlistStore
    names: ItemNames
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    emails: VerifiedAddresses | None = None
    panel_url: str = ""
    identities: AccountIdentities | None = None

    def item_name(self, type_id: int | None) -> str:
        """An item's name, or its id when the catalog does not know it."""
        item = self.names.by_id(type_id) if type_id is not None else None
        return item.name if item else f"type {type_id}"


def alert_services(ctx: CommandContext) -> tuple[AlertServices, int]:
    """The alert services and the caller's account id, or a user-facing error when either is missing."""
    services = ctx.alerts
    if not isinstance(services, AlertServices):
        raise ArgumentError("alerts are not enabled on this evetrader")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    return services, ctx.caller.account_id


async def personal_target(services: AlertServices, account_id: int, caller: Caller) -> AlertTarget:
    """The caller's DM; from the console, the account's latest chat DM or verified e-mail (an error when neither)."""
    if can_receive(caller):
        return dm_target(caller)
    if (chat := await linked_chat(services.identities, account_id)) is not None:
        return chat
    address = await services.emails.verified_address(account_id) if services.emails is not None else None
    if address is not None:
        return AlertTarget("email", TargetKind.EMAIL, address)
    raise nowhere_to_send(caller, services.panel_url, services.emails is not None)


async def mail_target(services: AlertServices, account_id: int) -> AlertTarget:
    """The account's verified e-mail address; ArgumentError when mail is off here or no address is verified."""
    if services.emails is None:
        raise ArgumentError("e-mail alerts are not enabled on this server")
    address = await services.emails.verified_address(account_id)
    if address is None:
        panel = f"{services.panel_url.rstrip('/')}/settings" if services.panel_url else "the web panel's settings page"
        raise ArgumentError(f"verify an address on the panel first: {panel}")
    return AlertTarget("email", TargetKind.EMAIL, address)


def alert_place(kind: AlertKind, where: Location) -> tuple[int, int | None]:
    """(region_id, station or None for region-wide) of a place: a hub or station, or a whole region."""
    if where.kind == "region" or kind is AlertKind.VOLUME_SPIKE:  # volume history exists per region only
        return where.history_region, None  # a structure: its solar system's region
    if where.station_id is not None:
        return where.region_id, where.station_id
    raise ArgumentError(f"where: {where.name} is neither a station nor a region: name a hub, station or region")


def describe_condition(rule: AlertRule) -> str:
    """The rule's condition: "sell below 4.50", "spread above 5.0%", "volume above 3x"."""
    spec = rule.spec
    if spec.kind is AlertKind.PRICE:
        return f"{spec.side.value if spec.side else 'price'} {spec.direction.value} {spec.threshold:,.2f}"
    if spec.kind is AlertKind.SPREAD:
        return f"spread {spec.direction.value} {spec.threshold:g}%"
    return f"volume {spec.direction.value} {spec.threshold:g}x"


def _state(rule: AlertRule, now: datetime | None = None) -> str:
    if rule.active and rule.muted_until is not None and now is not None and rule.muted_until > now:
        return f"snoozed until {_stamp(rule.muted_until)}"
    return "paused" if not rule.active else ("armed" if rule.armed else "fired")


def _stamp(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


async def alert_add(
    ctx: CommandContext,
    item: CatalogItem,
    kind: str,
    direction: str,
    value: float,
    where: Location | None = None,
    target: str = "dm",
    hysteresis: float = 0.0,
    cooldown: float | None = None,
) -> Reply:
    """Create an alert rule for the caller (checked before anything is stored)."""
    services, account = alert_services(ctx)
    place = place_or_default(ctx, where)
    alert_kind = KINDS[kind]
    region_id, location_id = alert_place(alert_kind, place)
    if target == "mail":
        to = await mail_target(services, account)
    elif target == "here" and can_receive(ctx.caller):
        to = here_target(ctx.caller)
    else:
        to = await personal_target(services, account, ctx.caller)
    try:
        spec = parse_rule(
            kind=alert_kind.value,
            region_id=region_id,
            type_id=item.type_id,
            target=to,
            threshold=value,
            location_id=location_id,
            side=kind if alert_kind is AlertKind.PRICE else None,
            direction=direction,
            hysteresis=hysteresis,
            cooldown_minutes=cooldown,
        )
        rule = await services.rules.add(account, spec)
    except RuleError as exc:
        raise ArgumentError(str(exc)) from None
    where_text = f"at {place.name}" if place.kind == "structure" and location_id else place_name(region_id, location_id)
    text = (
        f"Alert #{rule.id}: {item.name} {describe_condition(rule)} {where_text}, to {describe_target(to, ctx.caller)}."
        f" Checked after every market refresh; it fires once, then again after the value moves back."
    )
    data = {"id": rule.id, "type_id": item.type_id, "region_id": region_id, "location_id": location_id}
    return Reply(title="Alert created", text=text, data=data)


async def alert_list(ctx: CommandContext) -> Reply:
    """The caller's alert rules with their state."""
    services, account = alert_services(ctx)
    rules = await services.rules.list_for(account)
    if not rules:
        text = "No alerts yet: try /alert add tritanium sell below 4.5 jita"
        return Reply(title="Your alerts", text=text, data={"alerts": []})
    rows = [
        [
            str(rule.id),
            services.item_name(rule.spec.type_id),
            describe_condition(rule),
            place_name(rule.spec.region_id, rule.spec.location_id),
            describe_target(rule.spec.target, ctx.caller),
            _state(rule, services.clock()),
            _stamp(rule.last_fired_at),
        ]
        for rule in rules
    ]
    table = Table(["ID", "Item", "Condition", "Place", "Target", "State", "Last fired"], rows, "rllllll")
    data = {"alerts": [{"id": rule.id, "state": _state(rule)} for rule in rules]}
    return Reply(title="Your alerts", tables=[table], data=data)


async def alert_remove(ctx: CommandContext, id: int) -> Reply:
    """Delete one of the caller's own rules."""
    services, account = alert_services(ctx)
    if not await services.rules.remove(account, id):
        raise ArgumentError(f"id: you have no alert #{id} (see /alert list)")
    return Reply(title="Your alerts", text=f"Alert #{id} removed.", data={"removed": id})


async def _set_active(ctx: CommandContext, rule_id: int, active: bool) -> Reply:
    services, account = alert_services(ctx)
    if not await services.rules.set_active(account, rule_id, active):
        raise ArgumentError(f"id: you have no alert #{rule_id} (see /alert list)")
    text = f"Alert #{rule_id} {'resumed' if active else 'paused'}."
    return Reply(title="Your alerts", text=text, data={"id": rule_id, "active": active})


async def alert_pause(ctx: CommandContext, id: int) -> Reply:
    """Pause one of the caller's rules."""
    return await _set_active(ctx, id, False)


async def alert_resume(ctx: CommandContext, id: int) -> Reply:
    """Resume (and re-arm) one of the caller's rules."""
    return await _set_active(ctx, id, True)


async def alert_snooze(ctx: CommandContext, id: int, minutes: int = 60) -> Reply:
    """Keep one of the caller's rules from firing for `minutes` (0 ends a snooze)."""
    services, account = alert_services(ctx)
    until = services.clock() + timedelta(minutes=minutes)
    if not await services.rules.snooze(account, id, until):
        raise ArgumentError(f"id: you have no alert #{id} (see /alert list)")
    text = f"Alert #{id} snoozed until {_stamp(until)}." if minutes else f"Alert #{id} is no longer snoozed."
    return Reply(title="Your alerts", text=text, data={"id": id, "muted_until": until.isoformat()})


def parse_clock(text: str) -> time:
    """ "22:00", "7" or "0730" as a time of day; ArgumentError otherwise."""
    match = _CLOCK.match(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
    if hour > 23 or minute > 59:
        raise ArgumentError(f"hours: {text!r} is not a time of day (use 22:00-07:00)")
    return time(hour, minute)


def parse_quiet(text: str, timezone: str) -> QuietHours:
    """ "22:00-07:00" in a time zone as QuietHours; ArgumentError with the reason otherwise."""
    start, dash, end = text.partition("-")
    if not dash:
        raise ArgumentError(f"hours: {text!r} is not a range (use 22:00-07:00, or off)")
    try:
        return QuietHours(timezone, parse_clock(start), parse_clock(end))
    except RuleError as exc:
        raise ArgumentError(str(exc)) from None


async def alert_quiet(ctx: CommandContext, hours: str | None = None, timezone: str | None = None) -> Reply:
    """Show, set ("22:00-07:00 [Europe/Berlin]") or clear ("off") the caller's quiet hours."""
    services, account = alert_services(ctx)
    current = (await services.rules.preferences(account)).quiet
    if hours is None:
        text = f"Quiet hours: {_quiet_text(current)}" if current else "No quiet hours: alerts arrive at any time."
        return Reply(title="Quiet hours", text=text)
    if hours.strip().lower() == "off":
        await services.rules.set_quiet_hours(account, None)
        return Reply(title="Quiet hours", text="Quiet hours off: alerts arrive at any time.")
    quiet = parse_quiet(hours, timezone or (current.timezone if current else "UTC"))
    await services.rules.set_quiet_hours(account, quiet)
    text = f"Quiet hours: {_quiet_text(quiet)}. Alerts fired then wait until the end and say how old their data is."
    return Reply(title="Quiet hours", text=text, data={"timezone": quiet.timezone})


def _quiet_text(quiet: QuietHours) -> str:
    return f"{quiet.start:%H:%M}-{quiet.end:%H:%M} {quiet.timezone}"


def _region_of_hub(ctx: CommandContext) -> int | None:
    place = place_or_default(ctx, None)
    return place.region_id if hubs_in_region(place.region_id) else None


async def watch_add(ctx: CommandContext, item: CatalogItem) -> Reply:
    """Put an item on the caller's watchlist (its prices appear in the daily digest)."""
    services, account = alert_services(ctx)
    try:
        added = await services.watchlist.add(account, item.type_id, _region_of_hub(ctx))
    except RuleError as exc:
        raise ArgumentError(str(exc)) from None
    text = f"Watching {item.name}." if added else f"{item.name} is already on your watchlist."
    return Reply(title="Watchlist", text=text, data={"type_id": item.type_id, "added": added})


async def watch_list(ctx: CommandContext) -> Reply:
    """The caller's watchlist and daily digest setting."""
    services, account = alert_services(ctx)
    items = await services.watchlist.items(account)
    digest = await services.watchlist.digest(account)
    status = f"Daily digest: on at {digest.hour:02d}:00 your time" if digest.enabled else "Daily digest: off"
    names = [services.item_name(item.type_id) for item in items]
    text = "\n".join([*(f"- {name}" for name in names), status]) if names else f"Your watchlist is empty.\n{status}"
    data = {"items": [item.type_id for item in items], "digest": digest.enabled}
    return Reply(title="Watchlist", text=text, data=data)


async def watch_remove(ctx: CommandContext, item: CatalogItem) -> Reply:
    """Take an item off the caller's watchlist."""
    services, account = alert_services(ctx)
    if not await services.watchlist.remove(account, item.type_id):
        raise ArgumentError(f"item: {item.name} is not on your watchlist")
    return Reply(title="Watchlist", text=f"Stopped watching {item.name}.")


async def watch_digest(ctx: CommandContext, enabled: str, hour: int | None = None) -> Reply:
    """Turn the daily digest (to the caller's DM, at a local hour) on or off."""
    services, account = alert_services(ctx)
    on = enabled == "on"
    to = await personal_target(services, account, ctx.caller) if on else None
    try:
        settings = await services.watchlist.set_digest(account, on, hour, to)
    except RuleError as exc:
        raise ArgumentError(str(exc)) from None
    zone = (await services.rules.preferences(account)).quiet
    tz = zone.timezone if zone else "UTC"
    where = describe_target(to, ctx.caller) if to else ""
    text = f"Daily digest on: every day at {settings.hour:02d}:00 {tz}, to {where}." if on else "Daily digest off."
    return Reply(title="Watchlist", text=text, data={"enabled": on, "hour": settings.hour})


def register_alert_commands(registry: Registry) -> None:
    """Add /alert add|list|remove|pause|resume|quiet and /watch add|list|remove|digest."""
    item = Param("item", "Item name", ParamKind.ITEM, autocomplete="items")
    rule_id = Param("id", "Alert id (see /alert list)", ParamKind.INT, min_value=1)
    registry.group("alert", "Price, spread and volume alerts after every market refresh", private=True)
    registry.command(
        "alert add",
        "Alert me when a price, spread or volume crosses a value",
        item,
        Param("kind", "What to watch", ParamKind.CHOICE, choices=tuple(KINDS)),
        Param("direction", "Fire when it goes", ParamKind.CHOICE, choices=("above", "below")),
        Param("value", "ISK for buy/sell, % for spread, x average for volume", ParamKind.FLOAT),
        Param(
            "where", "Hub, station or region (default: your hub)", ParamKind.LOCATION, False, autocomplete="locations"
        ),
        Param(
            "target",
            "dm: your DM; here: this channel (managers); mail: your verified e-mail",
            ParamKind.CHOICE,
            False,
            "dm",
            ("dm", "here", "mail"),
        ),
        Param(
            "hysteresis",
            "Move back this far before it can fire again",
            ParamKind.FLOAT,
            False,
            0.0,
            min_value=0,
            positional=False,
        ),
        Param(
            "cooldown",
            "Minutes between two firings (default 60)",
            ParamKind.FLOAT,
            False,
            min_value=0,
            max_value=10080,
            positional=False,
        ),
        examples=[
            "/alert add tritanium sell below 4.5 jita",
            "/alert add plex spread above 5 here",
            "/alert add tritanium sell below 4.5 jita mail",
        ],
    )(alert_add)
    registry.command("alert list", "Your alerts and their state")(alert_list)
    registry.command("alert remove", "Delete one of your alerts", rule_id)(alert_remove)
    registry.command("alert pause", "Pause one of your alerts", rule_id)(alert_pause)
    registry.command("alert resume", "Resume one of your alerts", rule_id)(alert_resume)
    minutes = Param("minutes", "For how long (default 60)", ParamKind.INT, False, 60, min_value=0, max_value=10080)
    registry.command("alert snooze", "Keep one of your alerts quiet for a while", rule_id, minutes)(alert_snooze)
    registry.command(
        "alert quiet",
        "Hours when your alerts wait (22:00-07:00 [time zone], or off)",
        Param("hours", "22:00-07:00, or off", required=False),
        Param("timezone", "Time zone, e.g. Europe/Berlin (default UTC)", required=False),
        examples=["/alert quiet 22:00-07:00 Europe/Berlin", "/alert quiet off"],
    )(alert_quiet)
    registry.group("watch", "Your watchlist and its daily digest", private=True)
    registry.command("watch add", "Watch an item (daily digest prices)", item)(watch_add)
    registry.command("watch list", "Your watchlist")(watch_list)
    registry.command("watch remove", "Stop watching an item", item)(watch_remove)
    registry.command(
        "watch digest",
        "Daily digest of your watchlist to your DM, on or off",
        Param("enabled", "on or off", ParamKind.CHOICE, choices=("on", "off")),
        Param("hour", "Local hour to send it (0-23, default 8)", ParamKind.INT, False, min_value=0, max_value=23),
        examples=["/watch digest on 8"],
    )(watch_digest)
