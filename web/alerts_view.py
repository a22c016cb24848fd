"""The panel's Alerts page as shown: rules table, quiet hours, watchlist, digest, the forms' choices and values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from core.accounts.linking import LinkedIdentity
from core.alerts.message import place_name
from core.alerts.model import AlertTarget, TargetKind
from core.market.hubs import HUBS, KNOWN_REGIONS
from core.usecases import alerts as rule_cases
from core.usecases import watchlist as watch_cases
from web.alert_inputs import account_hub, dm_identities, dm_target, email_target, rules_store, watchlist_store
from web.push_pages import push_section, push_targets
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
    "snoozed": "Alert snoozed for an hour.",
    "unsnoozed": "Snooze ended: the alert fires again when its condition holds.",
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


def identity_key(identity: LinkedIdentity) -> str:
    """The form value naming one of the account's chat identities."""
    return f"{identity.platform}:{identity.external_id}"


def target_key(target: AlertTarget) -> str:
    """The form value naming the account's verified e-mail address."""
    return f"{target.platform}:{target.address}"


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
        "snoozed_until": alert.snoozed_until,
        "last_fired": rule.last_fired_at,
    }


async def alerts_page(
    request: web.Request, account_id: int, values: Mapping[str, str] | None = None, errors: dict[str, str] | None = None
) -> web.Response:
    """The whole Alerts page; `values` and `errors` re-show a rejected form (status 422)."""
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
