"""The alerts and watchlist part of the JSON API: the signed-in account's own rules, quiet hours and watchlist."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from core.alerts.message import place_name
from core.alerts.model import AlertPreferences, AlertRule, AlertTarget, QuietHours, RuleError
from core.usecases.alerts import (
    NoSuchAlert,
    add_alert,
    alert_preferences,
    list_alerts,
    remove_alert,
    rule_state,
    set_quiet_hours,
)
from core.usecases.watchlist import NotWatched, unwatch_item, watch_item, watchlist_of
from web.alert_inputs import (
    FieldError,
    account_hub,
    chosen_email,
    dm_identities,
    dm_target,
    hub_place,
    quiet_hours,
    region_place,
    rules_store,
    watchlist_store,
)
from web.api_io import API_PREFIX, ApiRoute, json_body, json_response
from web.api_schemas import ref
from web.errors import PanelError, path_id
from web.session_model import Session
from web.stores import stores
from web.structures_page import structure_names

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


def _int(value: Any, what: str) -> int:
    """A positive id of a 32-bit column (type and region ids), or a 422 naming the field."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise PanelError(422, f"{what} must be a positive whole number.", fields={what: "invalid"})
    return value


def rule_json(
    rule: AlertRule,
    names: dict[int, str],
    structures: Mapping[int, str] | None = None,
    snoozed_until: datetime | None = None,
) -> dict[str, Any]:
    """The Alert schema of a stored rule (`structures`: tracked structures' names, for its place; `snoozed_until`:
    while an active rule is snoozed)."""
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
        "place": place_name(spec.region_id, spec.location_id, structures),
        "target": {"platform": spec.target.platform, "kind": spec.target.kind.value, "address": spec.target.address},
        "state": rule_state(rule),
        "snoozed_until": snoozed_until.isoformat() if snoozed_until else None,
        "last_fired_at": rule.last_fired_at.isoformat() if rule.last_fired_at else None,
        "created_at": rule.created_at.isoformat(),
    }


async def _list_alerts(request: web.Request, session: Session) -> web.Response:
    alerts = await list_alerts(rules_store(request), session.account_id, datetime.now(UTC))
    names = await stores(request).types.names([a.rule.spec.type_id for a in alerts if a.rule.spec.type_id])
    places = structure_names(request)
    return json_response({"alerts": [rule_json(a.rule, names, places, a.snoozed_until) for a in alerts]})


async def _place(request: web.Request, session: Session, body: dict[str, Any]) -> tuple[int, int | None]:
    """(region, station) from `hub` or a region-wide `region_id`; the account's hub (else Jita) by default."""
    try:
        if body.get("region_id") is not None:
            return region_place(_int(body["region_id"], "region_id"))
        return hub_place(str(body.get("hub") or (await account_hub(request, session.account_id)).name))
    except FieldError as exc:
        raise PanelError(422, str(exc), fields={exc.field: exc.code}) from None


async def _target(request: web.Request, session: Session, wanted: Any) -> AlertTarget:
    """A DM to one of the account's chat identities (the one named, else the latest seen), or its verified e-mail."""
    identities = await dm_identities(request, session.account_id)
    if wanted is not None:
        if not isinstance(wanted, dict) or set(wanted) - {"platform", "address"}:
            raise PanelError(422, "target must be {platform, address}.", fields={"target": "invalid"})
        if wanted.get("platform") == "email":
            try:
                return await chosen_email(request, session.account_id, str(wanted.get("address", "")), "target")
            except FieldError as exc:
                raise PanelError(422, f"{str(exc)[0].upper()}{str(exc)[1:]}.", fields={"target": exc.code}) from None
        found = [
            i for i in identities if (i.platform, i.external_id) == (wanted.get("platform"), wanted.get("address"))
        ]
        if not found:
            raise PanelError(403, "Alerts from the panel go to your own chat identities only.")
        identities = found
    if not identities:
        raise PanelError(422, "Use the bot in a chat first: alerts need a chat to go to.", fields={"target": "none"})
    return dm_target(identities[0])


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
    names = await stores(request).types.names([type_id])
    if not names:
        raise PanelError(422, "Unknown item.", fields={"type_id": "unknown"})
    place = await _place(request, session, body)
    target = await _target(request, session, body.get("target"))
    try:
        rule = await add_alert(
            rules_store(request),
            session.account_id,
            kind=str(body.get("kind", "price")),
            type_id=type_id,
            place=place,
            target=target,
            threshold=body.get("threshold", ""),
            side=body.get("side"),
            direction=body.get("direction"),
            hysteresis=body.get("hysteresis", 0.0),
            cooldown_minutes=body.get("cooldown_minutes"),
        )
    except RuleError as exc:
        raise PanelError(422, str(exc)) from None
    return json_response(rule_json(rule, names, structure_names(request)))


async def _delete_alert(request: web.Request, session: Session) -> web.Response:
    try:
        await remove_alert(rules_store(request), session.account_id, path_id(request, "alert_id"))
    except NoSuchAlert:
        raise PanelError(404, "No such alert on your account.") from None
    return web.Response(status=204)


def _quiet_json(quiet: QuietHours | None) -> dict[str, str] | None:
    return {"timezone": quiet.timezone, "start": f"{quiet.start:%H:%M}", "end": f"{quiet.end:%H:%M}"} if quiet else None


def _alert_preferences_json(preferences: AlertPreferences) -> dict[str, Any]:
    return {"quiet": _quiet_json(preferences.quiet), "max_rules": preferences.max_rules}


async def _get_alert_preferences(request: web.Request, session: Session) -> web.Response:
    return json_response(_alert_preferences_json(await alert_preferences(rules_store(request), session.account_id)))


def _parse_quiet(raw: Any) -> QuietHours | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"timezone", "start", "end"}:
        raise PanelError(422, "quiet must be null or {timezone, start, end}.", fields={"quiet": "invalid"})
    try:
        return quiet_hours(str(raw["timezone"]), str(raw["start"]), str(raw["end"]))
    except FieldError as exc:
        raise PanelError(422, str(exc), fields={"quiet": "invalid"}) from None


async def _put_alert_preferences(request: web.Request, session: Session) -> web.Response:
    body = await json_body(request)
    if set(body) != {"quiet"}:
        raise PanelError(422, "Send {quiet: null | {timezone, start, end}} only.", fields={"quiet": "required"})
    preferences = await set_quiet_hours(rules_store(request), session.account_id, _parse_quiet(body["quiet"]))
    return json_response(_alert_preferences_json(preferences))


async def _watchlist_json(request: web.Request, session: Session) -> dict[str, Any]:
    watched = await watchlist_of(watchlist_store(request), session.account_id)
    names = await stores(request).types.names([item.type_id for item in watched.items])
    return {
        "items": [
            {"type_id": i.type_id, "name": names.get(i.type_id), "added_at": i.added_at.isoformat()}
            for i in watched.items
        ],
        "digest": {"enabled": watched.digest.enabled, "hour": watched.digest.hour},
    }


async def _get_watchlist(request: web.Request, session: Session) -> web.Response:
    return json_response(await _watchlist_json(request, session))


async def _add_to_watchlist(request: web.Request, session: Session) -> web.Response:
    body = await json_body(request)
    if set(body) != {"type_id"}:
        raise PanelError(422, "Send {type_id} only.", fields={"type_id": "required"})
    type_id = _int(body["type_id"], "type_id")
    if not await stores(request).types.names([type_id]):
        raise PanelError(422, "Unknown item.", fields={"type_id": "unknown"})
    try:
        await watch_item(watchlist_store(request), session.account_id, type_id)
    except RuleError as exc:
        raise PanelError(422, str(exc)) from None
    return json_response(await _watchlist_json(request, session))


async def _remove_from_watchlist(request: web.Request, session: Session) -> web.Response:
    try:
        await unwatch_item(watchlist_store(request), session.account_id, path_id(request, "type_id", limit=2**31))
    except NotWatched:
        raise PanelError(404, "That item is not on your watchlist.") from None
    return web.Response(status=204)


_ID = {"type": "integer", "minimum": 1}
ALERT_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute("GET", f"{API_PREFIX}/alerts", _list_alerts, "The account's alert rules", "user", ref("AlertList")),
    ApiRoute(
        "POST",
        f"{API_PREFIX}/alerts",
        _create_alert,
        "Create an alert rule (to a DM of one of the account's chat identities, or its verified e-mail)",
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
