"""Typed keys of the web app's shared state (AppKeys) and of per-request state (RequestKeys)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2
import redis.asyncio as aioredis
from aiohttp import web

from web.config import WebConfig
from web.session_model import RequestAuth
from web.sessions import SessionService

if TYPE_CHECKING:
    from adapters.postgres.account_settings import PgAccountSettings
    from adapters.redis.keys import RedisKeys
    from adapters.redis.ratelimit import RedisRateLimiter
    from core.trading.book import ProfitChart
    from core.usecases.market_services import ChartRenderer

REDIS = web.AppKey("redis", aioredis.Redis)
REDIS_KEYS: web.AppKey[RedisKeys] = web.AppKey("redis_keys")
CONFIG = web.AppKey("web_config", WebConfig)
SESSIONS = web.AppKey("sessions", SessionService)
ACCOUNTS: web.AppKey[PgAccountSettings] = web.AppKey("accounts")
IP_LIMITER: web.AppKey[RedisRateLimiter] = web.AppKey("ip_limiter")
USER_LIMITER: web.AppKey[RedisRateLimiter] = web.AppKey("user_limiter")
TEMPLATES = web.AppKey("templates", jinja2.Environment)
HISTORY_CHART: web.AppKey[ChartRenderer] = web.AppKey("history_chart")  # when the market context brings none
PROFIT_CHART: web.AppKey[ProfitChart] = web.AppKey("profit_chart")

AUTH = web.RequestKey("auth", RequestAuth)
CSRF_EXEMPT: web.AppKey[list[str]] = web.AppKey("csrf_exempt")
