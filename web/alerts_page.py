"""The panel's Alerts page and its forms: rules (create, pause, resume, snooze, remove), quiet hours, watchlist and
digest; web/alerts_view.py shows the page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from aiohttp import web

from core.alerts.model import AlertTarget, RuleError, RuleLimitReached
from core.alerts.watchlist import check_digest_hour
from core.digits import whole_number
from core.usecases import alerts as rule_cases
from core.usecases import watchlist as watch_cases
from web.alert_inputs import (
    FieldError,
    account_hub,
    chosen_email,
    dm_identities,
    dm_target,
    email_target,
    hub_place,
    item_by_name,
    quiet_hours,
    region_place,
    rules_store,
    watchlist_store,
)
from web.alerts_view import DIRECTIONS, KINDS, SIDES, alerts_page, identity_key, target_key
from web.auth import require_user
from web.errors import PanelError, path_id
from web.push_pages import add_push_routes, push_targets

EMAIL = "email"  # the platform of e-mail targets
PUSH = "webpush"  # the platform of browser notification targets
CREATE_FIELDS = ("item", "kind", "side", "direction", "value", "place", "target")
DIGEST_FIELDS = ("digest_enabled", "digest_hour", "digest_target")
QUIET_FIELDS = {"quiet_timezone": "timezone", "quiet_start": "start", "quiet_end": "end"}
SNOOZE_MINUTES = 60  # the panel's Snooze button
# Which create-form field a core RuleError is about, by the words of its message (first match wins).
_RULE_FIELDS = (
    ("threshold", "value"),
    ("hysteresis", "value"),
    ("side", "side"),
    ("above or below", "direction"),
    ("direction", "direction"),
    ("alert kind", "kind"),
    ("station", "place"),
    ("region", "place"),
    ("item", "item"),
    ("target", "target"),
)


async def _chosen(request: web.Request, account_id: int, key: str, field: str) -> AlertTarget:
    """The target picked in a form: a DM of one of the account's chat identities, its verified e-mail address or one
    of its browsers."""
    if key.startswith(f"{EMAIL}:"):
        return await chosen_email(request, account_id, key.partition(":")[2], field)
    if key.startswith(f"{PUSH}:"):
        for target, _ in await push_targets(request, account_id):
            if target_key(target) == key:
                return target
        raise FieldError(field, "invalid", "pick one of your own browsers")
    identities = await dm_identities(request, account_id)
    for identity in identities:
        if identity_key(identity) == key:
            return dm_target(identity)
    if identities:
        raise FieldError(field, "invalid", "pick one of your own chat identities")
    if await email_target(request, account_id) is not None:
        raise FieldError(field, "invalid", "pick your verified e-mail address")
    raise FieldError(field, "none", "use the bot in Discord or Telegram first: alerts go to a chat of yours")


def _place(value: str) -> tuple[int, int | None]:
    kind, _, name = value.partition(":")
    try:
        if kind == "hub":
            return hub_place(name)
        if kind == "region" and (region_id := whole_number(name)) is not None:
            return region_place(region_id)
    except FieldError:
        pass
    raise FieldError("place", "unknown", "pick a hub or a region from the list")


def _rule_field(error: RuleError) -> str:
    message = str(error)
    return next((field for words, field in _RULE_FIELDS if words in message), "create")


async def _form(request: web.Request, fields: Sequence[str]) -> dict[str, str]:
    form = await request.post()
    return {name: str(form.get(name, "")).strip() for name in fields}


async def alerts(request: web.Request) -> web.Response:
    """The Alerts page (?item= prefills the new alert's item, e.g. from an item page)."""
    account_id = require_user(request).account_id
    return await alerts_page(request, account_id, {"item": request.query.get("item", "")[:100]})


async def create_alert(request: web.Request) -> web.StreamResponse:
    """Create a rule from the form; re-show it with an error per bad field (nothing stored then)."""
    account_id = require_user(request).account_id
    values = await _form(request, CREATE_FIELDS)
    errors: dict[str, str] = {}
    type_id, target = 0, None
    place: tuple[int, int | None] = (0, None)
    try:
        type_id, _ = await item_by_name(request, values["item"])
    except FieldError as exc:
        errors["item"] = str(exc)
    kind, side = values["kind"], values["side"] if values["kind"] == "price" else None
    if kind not in KINDS:
        errors["kind"] = f"must be one of {', '.join(KINDS.values())}"
    if kind == "price" and side not in SIDES:
        errors["side"] = "price alerts watch buy or sell orders: pick one"
    if values["direction"] not in DIRECTIONS:
        errors["direction"] = "must be above or below"
    if not values["value"]:
        errors["value"] = "say the number to compare with"
    try:
        place = _place(values["place"])
    except FieldError as exc:
        errors["place"] = str(exc)
    try:
        target = await _chosen(request, account_id, values["target"], "target")
    except FieldError as exc:
        errors["target"] = str(exc)
    if not errors and target is not None:
        try:
            await rule_cases.add_alert(
                rules_store(request),
                account_id,
                kind=kind,
                type_id=type_id,
                place=place,
                target=target,
                threshold=values["value"],
                side=side,
                direction=values["direction"],
            )
        except RuleLimitReached as exc:
            errors["create"] = str(exc)
        except RuleError as exc:
            errors[_rule_field(exc)] = str(exc)
    if errors:
        return await alerts_page(request, account_id, values, errors)
    raise web.HTTPSeeOther("/alerts?done=created")


async def _set_active(request: web.Request, active: bool) -> web.StreamResponse:
    account_id = require_user(request).account_id
    try:
        rule_id = path_id(request, "alert_id")
        changed = await rule_cases.set_alert_active(rules_store(request), account_id, rule_id, active)
    except rule_cases.NoSuchAlert:
        raise PanelError(404, "No such alert on your account.") from None
    raise web.HTTPSeeOther(f"/alerts?done={changed.change.value}")


async def pause_alert(request: web.Request) -> web.StreamResponse:
    """Pause one of the account's own rules."""
    return await _set_active(request, False)


async def resume_alert(request: web.Request) -> web.StreamResponse:
    """Resume (and re-arm) one of the account's own rules."""
    return await _set_active(request, True)


async def _snooze(request: web.Request, minutes: int, done: str) -> web.StreamResponse:
    account_id = require_user(request).account_id
    try:
        rule_id = path_id(request, "alert_id")
        await rule_cases.snooze_alert(rules_store(request), account_id, rule_id, minutes, datetime.now(UTC))
    except rule_cases.NoSuchAlert:
        raise PanelError(404, "No such alert on your account.") from None
    raise web.HTTPSeeOther(f"/alerts?done={done}")


async def snooze_alert(request: web.Request) -> web.StreamResponse:
    """Keep one of the account's own rules from firing for an hour (chat's /alert snooze takes any length)."""
    return await _snooze(request, SNOOZE_MINUTES, "snoozed")


async def unsnooze_alert(request: web.Request) -> web.StreamResponse:
    """End a snooze of one of the account's own rules."""
    return await _snooze(request, 0, "unsnoozed")


async def remove_alert(request: web.Request) -> web.StreamResponse:
    """Delete one of the account's own rules."""
    account_id = require_user(request).account_id
    try:
        await rule_cases.remove_alert(rules_store(request), account_id, path_id(request, "alert_id"))
    except rule_cases.NoSuchAlert:
        raise PanelError(404, "No such alert on your account.") from None
    raise web.HTTPSeeOther("/alerts?done=removed")


async def save_quiet_hours(request: web.Request) -> web.StreamResponse:
    """Set quiet hours (start, end, time zone) or turn them off (the "off" button)."""
    account_id = require_user(request).account_id
    values = await _form(request, (*QUIET_FIELDS, "action"))
    if values["action"] == "off":
        await rule_cases.set_quiet_hours(rules_store(request), account_id, None)
        raise web.HTTPSeeOther("/alerts?done=quiet_off")
    try:
        quiet = quiet_hours(values["quiet_timezone"], values["quiet_start"], values["quiet_end"])
    except FieldError as exc:
        field = next(name for name, short in QUIET_FIELDS.items() if short == exc.field)
        return await alerts_page(request, account_id, values, {field: str(exc)})
    await rule_cases.set_quiet_hours(rules_store(request), account_id, quiet)
    raise web.HTTPSeeOther("/alerts?done=quiet")


async def watch_item(request: web.Request) -> web.StreamResponse:
    """Put an item (by name) on the watchlist; its daily history is kept fresh in the account's hub region."""
    account_id = require_user(request).account_id
    values = await _form(request, ("watch_item",))
    try:
        type_id, _ = await item_by_name(request, values["watch_item"])
        region_id = (await account_hub(request, account_id)).region_id
        watched = await watch_cases.watch_item(watchlist_store(request), account_id, type_id, region_id)
    except (FieldError, RuleError) as exc:
        return await alerts_page(request, account_id, values, {"watch_item": str(exc)})
    raise web.HTTPSeeOther(f"/alerts?done={'watched' if watched.changed else 'already'}")


async def unwatch_item(request: web.Request) -> web.StreamResponse:
    """Take an item off the watchlist."""
    account_id = require_user(request).account_id
    try:
        await watch_cases.unwatch_item(watchlist_store(request), account_id, path_id(request, "type_id", limit=2**31))
    except watch_cases.NotWatched:
        raise PanelError(404, "That item is not on your watchlist.") from None
    raise web.HTTPSeeOther("/alerts?done=unwatched")


async def save_digest(request: web.Request) -> web.StreamResponse:
    """Turn the daily digest on (at a local hour, to one of the account's DMs) or off."""
    account_id = require_user(request).account_id
    values = await _form(request, DIGEST_FIELDS)
    errors: dict[str, str] = {}
    enabled, hour, target = values["digest_enabled"] == "on", None, None
    if values["digest_enabled"] not in ("on", "off"):
        errors["digest_enabled"] = "must be on or off"
    try:
        given = whole_number(values["digest_hour"], max_digits=2)
        hour = check_digest_hour(-1 if given is None else given)
    except RuleError:
        errors["digest_hour"] = "must be a whole hour from 0 to 23"
    if enabled:
        try:
            target = await _chosen(request, account_id, values["digest_target"], "digest_target")
        except FieldError as exc:
            errors["digest_target"] = str(exc)
    if errors:
        return await alerts_page(request, account_id, values, errors)
    await watch_cases.set_digest(watchlist_store(request), rules_store(request), account_id, enabled, hour, target)
    raise web.HTTPSeeOther("/alerts?done=digest")


def add_alerts_routes(app: web.Application) -> None:
    """Register the Alerts page and its forms."""
    app.router.add_get("/alerts", alerts, name="alerts")
    app.router.add_post("/alerts", create_alert, name="create_alert")
    app.router.add_post("/alerts/{alert_id}/pause", pause_alert, name="pause_alert")
    app.router.add_post("/alerts/{alert_id}/resume", resume_alert, name="resume_alert")
    app.router.add_post("/alerts/{alert_id}/snooze", snooze_alert, name="snooze_alert")
    app.router.add_post("/alerts/{alert_id}/unsnooze", unsnooze_alert, name="unsnooze_alert")
    app.router.add_post("/alerts/{alert_id}/remove", remove_alert, name="remove_alert")
    app.router.add_post("/alerts/quiet", save_quiet_hours, name="save_quiet_hours")
    app.router.add_post("/alerts/watchlist", watch_item, name="watch_item")
    app.router.add_post("/alerts/watchlist/{type_id}/remove", unwatch_item, name="unwatch_item")
    app.router.add_post("/alerts/digest", save_digest, name="save_digest")
    add_push_routes(app)
