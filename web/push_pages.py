"""Browser notifications on the panel: the service worker at the root scope, the subscribe call (JSON, CSRF header),
removing a browser, and what the Alerts page shows about them. A subscription is an alert target like an e-mail."""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.postgres.push_subscriptions import TooManySubscriptions
from core.alerts.model import AlertTarget
from core.alerts.webpush import StoredSubscription, SubscriptionInvalid, browser_label, parse_subscription, push_target
from web.auth import require_user
from web.errors import PanelError, path_id
from web.keys import CONFIG
from web.stores import stores

if TYPE_CHECKING:
    from adapters.postgres.push_subscriptions import PgPushSubscriptions

SERVICE_WORKER_PATH = "/push-sw.js"
MAX_SUBSCRIBE_BYTES = 8192
NOT_ENABLED = "Browser notifications are not enabled on this server."


@functools.cache
def _service_worker() -> bytes:
    return (files("web") / "static" / "push-sw.js").read_bytes()


def push_enabled(app: web.Application) -> bool:
    """True when the server has a VAPID key (VAPID_PRIVATE_KEY is set)."""
    return bool(app[CONFIG].vapid_public_key)


def push_store(request: web.Request) -> PgPushSubscriptions:
    """The push subscriptions store of this app."""
    return stores(request).push


async def push_targets(request: web.Request, account_id: int) -> list[tuple[AlertTarget, str]]:
    """The account's browsers as alert targets with their labels ([] when push is off here)."""
    if not push_enabled(request.app):
        return []
    return [(push_target(s.id), s.label) for s in await push_store(request).list_for(account_id)]


async def push_section(request: web.Request, account_id: int) -> dict[str, Any]:
    """What the Alerts page shows: on or off here, the public key to subscribe with, the account's browsers."""
    if not push_enabled(request.app):
        return {"enabled": False, "browsers": []}
    browsers: list[StoredSubscription] = await push_store(request).list_for(account_id)
    return {"enabled": True, "public_key": request.app[CONFIG].vapid_public_key, "browsers": browsers}


async def service_worker(request: web.Request) -> web.Response:
    """GET /push-sw.js: the service worker, at the root so its scope is the whole panel; always revalidated."""
    return web.Response(
        body=_service_worker(),
        content_type="text/javascript",
        charset="utf-8",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def subscribe(request: web.Request) -> web.Response:
    """POST /alerts/push (JSON PushSubscription, X-CSRF-Token): store this browser; 201 {id, label}."""
    account_id = require_user(request).account_id
    if not push_enabled(request.app):
        raise PanelError(404, NOT_ENABLED)
    if (request.content_length or 0) > MAX_SUBSCRIBE_BYTES:
        return _problem(413, "the subscription is too large")
    try:
        data = json.loads(await request.read())
        subscription = parse_subscription(data, allow_http=request.app[CONFIG].push_allow_http)
    except (ValueError, UnicodeDecodeError) as exc:
        message = str(exc) if isinstance(exc, SubscriptionInvalid) else "send the subscription as JSON"
        return _problem(422, message)
    label = browser_label(request.headers.get("User-Agent", ""))
    try:
        subscription_id = await push_store(request).add(account_id, subscription, label)
    except TooManySubscriptions as exc:
        return _problem(409, str(exc))
    return web.json_response({"id": subscription_id, "label": label}, status=201)


async def remove(request: web.Request) -> web.StreamResponse:
    """Forget one of the account's browsers; alerts that went there pause."""
    account_id = require_user(request).account_id
    if not await push_store(request).remove(account_id, path_id(request, "subscription_id")):
        raise PanelError(404, "No such browser on your account.")
    raise web.HTTPSeeOther("/alerts?done=push_removed#push-title")


def add_push_routes(app: web.Application) -> None:
    """Register the service worker and the subscription endpoints."""
    app.router.add_get(SERVICE_WORKER_PATH, service_worker, name="push_service_worker")
    app.router.add_post("/alerts/push", subscribe, name="push_subscribe")
    app.router.add_post("/alerts/push/{subscription_id}/remove", remove, name="push_remove")
