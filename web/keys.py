"""Typed keys of the web app's shared state (AppKeys) and of per-request state (RequestKeys)."""

from __future__ import annotations

import jinja2
import redis.asyncio as aioredis
from aiohttp import web

from adapters.postgres.account_settings import PgAccountSettings
from adapters.redis.keys import RedisKeys
from adapters.redis.ratelimit import RedisRateLimiter
from web.config import WebConfig
from web.session_model import RequestAuth
from web.sessions import SessionService

REDIS = web.AppKey("redis", aioredis.Redis)
REDIS_KEYS = web.AppKey("redis_keys", RedisKeys)
CONFIG = web.AppKey("web_config", WebConfig)
SESSIONS = web.AppKey("sessions", SessionService)
ACCOUNTS = web.AppKey("accounts", PgAccountSettings)
IP_LIMITER = web.AppKey("ip_limiter", RedisRateLimiter)
USER_LIMITER = web.AppKey("user_limiter", RedisRateLimiter)
TEMPLATES = web.AppKey("templates", jinja2.Environment)

AUTH = web.RequestKey("auth", RequestAuth)
CSRF_EXEMPT: web.AppKey[list[str]] = web.AppKey("csrf_exempt")
