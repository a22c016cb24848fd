"""The panel's middleware chain: errors without stack traces, per-IP and per-user rate limits, sessions, CSRF."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from redis.exceptions import RedisError

from adapters.redis.ratelimit import RedisRateLimiter
from core.ports import StoreUnavailable
from web.api_io import PUBLIC_PREFIXES
from web.errors import PanelError, from_http_exception, is_api, json_error, rate_limited, unavailable
from web.items import CHART_PREFIX
from web.keys import AUTH, CONFIG, IP_LIMITER, SESSIONS, USER_LIMITER
from web.render import error_page
from web.security import check_csrf, client_ip, rate_limit_key

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


async def _take(limiter: RedisRateLimiter, key: str) -> None:
    """Spend one request of `key`'s budget or raise 429; a Redis outage lets requests through (logged)."""
    try:
        wait = await limiter.wait_time(key)
    except RedisError as exc:
        log.warning("web rate limit unavailable", extra={"error": type(exc).__name__})
        return
    if wait > 0:
        raise rate_limited(wait)


@web.middleware
async def ip_rate_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Per-address rate limit (the health check and static files are exempt)."""
    if not request.path.startswith(UNLIMITED_PATHS):
        ip = client_ip(request, request.app[CONFIG].trusted_proxies)
        await _take(request.app[IP_LIMITER], rate_limit_key(ip))
    return await handler(request)


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Resolve the caller's session (rotating refresh tokens as needed); cookies go out in on_response_prepare.

    Unrouted requests (404/405, e.g. a browser's /favicon.ico) never rotate: a parallel page load keeps its token.
    """
    if not request.path.startswith(SESSIONLESS_PATHS) and request.match_info.http_exception is None:
        request[AUTH] = await request.app[SESSIONS].resolve(request)
    return await handler(request)


async def apply_session_cookies(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every response (errors included) carries the request's cookie changes."""
    auth = request.get(AUTH)
    if auth is not None:
        request.app[SESSIONS].apply(response, auth)


@web.middleware
async def user_rate_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Per-account rate limit for signed-in callers."""
    auth = request.get(AUTH)
    if auth is not None and auth.session is not None:
        await _take(request.app[USER_LIMITER], str(auth.session.account_id))
    return await handler(request)


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """State-changing requests must carry this session's CSRF token (X-CSRF-Token or the csrf_token field)."""
    if AUTH in request:
        await check_csrf(request)
    return await handler(request)


MIDDLEWARES = (error_middleware, ip_rate_middleware, session_middleware, user_rate_middleware, csrf_middleware)
