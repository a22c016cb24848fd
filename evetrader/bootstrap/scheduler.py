"""The scheduler's and worker's dependencies, and the character jobs they run, wired from the opened resources.

Only this package constructs the adapters the jobs use; scheduler/ receives them as one SchedulerDeps bundle and
never imports evetrader.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import TYPE_CHECKING

import asyncpg

from adapters.esi.profile import EsiCharacterProfile
from adapters.esi.structures import EsiStructures
from adapters.esi.wallet import EsiWallet
from adapters.postgres.alerts_eval import PgAlertEvaluator
from adapters.postgres.appraisals import PgAppraisals
from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.digest_orders import PgOrdersDigest
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.profile import PgCharacterProfiles
from adapters.postgres.sessions import PgSessionTokenStore
from adapters.postgres.structure_markets import PgStructureMarkets
from adapters.postgres.wallet import PgWalletStore
from adapters.postgres.watchlist import PgDigestStore, PgTypeNames
from adapters.redis.locks import Direct, Lease
from core.accounts.sso import SCOPE_WALLET
from core.alerts.delivery import ItemNames
from core.alerts.digest import DigestService
from core.alerts.evaluation import SnapshotAlerts
from core.alerts.values import DEFAULT_FEES, FeeAssumption, fee_assumption
from core.market.ingest import RegionRefresher
from core.trading.book import DigestProfit
from evetrader.bootstrap.alerts import alert_dispatcher, refresh_character_orders
from evetrader.bootstrap.market import history_refresher, packaging_refresher, prices_refresher, region_refresher
from evetrader.config import PLATFORM_NAMES
from scheduler.dispatch import RegionDispatcher
from scheduler.profile import ROUTES, ProfileRefreshSummary, refresh_profiles
from scheduler.service import SchedulerDeps
from scheduler.structures import StructureRefreshSummary, refresh_structures
from scheduler.wallet import WalletRefreshSummary, notify_trades, refresh_wallets

if TYPE_CHECKING:
    from evetrader.app import App


def dispatcher_for(app: App) -> RegionDispatcher:
    """The region dispatcher wired to this process's Redis and Postgres."""
    settings = app.settings
    store = PgOrderBookStore(app.pool)
    return RegionDispatcher(
        app.redis,
        app.keys,
        store,
        lease=functools.partial(Lease, app.redis),
        writer=Direct(app.redis),
        jitter_s=settings.ingest_jitter_s,
        run_lock_ttl_s=settings.scheduler_leader_ttl_s,
    )


def with_alerts(refresher: RegionRefresher, pool: asyncpg.Pool, fees: FeeAssumption = DEFAULT_FEES) -> RegionRefresher:
    """The region refresher that evaluates the region's alert rules (margins at `fees`) after each snapshot swap."""
    return refresher.with_listener(SnapshotAlerts(PgAlertEvaluator(pool, fees)))


def digest_service(pool: asyncpg.Pool, default_hub: str, names: ItemNames | None = None) -> DigestService:
    """The daily digests over Postgres; with `names` (the catalog's) they list orders and name items."""
    orders = PgOrdersDigest(pool, names) if names is not None else None
    name_of = (lambda type_id: names(type_id) or f"type {type_id}") if names is not None else str
    profit = DigestProfit(PgWalletStore(pool), name_of)
    return DigestService(PgDigestStore(pool), orders=orders, profit=profit, default_hub=default_hub)


def alerting_refresher(app: App) -> RegionRefresher:
    """The app's region refresher evaluating alert rules after each swap, margins at the configured fee schedule."""
    return with_alerts(region_refresher(app), app.pool, fee_assumption(app.settings.fee_schedule()))


async def refresh_app_wallets(app: App, only: Collection[int] | None = None) -> WalletRefreshSummary | None:
    """The scheduler's wallet job, wired from the app (no-op without EVE SSO); `only`: just these characters."""
    tokens = app.accounts.character_tokens()
    if tokens is None:
        return None
    subjects = await PgCharacterOrderStore(app.pool).characters_with_scope(SCOPE_WALLET)
    if only is not None:
        subjects = [s for s in subjects if s.character_id in only]
    store = PgWalletStore(app.pool, PLATFORM_NAMES)
    summary = await refresh_wallets(tokens, EsiWallet(app.esi.transport), store, subjects)
    if only is None:
        await notify_trades(PgTypeNames(app.pool).names, store, summary, subjects)
    return summary


async def refresh_app_structures(app: App) -> StructureRefreshSummary | None:
    """The scheduler's structure job, wired from the app (no-op without EVE SSO)."""
    tokens = app.accounts.character_tokens()
    if tokens is None:
        return None
    markets, books = PgStructureMarkets(app.pool), PgOrderBookStore(app.pool)
    return await refresh_structures(
        markets, books, tokens, EsiStructures(app.esi.transport), alerting_refresher(app), dispatcher_for(app)
    )


async def refresh_app_profiles(app: App) -> ProfileRefreshSummary | None:
    """The scheduler's profile job, wired from the app (no-op without EVE SSO)."""
    tokens = app.accounts.character_tokens()
    if tokens is None:
        return None
    orders = PgCharacterOrderStore(app.pool)
    subjects = {route.name: await orders.characters_with_scope(route.scope) for route in ROUTES}
    return await refresh_profiles(
        tokens, EsiCharacterProfile(app.esi.transport), PgCharacterProfiles(app.pool), subjects
    )


def scheduler_deps(app: App) -> SchedulerDeps:
    """Exactly what the scheduler and the worker use, from the opened app."""
    s = app.settings
    return SchedulerDeps(
        redis=app.redis,
        keys=app.keys,
        lease=functools.partial(Lease, app.redis),
        writer=Direct(app.redis),
        leader_ttl_s=s.scheduler_leader_ttl_s,
        order_refresh_s=s.order_refresh_s,
        history_watch_limit=s.history_watch_limit,
        default_hub=s.default_hub,
        dispatcher=dispatcher_for(app),
        refresher=lambda: alerting_refresher(app),
        alert_dispatcher=alert_dispatcher(app.pool, app.redis, app.keys),
        prices=lambda: prices_refresher(app),
        packaging=lambda: packaging_refresher(app),
        history=lambda: history_refresher(app),
        history_store=PgHistoryStore(app.pool),
        digests=lambda names: digest_service(app.pool, s.default_hub, names),
        session_tokens=PgSessionTokenStore(app.pool),
        appraisals=PgAppraisals(app.pool),
        catalog=app.catalog,
        forget_catalog=app.forget_catalog,
        character_orders=lambda: refresh_character_orders(app.accounts.character_tokens(), app.esi.transport, app.pool),
        character_tokens=app.accounts.check_character_tokens,
        wallets=lambda: refresh_app_wallets(app),
        structures=lambda: refresh_app_structures(app),
        profiles=lambda: refresh_app_profiles(app),
    )
