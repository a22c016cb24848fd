"""The web panel's dependencies: account settings, sessions, rate limiters, stores, chart renderers, EVE SSO.

Only this module constructs them; web/ receives one WebDeps bundle (web.app.create_app) and never imports evetrader.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from adapters.charts import CachedHistoryCharts, render_profit_chart
from adapters.postgres.account_email import PgAccountEmail
from adapters.postgres.account_settings import PgAccountSettings
from adapters.postgres.admin_reports import PgAdminReports
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.appraisals import PgAppraisals
from adapters.postgres.push_subscriptions import PgPushSubscriptions
from adapters.postgres.sessions import PgSessionTokenStore
from adapters.postgres.wallet import PgWalletStore
from adapters.postgres.watchlist import PgTypeNames, PgWatchlist
from adapters.redis.link_codes import RedisLinkCodes
from adapters.redis.ratelimit import RedisRateLimiter
from adapters.redis.sso_state import RedisStateStore
from core.accounts.sso import StateSigner
from evetrader.config import PLATFORM_NAMES
from web.app import WebDeps
from web.sessions import SessionService
from web.sso import STATE_TTL_S, SsoWebServices, state_secret
from web.stores import WebStores

if TYPE_CHECKING:
    import asyncpg
    import redis.asyncio as aioredis

    from adapters.postgres.characters import PgCharacterStore
    from adapters.redis.keys import RedisKeys
    from core.accounts.sso import SsoGateway
    from core.alerts.delivery import AlertSender
    from web.config import WebConfig


def web_stores(pool: asyncpg.Pool, appraisal_ttl_days: float) -> WebStores:
    """The stores the panel's handlers read and write, over one pool."""
    wallet = PgWalletStore(pool, PLATFORM_NAMES)
    return WebStores(
        rules=PgAlertRules(pool),
        watchlist=PgWatchlist(pool),
        emails=PgAccountEmail(pool),
        wallet=wallet,
        notices=wallet,
        reports=PgAdminReports(pool),
        push=PgPushSubscriptions(pool),
        appraisals=PgAppraisals(pool, appraisal_ttl_days),
        types=PgTypeNames(pool),
    )


def sso_web_services(
    sso: SsoGateway,
    characters: PgCharacterStore,
    redis: aioredis.Redis,
    keys: RedisKeys,
    signing_key: bytes,
    *,
    state_ttl_s: int = STATE_TTL_S,
) -> SsoWebServices:
    """The panel's SSO services over Redis (states, link codes) with a state secret derived from its signing key."""
    return SsoWebServices(
        sso=sso,
        signer=StateSigner(state_secret(signing_key), ttl_s=state_ttl_s),
        states=RedisStateStore(redis, keys, ttl_s=state_ttl_s + 60),
        link_codes=RedisLinkCodes(redis, keys),
        characters=characters,
    )


def web_deps(
    pool: asyncpg.Pool,
    redis: aioredis.Redis,
    keys: RedisKeys,
    config: WebConfig,
    *,
    sso: SsoWebServices | None = None,
    mailer: AlertSender | None = None,
) -> WebDeps:
    """Exactly what the panel uses; with `sso` the sign-in is enabled, with `mailer` e-mail targets are offered."""
    if sso is not None and not config.sso_enabled:
        config = replace(config, sso_enabled=True)
    accounts = PgAccountSettings(pool)
    return WebDeps(
        redis=redis,
        keys=keys,
        config=config,
        accounts=accounts,
        stores=web_stores(pool, config.appraisal_ttl_days),
        sessions=SessionService(PgSessionTokenStore(pool), accounts, redis, keys, config),
        ip_limiter=RedisRateLimiter(
            redis, keys.web_ip_rates(), per_minute=config.ip_rate_per_minute, burst=config.ip_rate_burst
        ),
        user_limiter=RedisRateLimiter(
            redis, keys.web_user_rates(), per_minute=config.user_rate_per_minute, burst=config.user_rate_burst
        ),
        appraise_limiter=RedisRateLimiter(
            redis,
            keys.appraisal_rates(),
            per_minute=config.appraisal_rate_per_minute,
            burst=config.appraisal_rate_burst,
        ),
        history_chart=CachedHistoryCharts(),
        profit_chart=render_profit_chart,
        sso=sso,
        mailer=mailer,
    )
