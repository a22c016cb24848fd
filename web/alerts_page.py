"""The panel's Alerts page: the account's rules (pause, resume, remove, create), quiet hours, watchlist and digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from core.accounts.linking import LinkedIdentity
from core.alerts.message import place_name
from core.alerts.model import AlertTarget, RuleError, RuleLimitReached, TargetKind
from core.alerts.watchlist import check_digest_hour
from core.digits import whole_number
from core.market.hubs import HUBS, KNOWN_REGIONS
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
from web.auth import require_user
from web.errors import PanelError, path_id
from web.push_pages import add_push_routes, push_section, push_targets
from web.render import render
from web.stores import stores
from web.structures_page import structure_names

KINDS = {"price": "Price (ISK)", "spread": "Margin after fees (%)", "volume_spike": "Volume (x 30-day average)"}
SIDES = {"sell": "Sell orders", "buy": "Buy orders"}
DIRECTIONS = {"below": "Falls below", "above": "Rises above"}
LABELS = {
    "create": "New alert",
    "item": "Item",
    "kind": "Watch",
    "side": "Side",
    "direction": "Fire when it",
    "value": "Value",
    "place": "Where",
    "target": "Send to",
    "quiet_timezone": "Time zone",
    "quiet_start": "Quiet from",
    "quiet_end": "Quiet until",
    "watch_item": "Item to watch",
    "digest_enabled": "Daily digest",
    "digest_hour": "Digest hour",
    "digest_target": "Send the digest to",
}
NOTICES = {
    "created": "Alert created. It is checked after every market refresh.",
    "paused": "Alert paused.",
    "resumed": "Alert resumed.",
    "removed": "Alert removed.",
    "quiet": "Quiet hours saved.",
    "quiet_off": "Quiet hours off: alerts arrive at any time.",
    "watched": "Item added to your watchlist.",
    "already": "That item was already on your watchlist.",
    "unwatched": "Item removed from your watchlist.",
    "digest": "Daily digest saved.",
    "push_added": "Notifications are on in this browser: pick it under Send to.",
    "push_removed": "Browser removed: alerts that went there are paused.",
}
EMAIL = "email"  # the platform of e-mail targets
PUSH = "webpush"  # the platform of browser notification targets
CREATE_FIELDS = ("item", "kind", "side", "direction", "value", "place", "target")
DIGEST_FIELDS = ("digest_enabled", "digest_hour", "digest_target")
QUIET_FIELDS = {"quiet_timezone": "timezone", "quiet_start": "start", "quiet_end": "end"}
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


def identity_key(identity: LinkedIdentity) -> str:
    """The form value naming one of the account's chat identities."""
    return f"{identity.platform}:{identity.external_id}"


def target_key(target: AlertTarget) -> str:
    """The form value naming the account's verified e-mail address."""
    return f"{target.platform}:{target.address}"


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


def _target_text(target: AlertTarget, identities: Sequence[LinkedIdentity], browsers: Mapping[str, str]) -> str:
    if target.kind is TargetKind.DM:
        for identity in identities:
            if (identity.platform, identity.external_id) == (target.platform, target.address):
                return f"DM to {identity.display_name or identity.external_id} ({target.platform})"
        return f"DM ({target.platform})"
    if target.kind is TargetKind.EMAIL:
        return f"E-mail to {target.address}"
    if target.kind is TargetKind.PUSH:
        return f"Browser: {browsers.get(target.address, 'removed')}"
    return f"{target.kind.value} {target.address} ({target.platform})"


def _rule_row(
    alert: rule_cases.ListedAlert,
    names: Mapping[int, str],
    identities: Sequence[LinkedIdentity],
    browsers: Mapping[str, str],
    structures: Mapping[int, str],
) -> dict[str, Any]:
    rule = alert.rule
    type_id = rule.spec.type_id
    return {
        "id": rule.id,
        "item": names.get(type_id or 0, f"type {type_id}"),
        "condition": alert.condition,
        "place": place_name(rule.spec.region_id, rule.spec.location_id, structures),
        "target": _target_text(rule.spec.target, identities, browsers),
        "state": alert.state,
        "last_fired": rule.last_fired_at,
    }


async def _page(
    request: web.Request, account_id: int, values: Mapping[str, str] | None = None, errors: dict[str, str] | None = None
) -> web.Response:
    """The whole page; `values` and `errors` re-show a rejected form (status 422)."""
    rules_db = rules_store(request)
    rules = await rule_cases.list_alerts(rules_db, account_id, datetime.now(UTC))
    watched = await watch_cases.watchlist_of(watchlist_store(request), account_id)
    items, digest = watched.items, watched.digest
    quiet = (await rule_cases.alert_preferences(rules_db, account_id)).quiet
    type_ids = [a.rule.spec.type_id for a in rules if a.rule.spec.type_id] + [item.type_id for item in items]
    names = await stores(request).types.names(type_ids)
    identities = await dm_identities(request, account_id)
    targets = [(identity_key(i), f"{i.display_name or i.external_id} ({i.platform})") for i in identities]
    if (email := await email_target(request, account_id)) is not None:
        targets.append((target_key(email), f"E-mail: {email.address}"))
    browsers = await push_targets(request, account_id)
    targets += [(target_key(target), f"Browser: {label}") for target, label in browsers]
    first = targets[0][0] if targets else ""
    digest_to = target_key(digest.target) if digest.target and digest.target.kind is not TargetKind.DM else None
    digest_to = digest_to or next(
        (identity_key(i) for i in identities if digest.target and dm_target(i) == digest.target), first
    )
    shown = {
        "item": "",
        "kind": "price",
        "side": "sell",
        "direction": "below",
        "value": "",
        "place": f"hub:{(await account_hub(request, account_id)).name}",
        "target": first,
        "quiet_timezone": quiet.timezone if quiet else "UTC",
        "quiet_start": f"{quiet.start:%H:%M}" if quiet else "",
        "quiet_end": f"{quiet.end:%H:%M}" if quiet else "",
        "watch_item": "",
        "digest_enabled": "on" if digest.enabled else "off",
        "digest_hour": str(digest.hour),
        "digest_target": digest_to,
    } | dict(values or {})
    places, browser_labels = structure_names(request), {t.address: label for t, label in browsers}
    return render(
        request,
        "alerts.html",
        status=422 if errors else 200,
        rules=[_rule_row(alert, names, identities, browser_labels, places) for alert in rules],
        push=await push_section(request, account_id),
        watched=[(item.type_id, names.get(item.type_id, f"type {item.type_id}")) for item in items],
        quiet=quiet,
        digest=digest,
        identities=targets,
        places=[(f"hub:{hub.name}", f"{hub.name} station") for hub in HUBS]
        + [(f"region:{rid}", f"{name} (whole region)") for rid, name in KNOWN_REGIONS.items()],
        kinds=KINDS,
        sides=SIDES,
        directions=DIRECTIONS,
        values=shown,
        errors=errors or {},
        labels=LABELS,
        notice=NOTICES.get(request.query.get("done", "")),
    )


async def _form(request: web.Request, fields: Sequence[str]) -> dict[str, str]:
    form = await request.post()
    return {name: str(form.get(name, "")).strip() for name in fields}


async def alerts(request: web.Request) -> web.Response:
    """The Alerts page (?item= prefills the new alert's item, e.g. from an item page)."""
    account_id = require_user(request).account_id
    return await _page(request, account_id, {"item": request.query.get("item", "")[:100]})


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
        return await _page(request, account_id, values, errors)
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
        return await _page(request, account_id, values, {field: str(exc)})
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
        return await _page(request, account_id, values, {"watch_item": str(exc)})
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
        return await _page(request, account_id, values, errors)
    await watch_cases.set_digest(watchlist_store(request), rules_store(request), account_id, enabled, hour, target)
    raise web.HTTPSeeOther("/alerts?done=digest")


def add_alerts_routes(app: web.Application) -> None:
    """Register the Alerts page and its forms."""
    app.router.add_get("/alerts", alerts, name="alerts")
    app.router.add_post("/alerts", create_alert, name="create_alert")
    app.router.add_post("/alerts/{alert_id}/pause", pause_alert, name="pause_alert")
    app.router.add_post("/alerts/{alert_id}/resume", resume_alert, name="resume_alert")
    app.router.add_post("/alerts/{alert_id}/remove", remove_alert, name="remove_alert")
    app.router.add_post("/alerts/quiet", save_quiet_hours, name="save_quiet_hours")
    app.router.add_post("/alerts/watchlist", watch_item, name="watch_item")
    app.router.add_post("/alerts/watchlist/{type_id}/remove", unwatch_item, name="unwatch_item")
    app.router.add_post("/alerts/digest", save_digest, name="save_digest")
    add_push_routes(app)
