"""/alert add|list|remove|pause|resume|snooze|quiet: alert rules from chat, rendered from core/usecases/alerts.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from typing import TypeVar

from core.accounts.email import mask_address
from core.alerts.message import place_name
from core.alerts.model import AlertKind, AlertTarget, QuietHours, RuleError, TargetKind, time_of_day
from core.catalog import CatalogItem, Location
from core.chat.model import Caller, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.usecases.alert_targets import choose_target
from core.usecases.alerts import (
    AlertServices,
    ChangedAlert,
    NoSuchAlert,
    RuleChange,
    SnoozedAlert,
    add_alert,
    alert_place,
    alert_preferences,
    describe_condition,
    list_alerts,
    remove_alert,
    set_alert_active,
    set_quiet_hours,
    snooze_alert,
)
from core.usecases.market_services import place_or_default

Changed = TypeVar("Changed", ChangedAlert, SnoozedAlert)
KINDS = {"buy": AlertKind.PRICE, "sell": AlertKind.PRICE, "spread": AlertKind.SPREAD, "volume": AlertKind.VOLUME_SPIKE}


def alert_services(ctx: CommandContext) -> tuple[AlertServices, int]:
    """The alert services and the caller's account id, or a user-facing error when either is missing."""
    services = ctx.alerts
    if not isinstance(services, AlertServices):
        raise ArgumentError("alerts are not enabled on this evetrader")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    return services, ctx.caller.account_id


def describe_target(target: AlertTarget, caller: Caller) -> str:
    """Where an alert goes, in words, as the caller sees it ("your DM", "your Telegram DMs", "channel 9 (discord)")."""
    if target.kind is TargetKind.DM:
        mine = target.platform == caller.platform and target.address == caller.user_id
        return "your DM" if mine else f"your {target.platform.capitalize()} DMs"
    if target.kind is TargetKind.EMAIL:
        return f"your e-mail ({mask_address(target.address)})"
    return f"{target.kind.value} {target.address} ({target.platform})"


def _stamp(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


async def _owned(ctx: CommandContext, change: Callable[[AlertServices, int], Awaitable[Changed]]) -> Changed:
    """Run a change of one of the caller's own rules; a missing rule is an error naming /alert list."""
    services, account = alert_services(ctx)
    try:
        return await change(services, account)
    except NoSuchAlert as exc:
        raise ArgumentError(f"id: you have no alert #{exc.rule_id} (see /alert list)") from None


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
    to = await choose_target(services, account, ctx.caller, target)
    try:
        rule = await add_alert(
            services.rules,
            account,
            kind=alert_kind.value,
            type_id=item.type_id,
            place=(region_id, location_id),
            target=to,
            threshold=value,
            side=kind if alert_kind is AlertKind.PRICE else None,
            direction=direction,
            hysteresis=hysteresis,
            cooldown_minutes=cooldown,
        )
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
    listed = await list_alerts(services.rules, account, services.clock())
    if not listed:
        text = "No alerts yet: try /alert add tritanium sell below 4.5 jita"
        return Reply(title="Your alerts", text=text, data={"alerts": []})
    rows = [
        [
            str(alert.rule.id),
            services.item_name(alert.rule.spec.type_id),
            alert.condition,
            services.place(alert.rule.spec.region_id, alert.rule.spec.location_id),
            describe_target(alert.rule.spec.target, ctx.caller),
            f"snoozed until {_stamp(alert.snoozed_until)}" if alert.snoozed_until else alert.state,
            _stamp(alert.rule.last_fired_at),
        ]
        for alert in listed
    ]
    table = Table(["ID", "Item", "Condition", "Place", "Target", "State", "Last fired"], rows, "rllllll")
    data = {"alerts": [{"id": alert.rule.id, "state": alert.state} for alert in listed]}
    return Reply(title="Your alerts", tables=[table], data=data)


def _changed(changed: ChangedAlert) -> Reply:
    """The reply to a remove, pause or resume."""
    rule_id = changed.rule_id
    if changed.change is RuleChange.REMOVED:
        return Reply(title="Your alerts", text=f"Alert #{rule_id} removed.", data={"removed": rule_id})
    data = {"id": rule_id, "active": changed.change is RuleChange.RESUMED}
    return Reply(title="Your alerts", text=f"Alert #{rule_id} {changed.change.value}.", data=data)


async def alert_remove(ctx: CommandContext, id: int) -> Reply:
    """Delete one of the caller's own rules."""
    return _changed(await _owned(ctx, lambda services, account: remove_alert(services.rules, account, id)))


async def alert_pause(ctx: CommandContext, id: int) -> Reply:
    """Pause one of the caller's rules."""
    return _changed(await _owned(ctx, lambda services, account: set_alert_active(services.rules, account, id, False)))


async def alert_resume(ctx: CommandContext, id: int) -> Reply:
    """Resume (and re-arm) one of the caller's rules."""
    return _changed(await _owned(ctx, lambda services, account: set_alert_active(services.rules, account, id, True)))


async def alert_snooze(ctx: CommandContext, id: int, minutes: int = 60) -> Reply:
    """Keep one of the caller's rules from firing for `minutes` (0 ends a snooze)."""
    changed = await _owned(
        ctx, lambda services, account: snooze_alert(services.rules, account, id, minutes, services.clock())
    )
    text = f"Alert #{id} snoozed until {_stamp(changed.until)}." if minutes else f"Alert #{id} is no longer snoozed."
    return Reply(title="Your alerts", text=text, data={"id": id, "muted_until": changed.until.isoformat()})


def parse_clock(text: str) -> time:
    """ "22:00", "7" or "0730" as a time of day (core.alerts.model.time_of_day); ArgumentError otherwise."""
    try:
        return time_of_day(text)
    except RuleError:
        raise ArgumentError(f"hours: {text!r} is not a time of day (use 22:00-07:00)") from None


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
    current = (await alert_preferences(services.rules, account)).quiet
    if hours is None:
        text = f"Quiet hours: {_quiet_text(current)}" if current else "No quiet hours: alerts arrive at any time."
        return Reply(title="Quiet hours", text=text)
    if hours.strip().lower() == "off":
        await set_quiet_hours(services.rules, account, None)
        return Reply(title="Quiet hours", text="Quiet hours off: alerts arrive at any time.")
    quiet = parse_quiet(hours, timezone or (current.timezone if current else "UTC"))
    await set_quiet_hours(services.rules, account, quiet)
    text = f"Quiet hours: {_quiet_text(quiet)}. Alerts fired then wait until the end and say how old their data is."
    return Reply(title="Quiet hours", text=text, data={"timezone": quiet.timezone})


def _quiet_text(quiet: QuietHours) -> str:
    return f"{quiet.start:%H:%M}-{quiet.end:%H:%M} {quiet.timezone}"


def register_alert_commands(registry: Registry) -> None:
    """Add /alert add|list|remove|pause|resume|snooze|quiet."""
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
