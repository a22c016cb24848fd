"""The panel's middleware chain: errors without stack traces, per-IP and per-user rate limits with sessions, CSRF."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler
from redis.exceptions import RedisError

from core.ports import StoreUnavailable
from web.api_io import PUBLIC_PREFIXES
from web.errors import PanelError, from_http_exception, is_api, json_error, rate_limited, unavailable
from web.items import CHART_PREFIX
from web.keys import AUTH, CONFIG, IP_LIMITER, SESSIONS, USER_LIMITER
from web.render import error_page
from web.security import check_csrf, client_ip, rate_limit_key

if TYPE_CHECKING:
    from adapters.redis.ratelimit import RedisRateLimiter

log = logging.getLogger(__name__)
UNLIMITED_PATHS = ("/healthz", "/static/")
SESSIONLESS_PATHS = (*UNLIMITED_PATHS, "/api/openapi.json", *PUBLIC_PREFIXES, CHART_PREFIX)  # no cookie is read


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a clean error response: JSON under /api, an HTML page elsewhere; log the rest."""
    try:
        return await handler(request)
    except PanelError as error:
        return _error_response(request, error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _error_response(request, from_http_exception(exc))
    except asyncio.CancelledError:
        raise
    except StoreUnavailable as exc:  # Postgres is down, restarting or hanging: nothing to fix here, try again later
        log.warning("web request answered 503", extra={"route": route_label(request), "error": str(exc)})
        return _error_response(request, unavailable())
    except Exception:
        log.exception("unhandled error in web request", extra={"route": route_label(request), "method": request.method})
        return _error_response(request, PanelError(500))


def route_label(request: web.Request) -> str:
    """The request's route template (/link/{code}), never its path: a path may hold a secret such as a link code."""
    info = request.match_info
    resource = info.route.resource if info.http_exception is None else None
    return resource.canonical if resource is not None else "unrouted"


def _error_response(request: web.Request, error: PanelError) -> web.Response:
    return json_error(error) if is_api(request) else error_page(request, error)


async def _take(budget: tuple[RedisRateLimiter, str], *more: tuple[RedisRateLimiter, str]) -> None:
    """Spend one request of each budget (one Redis round trip) or raise 429; a Redis outage lets requests through."""
    limiter, key = budget
    try:
        wait = await limiter.wait_time(key, *more)
    except RedisError as exc:
        log.warning("web rate limit unavailable", extra={"error": type(exc).__name__})
        return
    if wait > 0:
        raise rate_limited(wait)


@web.middleware
async def access_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Per-address and per-account rate limits and the caller's session (cookies go out in on_response_prepare).

    A caller with a valid access token of a live session family spends its address's and its account's budgets in
    one round trip. Anyone else spends the address's budget before any refresh rotation, and a rotated session then
    its account's. The health check and static files are not limited; they, the public API and charts read no
    cookie; unrouted requests (404/405, e.g. a browser's /favicon.ico) never rotate: a parallel page load keeps
    its token.
    """
    if request.path.startswith(UNLIMITED_PATHS):  # also sessionless
        return await handler(request)
    ip = (request.app[IP_LIMITER], rate_limit_key(client_ip(request, request.app[CONFIG].trusted_proxies)))
    if request.path.startswith(SESSIONLESS_PATHS) or request.match_info.http_exception is not None:
        await _take(ip)
        return await handler(request)
    sessions = request.app[SESSIONS]
    auth = await sessions.resolve_access(request)
    if auth.session is not None:
        await _take(ip, (request.app[USER_LIMITER], str(auth.session.account_id)))
        request[AUTH] = auth
        return await handler(request)
    await _take(ip)
    await sessions.resolve_refresh(request, auth)
    request[AUTH] = auth  # before the account's 429: a rotated refresh cookie must reach the browser
    if auth.session is not None:
        await _take((request.app[USER_LIMITER], str(auth.session.account_id)))
    return await handler(request)


async def apply_session_cookies(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every response (errors included) carries the request's cookie changes."""
    auth = request.get(AUTH)
    if auth is not None:
        request.app[SESSIONS].apply(response, auth)


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """State-changing requests must carry this session's CSRF token (X-CSRF-Token or the csrf_token field)."""
    if AUTH in request:
        await check_csrf(request)
    return await handler(request)


MIDDLEWARES = (error_middleware, access_middleware, csrf_middleware)
