"""The alerts and watchlist part of the JSON API: the signed-in account's own rules, quiet hours and watchlist."""

from __future__ import annotations

from datetime import time
from typing import Any

from aiohttp import web

from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.watchlist import PgWatchlist, item_names
from core.alerts.message import place_name
from core.alerts.model import AlertRule, AlertTarget, QuietHours, RuleError, TargetKind
from core.alerts.rules import parse_rule
from core.market.hubs import KNOWN_REGIONS, UnknownLocation, find_hub
from web.api_io import API_PREFIX, ApiRoute, json_body, json_response
from web.api_schemas import ref
from web.errors import PanelError
from web.keys import ACCOUNTS, POOL
from web.session_model import Session

NOT_A_CHAT = frozenset({"web", "console"})  # identities that cannot receive a DM
_CREATE_KEYS = {
    "type_id",
    "kind",
    "side",
    "direction",
    "threshold",
    "hub",
    "region_id",
    "hysteresis",
    "cooldown_minutes",
    "target",
}


def _rules(request: web.Request) -> PgAlertRules:
    return PgAlertRules(request.app[POOL])


def _watchlist(request: web.Request) -> PgWatchlist:
    return PgWatchlist(request.app[POOL])


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise PanelError(422, f"{what} must be a positive whole number.", fields={what: "invalid"})
    return value


def _path_id(request: web.Request, name: str) -> int:
    raw = request.match_info[name]
    if not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise PanelError(404, "Not found.")
    return int(raw)


def rule_json(rule: AlertRule, names: dict[int, str]) -> dict[str, Any]:
    """The Alert schema of a stored rule."""
    spec = rule.spec
    return {
        "id": rule.id,
        "kind": spec.kind.value,
        "type_id": spec.type_id,
        "item": names.get(spec.type_id or 0),
        "side": spec.side.value if spec.side else None,
        "direction": spec.direction.value,
        "threshold": spec.threshold,
        "hysteresis": spec.hysteresis,
        "cooldown_minutes": spec.cooldown.total_seconds() / 60,
        "region_id": spec.region_id,
        "location_id": spec.location_id,
        "place": place_name(spec.region_id, spec.location_id),
        "target": {"platform": spec.target.platform, "kind": spec.target.kind.value, "address": spec.target.address},
        "state": "paused" if not rule.active else ("armed" if rule.armed else "fired"),
        "last_fired_at": rule.last_fired_at.isoformat() if rule.last_fired_at else None,
        "created_at": rule.created_at.isoformat(),
    }


async def _list_alerts(request: web.Request, session: Session) -> web.Response:
    rules = await _rules(request).list_for(session.account_id)
    names = await item_names(request.app[POOL], [rule.spec.type_id for rule in rules if rule.spec.type_id])
    return json_response({"alerts": [rule_json(rule, names) for rule in rules]})


async def _place(request: web.Request, session: Session, body: dict[str, Any]) -> tuple[int, int | None]:
    """(region, station) from `hub` or a region-wide `region_id`; the account's hub (else Jita) by default."""
    if body.get("region_id") is not None:
        region_id = _int(body["region_id"], "region_id")
        if region_id not in KNOWN_REGIONS:
            raise PanelError(422, "Unknown market region.", fields={"region_id": "unknown"})
        return region_id, None
    hub_name = body.get("hub") or (await request.app[ACCOUNTS].settings(session.account_id)).default_hub or "Jita"
    try:
        hub = find_hub(str(hub_name))
    except UnknownLocation as exc:
        raise PanelError(422, str(exc), fields={"hub": "unknown"}) from None
    return hub.region_id, hub.station_id


async def _target(request: web.Request, session: Session, wanted: Any) -> AlertTarget:
    """A DM to one of the account's own chat identities: the one named, else the most recently seen."""
    identities = [i for i in await request.app[ACCOUNTS].identities(session.account_id) if i.platform not in NOT_A_CHAT]
    if wanted is not None:
        if not isinstance(wanted, dict) or set(wanted) - {"platform", "address"}:
            raise PanelError(422, "target must be {platform, address}.", fields={"target": "invalid"})
        found = [
            i for i in identities if (i.platform, i.external_id) == (wanted.get("platform"), wanted.get("address"))
        ]
        if not found:
            raise PanelError(403, "Alerts from the panel go to your own chat identities only.")
        identities = found
    if not identities:
        raise PanelError(422, "Use the bot in a chat first: alerts need a chat to go to.", fields={"target": "none"})
    return AlertTarget(identities[0].platform, TargetKind.DM, identities[0].external_id)


def _check_types(body: dict[str, Any]) -> None:
    """Numbers where numbers go and words where words go (the rule checks say what is wrong with the values)."""
    for name in ("threshold", "hysteresis", "cooldown_minutes"):
        value = body.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise PanelError(422, f"{name} must be a number.", fields={name: "invalid"})
    for name in ("kind", "side", "direction", "hub"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise PanelError(422, f"{name} must be a string.", fields={name: "invalid"})


async def _create_alert(request: web.Request, session: Session) -> web.Response:
    body = await json_body(request)
    if unknown := sorted(set(body) - _CREATE_KEYS):
        raise PanelError(422, f"Unknown field {unknown[0]}.", fields={unknown[0]: "unknown"})
    _check_types(body)
    type_id = _int(body.get("type_id"), "type_id")
    names = await item_names(request.app[POOL], [type_id])
    if not names:
        raise PanelError(422, "Unknown item.", fields={"type_id": "unknown"})
    region_id, location_id = await _place(request, session, body)
    target = await _target(request, session, body.get("target"))
    try:
        spec = parse_rule(
            kind=str(body.get("kind", "price")),
            region_id=region_id,
            type_id=type_id,
            target=target,
            threshold=body.get("threshold", ""),
            location_id=None if body.get("kind") == "volume_spike" else location_id,
            side=body.get("side"),
            direction=body.get("direction"),
            hysteresis=body.get("hysteresis", 0.0),
            cooldown_minutes=body.get("cooldown_minutes"),
        )
        rule = await _rules(request).add(session.account_id, spec)
    except RuleError as exc:
        raise PanelError(422, str(exc)) from None
    return json_response(rule_json(rule, names))


async def _delete_alert(request: web.Request, session: Session) -> web.Response:
    if not await _rules(request).remove(session.account_id, _path_id(request, "alert_id")):
        raise PanelError(404, "No such alert on your account.")
    return web.Response(status=204)


def _quiet_json(quiet: QuietHours | None) -> dict[str, str] | None:
    return {"timezone": quiet.timezone, "start": f"{quiet.start:%H:%M}", "end": f"{quiet.end:%H:%M}"} if quiet else None


async def _alert_preferences_json(request: web.Request, session: Session) -> dict[str, Any]:
    preferences = await _rules(request).preferences(session.account_id)
    return {"quiet": _quiet_json(preferences.quiet), "max_rules": preferences.max_rules}


async def _get_alert_preferences(request: web.Request, session: Session) -> web.Response:
    return json_response(await _alert_preferences_json(request, session))


def _parse_quiet(raw: Any) -> QuietHours | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"timezone", "start", "end"}:
        raise PanelError(422, "quiet must be null or {timezone, start, end}.", fields={"quiet": "invalid"})
    try:
        return QuietHours(
            str(raw["timezone"]), time.fromisoformat(str(raw["start"])), time.fromisoformat(str(raw["end"]))
        )
    except ValueError as exc:  # RuleError included
        message = str(exc) if isinstance(exc, RuleError) else "start and end must be times like 22:00."
        raise PanelError(422, message, fields={"quiet": "invalid"}) from None


async def _put_alert_preferences(request: web.Request, session: Session) -> web.Response:
    body = await json_body(request)
    if set(body) != {"quiet"}:
        raise PanelError(422, "Send {quiet: null | {timezone, start, end}} only.", fields={"quiet": "required"})
    await _rules(request).set_quiet_hours(session.account_id, _parse_quiet(body["quiet"]))
    return json_response(await _alert_preferences_json(request, session))


async def _watchlist_json(request: web.Request, session: Session) -> dict[str, Any]:
    store = _watchlist(request)
    items, digest = await store.items(session.account_id), await store.digest(session.account_id)
    names = await item_names(request.app[POOL], [item.type_id for item in items])
    return {
        "items": [
            {"type_id": i.type_id, "name": names.get(i.type_id), "added_at": i.added_at.isoformat()} for i in items
        ],
        "digest": {"enabled": digest.enabled, "hour": digest.hour},
    }


async def _get_watchlist(request: web.Request, session: Session) -> web.Response:
    return json_response(await _watchlist_json(request, session))


async def _add_to_watchlist(request: web.Request, session: Session) -> web.Response:
    body = await json_body(request)
    if set(body) != {"type_id"}:
        raise PanelError(422, "Send {type_id} only.", fields={"type_id": "required"})
    type_id = _int(body["type_id"], "type_id")
    if not await item_names(request.app[POOL], [type_id]):
        raise PanelError(422, "Unknown item.", fields={"type_id": "unknown"})
    try:
        await _watchlist(request).add(session.account_id, type_id)
    except RuleError as exc:
        raise PanelError(422, str(exc)) from None
    return json_response(await _watchlist_json(request, session))


async def _remove_from_watchlist(request: web.Request, session: Session) -> web.Response:
    if not await _watchlist(request).remove(session.account_id, _path_id(request, "type_id")):
        raise PanelError(404, "That item is not on your watchlist.")
    return web.Response(status=204)


_ID = {"type": "integer", "minimum": 1}
ALERT_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute("GET", f"{API_PREFIX}/alerts", _list_alerts, "The account's alert rules", "user", ref("AlertList")),
    ApiRoute(
        "POST",
        f"{API_PREFIX}/alerts",
        _create_alert,
        "Create an alert rule (to a DM of one of the account's chat identities)",
        "user",
        ref("Alert"),
        request=ref("AlertCreate"),
    ),
    ApiRoute(
        "GET",
        f"{API_PREFIX}/alerts/preferences",
        _get_alert_preferences,
        "The account's quiet hours and rule limit",
        "user",
        ref("AlertPreferences"),
    ),
    ApiRoute(
        "PUT",
        f"{API_PREFIX}/alerts/preferences",
        _put_alert_preferences,
        "Set or clear the account's quiet hours",
        "user",
        ref("AlertPreferences"),
        request=ref("AlertPreferencesUpdate"),
    ),
    ApiRoute(
        "DELETE",
        f"{API_PREFIX}/alerts/{{alert_id}}",
        _delete_alert,
        "Delete one of the account's alert rules",
        "user",
        None,
        path_params={"alert_id": _ID},
    ),
    ApiRoute("GET", f"{API_PREFIX}/watchlist", _get_watchlist, "The account's watchlist", "user", ref("Watchlist")),
    ApiRoute(
        "POST",
        f"{API_PREFIX}/watchlist",
        _add_to_watchlist,
        "Watch an item (its prices go into the daily digest)",
        "user",
        ref("Watchlist"),
        request=ref("WatchlistAdd"),
    ),
    ApiRoute(
        "DELETE",
        f"{API_PREFIX}/watchlist/{{type_id}}",
        _remove_from_watchlist,
        "Stop watching an item",
        "user",
        None,
        path_params={"type_id": _ID},
    ),
)
