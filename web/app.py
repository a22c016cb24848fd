"""The web service's composition: create_app (panel, JSON API) and serve (optionally TLS 1.3 directly)."""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from web.api import add_api_routes
from web.assets import panel_assets
from web.config import WebConfig
from web.email_pages import MAILER
from web.http_metrics import http_metrics_middleware
from web.keys import (
    ACCOUNTS,
    CONFIG,
    CSRF_EXEMPT,
    HISTORY_CHART,
    IP_LIMITER,
    PROFIT_CHART,
    REDIS,
    REDIS_KEYS,
    SESSIONS,
    TEMPLATES,
    USER_LIMITER,
)
from web.middleware import MIDDLEWARES, apply_session_cookies
from web.openapi import OPENAPI_PATH, openapi_handler
from web.pages import add_page_routes
from web.public import APPRAISE_LIMITER
from web.render import template_environment
from web.security import add_security_headers
from web.sso_routes import add_sso_routes
from web.stores import STORES, WebStores

if TYPE_CHECKING:
    import redis.asyncio as aioredis

    from adapters.postgres.account_settings import PgAccountSettings
    from adapters.redis.keys import RedisKeys
    from adapters.redis.ratelimit import RedisRateLimiter
    from core.alerts.delivery import AlertSender
    from core.chat.gateway import RateLimiter
    from core.trading.book import ProfitChart
    from core.usecases.market_services import ChartRenderer
    from web.sessions import SessionService
    from web.sso import SsoWebServices

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 1_048_576
SHUTDOWN_GRACE_S = 3.0  # requests in flight at shutdown (SIGTERM ends a process within 10 s)


@dataclass(frozen=True)
class WebDeps:
    """What the panel and its API use, built by the bootstrap (evetrader.bootstrap.web)."""

    redis: aioredis.Redis
    keys: RedisKeys
    config: WebConfig
    accounts: PgAccountSettings
    stores: WebStores  # every other store the handlers use
    sessions: SessionService
    ip_limiter: RedisRateLimiter
    user_limiter: RedisRateLimiter
    appraise_limiter: RateLimiter  # per address, stricter than the panel's: an appraisal is costly
    history_chart: ChartRenderer  # item pages' price history, when the market context brings no renderer
    profit_chart: ProfitChart  # the Trading page's realised profit
    sso: SsoWebServices | None = None  # EVE sign-in and the /link pages (the sign-in button is enabled)
    mailer: AlertSender | None = None  # e-mail: accounts can verify an address and pick it as an alert target


def create_app(deps: WebDeps) -> web.Application:
    """The web application: pages, /api/v1, /api/openapi.json, /healthz, /static (metrics: web.ops, not here)."""
    app = web.Application(middlewares=(http_metrics_middleware, *MIDDLEWARES), client_max_size=MAX_REQUEST_BYTES)
    app[REDIS] = deps.redis
    app[REDIS_KEYS] = deps.keys
    app[CONFIG] = deps.config
    app[ACCOUNTS] = deps.accounts
    app[STORES] = deps.stores
    app[SESSIONS] = deps.sessions
    app[IP_LIMITER] = deps.ip_limiter
    app[USER_LIMITER] = deps.user_limiter
    app[APPRAISE_LIMITER] = deps.appraise_limiter
    app[HISTORY_CHART] = deps.history_chart
    app[PROFIT_CHART] = deps.profit_chart
    app[TEMPLATES] = template_environment()
    app[CSRF_EXEMPT] = []
    if deps.mailer is not None:
        app[MAILER] = deps.mailer
    app.on_response_prepare.append(apply_session_cookies)
    app.on_response_prepare.append(add_security_headers)
    app.on_startup.append(_promote_configured_admins)
    app.router.add_get("/healthz", _healthz, name="healthz")
    app.router.add_get(OPENAPI_PATH, openapi_handler, name="openapi")
    app.router.add_get("/static/{name}", panel_assets().handle, name="static")
    add_page_routes(app)
    add_api_routes(app)
    if deps.sso is not None:
        add_sso_routes(app, deps.sso)
    return app


async def _healthz(request: web.Request) -> web.Response:
    """The panel answers (the probes of record, /readyz and /metrics are on the operations port: web.ops)."""
    return web.json_response({"status": "ok"})


def exempt_from_csrf(app: web.Application, path_prefix: str) -> None:
    """Let machine-to-machine POSTs under `path_prefix` (e.g. a webhook with its own secret) skip the CSRF check."""
    app[CSRF_EXEMPT].append(path_prefix)


async def _promote_configured_admins(app: web.Application) -> None:
    await app[ACCOUNTS].promote_admin_characters(list(app[CONFIG].admin_character_ids))


def tls_context(cert_file: Path | str, key_file: Path | str) -> ssl.SSLContext:
    """A server SSLContext that accepts TLS 1.3 only."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(str(cert_file), str(key_file))
    return context


async def start(
    app: web.Application, host: str, port: int, *, tls_cert: Path | str | None = None, tls_key: Path | str | None = None
) -> tuple[web.AppRunner, int]:
    """Start serving `app`; returns the runner (call cleanup()) and the bound port (useful with port 0)."""
    if (tls_cert is None) != (tls_key is None):
        raise ValueError("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE")
    context = tls_context(tls_cert, tls_key) if tls_cert is not None and tls_key is not None else None
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
    await runner.setup()
    site = web.TCPSite(runner, host, port, ssl_context=context)
    await site.start()
    bound = port
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            bound = int(address[1])
            break
    return runner, bound


async def serve(
    app: web.Application,
    host: str,
    port: int,
    stop: asyncio.Event,
    *,
    tls_cert: Path | str | None = None,
    tls_key: Path | str | None = None,
) -> None:
    """Serve `app` (over TLS 1.3 when both files are given) until `stop` is set."""
    runner, _ = await start(app, host, port, tls_cert=tls_cert, tls_key=tls_key)
    try:
        await stop.wait()
    finally:
        try:  # requests in flight get SHUTDOWN_GRACE_S; the cleanup hooks what is left of the bound
            await asyncio.wait_for(runner.cleanup(), SHUTDOWN_GRACE_S + 2.0)
        except TimeoutError:
            log.warning("web server cleanup did not finish in time")
