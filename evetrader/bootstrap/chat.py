"""Chat wiring: the command context and gateway every chat door uses (bots, console, the panel's market pages).

`chat_deps` builds them once per process over the opened resources; `bot_deps` adds what the bot service runs
beside them (its platforms, interaction state and their alert delivery). The per-process caches they hold (history
fetched on demand, the AI provider chain) are closed with the resources.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from adapters.charts import CachedHistoryCharts
from adapters.esi.routes import EsiRoutePlanner
from adapters.esi.systems import EsiSystems
from adapters.metrics import PrometheusCommandObserver
from adapters.postgres.account_email import PgAccountEmail
from adapters.postgres.account_settings import PgAccountSettings
from adapters.postgres.accounts import PgIdentityStore, PgPreferences
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.app_meta import PgAppMeta
from adapters.postgres.appraisals import PgAppraisals
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.market_reader import PgMarketReader
from adapters.postgres.prices import PgPriceStore
from adapters.postgres.profile import PgCharacterProfiles
from adapters.postgres.routes import PgRouteStore
from adapters.postgres.systems import PgSystems
from adapters.postgres.watchlist import PgWatchlist
from adapters.redis.quotes import RedisQuoteCache
from adapters.redis.ratelimit import RedisRateLimiter
from core.appraisal.parsers import default_parsers
from core.chat.gateway import CommandGateway
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from core.market.history_demand import HistoryOnDemand
from core.ports import StoreUnavailable
from core.usecases.alerts import AlertServices
from core.usecases.analysis import AnalysisServices
from core.usecases.market_services import MarketServices
from evetrader.bootstrap.alerts import alert_platforms, delivery_worker, interaction_state, mail_sender
from evetrader.bootstrap.analyst import build_analyst
from evetrader.bootstrap.market import history_refresher

if TYPE_CHECKING:
    from core.catalog import Catalog
    from core.chat.model import Caller
    from evetrader.app import App
    from evetrader.bot_service import BotDeps


@dataclass(frozen=True)
class ChatDeps:
    """Exactly what a chat door uses: the gateway it runs commands through, the shared context the gateway
    dispatches with (the panel's item pages and market API read it too), and the catalog that completes names."""

    gateway: CommandGateway
    context: CommandContext
    catalog: Catalog


async def chat_deps(app: App, *, per_minute: float | None = None, burst: int | None = None) -> ChatDeps:
    """The chat doors' bundle; `per_minute` and `burst` raise the per-user budget above the settings' (the
    console's own user)."""
    context, catalog = await command_context(app), await app.catalog()  # the process's one catalog
    gateway = _gateway(app, context, catalog, per_minute=per_minute, burst=burst)
    return ChatDeps(gateway=gateway, context=context, catalog=catalog)


async def command_context(app: App) -> CommandContext:
    """The context every chat door dispatches with: the catalog, the market services, accounts and alerts."""
    pool, redis, keys, settings = app.pool, app.redis, app.keys, app.settings
    catalog = await app.catalog()
    history = HistoryOnDemand(history_refresher(app), PgHistoryStore(pool))  # its fetches are shared by commands
    app.close_with(history.close)
    analyst, provider = build_analyst(settings, pool, redis, keys)
    if provider is not None:
        app.close_with(provider.close)
    source = await PgAppMeta(pool).esi_source()
    services = MarketServices(
        reader=PgMarketReader(pool, RedisQuoteCache(redis, keys)),
        charts=CachedHistoryCharts(),
        routes=EsiRoutePlanner(app.esi, redis, keys, store=PgRouteStore(pool)),
        systems=EsiSystems(app.esi, PgSystems(pool)),  # systems ESI gave are kept for the process
        history=history,
        averages=PgPriceStore(pool),
        parsers=default_parsers(),
        appraisal_max_bytes=settings.appraisal_max_bytes,
        fees=settings.fee_schedule(),
        simulated=source == "demo",
        analysis=AnalysisServices(analyst),
        appraisals=PgAppraisals(pool, settings.appraisal_ttl_days),
        panel_url=settings.public_url if "public_url" in settings.model_fields_set else None,
    )
    return CommandContext(
        catalog=catalog,
        services=services,
        preferences=PgPreferences(pool),
        accounts=app.accounts.account_services(partial(_refresh_wallets, app)),
        alerts=AlertServices(
            PgAlertRules(pool),
            PgWatchlist(pool),
            catalog,
            emails=PgAccountEmail(pool) if mail_sender(settings) is not None else None,
            panel_url=settings.public_url,
            identities=PgAccountSettings(pool),
        ),
    )


def _gateway(
    app: App, base: CommandContext, catalog: Catalog, *, per_minute: float | None, burst: int | None
) -> CommandGateway:
    """The gateway over `base`: accounts, each caller's hub and fee skills, per-user rate limits, metrics."""
    pool, settings = app.pool, app.settings
    preferences, account_settings, profiles = PgPreferences(pool), PgAccountSettings(pool), PgCharacterProfiles(pool)

    async def context_for(caller: Caller) -> CommandContext:
        """The shared context with this caller's hub (the guild's, else their own) and their fee skills; the
        defaults while Postgres is unreachable (commands that need more fail on their own reads)."""
        guild, guild_hub, own, fee_profile = None if caller.is_dm else caller.guild_id, None, None, None
        with contextlib.suppress(StoreUnavailable):
            own = await account_settings.settings(caller.account_id) if caller.account_id is not None else None
            if guild is not None:
                guild_hub = (await preferences.guild(caller.platform, guild)).default_hub
            if own is not None and not own.skills_overridden and caller.account_id is not None:
                trader = await profiles.account_trader(caller.account_id)  # the character's own fees
                fee_profile = await profiles.fee_profile(trader[0]) if trader else None
        hub = guild_hub or (own.default_hub if own else None)
        services = base.services
        if own is not None:
            services = dataclasses.replace(services, skills=own.skills, fee_profile=fee_profile)
        return dataclasses.replace(base, default_hub=hub, services=services)

    limiter = RedisRateLimiter(
        app.redis,
        app.keys.command_rates(),
        per_minute=max(settings.command_rate_per_minute, per_minute or 0.0),
        burst=max(settings.command_rate_burst, burst or 0),
    )
    return CommandGateway(
        build_registry(),
        context_for,
        completer=catalog,
        identities=PgIdentityStore(pool),
        limiter=limiter,
        observer=PrometheusCommandObserver(),
    )


async def _refresh_wallets(app: App, only: Collection[int]) -> object:
    """Fetch these characters' wallets now (a wallet answer waits for a first fetch)."""
    from evetrader.bootstrap.scheduler import refresh_app_wallets

    return await refresh_app_wallets(app, only=only)


def bot_deps(app: App, chat: ChatDeps) -> BotDeps:
    """Exactly what the bot service uses: `chat`'s gateway, the enabled platforms with their settings, their
    interaction state, and their alert delivery (e-mail and web push are the worker service's)."""
    from evetrader.bot_service import BotDeps  # the bot service's aiohttp web and platform wiring: not the console's

    settings = app.settings
    return BotDeps(
        gateway=chat.gateway,
        platforms=tuple((p, settings.platform_settings(p.name)) for p in settings.enabled_platforms()),
        interaction_state=partial(interaction_state, app.redis, app.keys),
        appraisal_max_bytes=settings.appraisal_max_bytes,
        delivery_worker=partial(
            delivery_worker,
            app.pool,
            app.redis,
            app.keys,
            platforms=alert_platforms(settings),
            names=chat.catalog.name_of,
        ),
    )
