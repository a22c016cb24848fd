"""What the public (anonymous) pages and API share: the market command context, the appraisal archive, limits."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from redis.exceptions import RedisError

from core.catalog import Catalog
from core.chat.registry import CommandContext
from core.usecases.market_services import MarketServices
from web.errors import PanelError, rate_limited
from web.keys import CONFIG
from web.security import client_ip, rate_limit_key
from web.stores import stores

if TYPE_CHECKING:
    from core.appraisal.archive import AppraisalArchive
    from core.chat.gateway import RateLimiter


log = logging.getLogger(__name__)
MARKET: web.AppKey[CommandContext] = web.AppKey("market_context")
APPRAISE_LIMITER: web.AppKey[RateLimiter] = web.AppKey("appraise_limiter")
NO_MARKET = "Market data is not available on this server right now."


def use_market(app: web.Application, context: CommandContext) -> None:
    """Give the panel the chat commands' context (catalog, market reads): item pages, appraisals, market API."""
    app[MARKET] = context


def market_context(request: web.Request) -> CommandContext:
    """The market context, or 503 when this server was started without one."""
    context = request.app.get(MARKET)
    if context is None:
        raise PanelError(503, NO_MARKET)
    return context


def catalog_of(context: CommandContext) -> Catalog:
    """The context's catalog (items and places)."""
    catalog = context.catalog
    if not isinstance(catalog, Catalog):
        raise PanelError(503, NO_MARKET)
    return catalog


def services_of(context: CommandContext) -> MarketServices:
    """The context's market services."""
    services = context.services
    if not isinstance(services, MarketServices):
        raise PanelError(503, NO_MARKET)
    return services


def archive(request: web.Request) -> AppraisalArchive:
    """The shared appraisals store, keeping rows APPRAISAL_TTL_DAYS."""
    return stores(request).appraisals


def permalink(request: web.Request, appraisal_id: str) -> str:
    """The public address of a shared appraisal."""
    return f"{request.app[CONFIG].public_url.rstrip('/')}/a/{appraisal_id}"


async def take_appraisal_budget(request: web.Request) -> None:
    """Spend one appraisal of the caller's address or raise 429 (a Redis outage lets it through, logged)."""
    ip = client_ip(request, request.app[CONFIG].trusted_proxies)
    try:
        wait = await request.app[APPRAISE_LIMITER].wait_time(rate_limit_key(ip))
    except RedisError as exc:
        log.warning("appraisal rate limit unavailable", extra={"error": type(exc).__name__})
        return
    if wait > 0:
        raise rate_limited(wait)
