"""The composition root: builds servers, pools and clients once and wires them into the use cases."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Collection
from types import TracebackType
from typing import TYPE_CHECKING

import asyncpg
import redis.asyncio as aioredis

from adapters.charts import CachedHistoryCharts
from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.esi import EsiClient
from adapters.postgres.app_meta import PgAppMeta
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.migrate import migrate, pending
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.packaging import PgPackagedVolumeStore
from adapters.postgres.pool import close_pool, create_pool, terminate_after
from adapters.postgres.prices import PgPriceStore
from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache
from core.market.history import HistoryRefresher
from core.market.history_demand import HistoryOnDemand
from core.market.ingest import RegionRefresher
from core.market.packaging import PackagedVolumeRefresher
from core.market.ports import MarketSource
from core.market.prices import PricesRefresher
from core.ports import StoreUnavailable
from evetrader.bootstrap.accounts import Accounts
from evetrader.bootstrap.alerts import mail_sender
from evetrader.bootstrap.analyst import build_analyst
from evetrader.config import Settings

if TYPE_CHECKING:  # the command wiring's modules are imported where they are used: `evetrader status` needs none
    from adapters.ai.factory import LazyChain
    from adapters.sso import SsoClient
    from core.analysis.analyst import Analyst
    from core.catalog import Catalog
    from core.chat.gateway import CommandGateway
    from core.chat.model import Caller
    from core.chat.registry import CommandContext
    from core.market.routes import SystemDirectory

log = logging.getLogger(__name__)


class SchemaOutdated(RuntimeError):
    """The external database's schema is behind this installation: `evetrader migrate` brings it up to date."""


SHUTDOWN_QUERY_GRACE_S = 6.0  # after the services' own 5 s to stop (evetrader.supervise), before the 10 s bound


class App:
    """Everything a process needs, opened together and closed in reverse order (`async with App(settings)`).

    The services' wiring lives in evetrader.bootstrap: its builders take the resources opened here."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._embedded_pg: EmbeddedPostgres | None = None
        self._embedded_redis: EmbeddedRedis | None = None
        self._pool: asyncpg.Pool | None = None
        self._redis: aioredis.Redis | None = None
        self._esi: EsiClient | None = None
        self._sso: SsoClient | None = None
        self._analyst: Analyst | None = None
        self._accounts: Accounts | None = None
        self._provider: LazyChain | None = None
        self.keys = RedisKeys(settings.redis_prefix)
        self._catalog: Catalog | None = None
        self._charts = CachedHistoryCharts()
        self._systems: SystemDirectory | None = None  # one per process: systems ESI gave are kept in it
        self._history: HistoryOnDemand | None = None  # one per process: its fetches are shared by every command
        self._cutoff: asyncio.Task[None] | None = None
        self._structures_reload: asyncio.Task[None] | None = None  # the catalog's structure markets, every minute

    async def __aenter__(self) -> App:
        try:
            await self._open()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _open(self) -> None:
        dsn, redis_url = self.settings.database_url, self.settings.redis_url
        data_dir = self.settings.data_dir
        if dsn is None:
            self._embedded_pg = EmbeddedPostgres(data_dir)
            dsn = await asyncio.to_thread(self._embedded_pg.start)
            log.info("embedded postgres ready", extra={"pgdata": str(self._embedded_pg.pgdata)})
        if redis_url is None:
            self._embedded_redis = EmbeddedRedis(data_dir)
            redis_url = await asyncio.to_thread(self._embedded_redis.start)
            log.info("embedded redis ready", extra={"dir": str(self._embedded_redis.dir)})
        self._pool = await create_pool(
            dsn,
            min_size=1,
            max_size=10,
            command_timeout_s=self.settings.postgres_command_timeout_s,
            acquire_timeout_s=self.settings.postgres_acquire_timeout_s,
        )
        # Bounded waits: a Redis that is gone fails a call in seconds, not after the OS's connect timeout (blocking
        # stream reads wait at most 2 s, well inside socket_timeout).
        self._redis = aioredis.from_url(redis_url, socket_connect_timeout=3, socket_timeout=10)
        await self._redis.ping()
        s = self.settings
        self._esi = EsiClient(
            s.esi_base_url,
            user_agent=s.esi_user_agent,
            compatibility_date=s.esi_compatibility_date,
            max_concurrency=s.esi_max_concurrency,
            timeout_s=s.esi_timeout_s,
            max_attempts=s.esi_max_attempts,
            error_limit_floor=s.esi_error_limit_floor,
        )
        await self._esi.start()
        if s.eve_client_id and s.encryption_keys is not None:
            from adapters.sso import SsoClient  # JWT and crypto libraries load only when EVE SSO is configured

            secret = s.eve_client_secret.get_secret_value() if s.eve_client_secret else None
            callback = s.eve_callback_url or f"{s.public_url.rstrip('/')}/auth/callback"
            self._sso = SsoClient(s.sso_base_url, s.eve_client_id, secret, callback, user_agent=s.esi_user_agent)
            await self._sso.start()

    def cut_queries_on(self, stop: asyncio.Event, after_s: float = SHUTDOWN_QUERY_GRACE_S) -> None:
        """Once `stop` is set, give the services `after_s` seconds, then cut the Postgres connections (a hanging
        server must not hold up a shutdown: SIGTERM ends every service within 10 s)."""
        self._cutoff = asyncio.create_task(terminate_after(self.pool, stop, after_s), name="postgres-cutoff")

    async def close(self) -> None:
        """Close clients, then pools, then embedded servers; safe to call twice."""
        if self._cutoff is not None:
            self._cutoff.cancel()
            self._cutoff = None
        if self._structures_reload is not None:
            self._structures_reload.cancel()
            self._structures_reload = None
        if self._provider is not None:
            with contextlib.suppress(Exception):
                await self._provider.close()
            self._provider = self._analyst = None
        self._accounts = None
        if self._sso is not None:
            await self._sso.close()
            self._sso = None
        if self._history is not None:
            await self._history.close()
            self._history = None
        if self._esi is not None:
            await self._esi.close()
            self._esi = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
        if self._pool is not None:
            await close_pool(self._pool)  # bounded: a hanging server must not hold up a shutdown
            self._pool = None
        for server in (self._embedded_redis, self._embedded_pg):
            if server is not None:
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(server.close)
        self._embedded_redis = self._embedded_pg = None

    @property
    def pool(self) -> asyncpg.Pool:
        """The Postgres pool."""
        assert self._pool is not None, "App not opened"
        return self._pool

    @property
    def redis(self) -> aioredis.Redis:
        """The Redis client."""
        assert self._redis is not None, "App not opened"
        return self._redis

    @property
    def esi(self) -> EsiClient:
        """The ESI client."""
        assert self._esi is not None, "App not opened"
        return self._esi

    @property
    def sso(self) -> SsoClient | None:
        """The EVE SSO client, when EVE_CLIENT_ID and ENCRYPTION_KEYS are configured."""
        return self._sso

    @property
    def accounts(self) -> Accounts:
        """The accounts' builder over the opened resources (its token cache is the process's)."""
        if self._accounts is None:
            self._accounts = Accounts(self.settings, self.pool, self.redis, self.keys, self._sso, self.esi.transport)
        return self._accounts

    def analyst(self) -> Analyst:
        """The AI analyst (one per process; its provider chain is closed with the app)."""
        if self._analyst is None:
            self._analyst, self._provider = build_analyst(self.settings, self.pool, self.redis, self.keys)
        return self._analyst

    async def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        async with self.pool.acquire() as conn:
            return await migrate(conn)

    async def prepare_schema(self) -> None:
        """Migrate the embedded database; an external one (DATABASE_URL) must be up to date (SchemaOutdated)."""
        if self._embedded_pg is not None:
            await self.migrate()
            return
        async with self.pool.acquire() as conn:
            missing = await pending(conn)
        if missing:
            latest = missing[-1]
            raise SchemaOutdated(
                f"the database at DATABASE_URL is {len(missing)} migration(s) behind this evetrader (up to "
                f"{latest.version:04d}_{latest.name}): run `evetrader migrate` first"
            )

    def region_refresher(self, source: MarketSource | None = None) -> RegionRefresher:
        """The order-book refresh use case wired to ESI (or `source`, e.g. counting pages), Postgres and Redis."""
        return RegionRefresher(
            source or self.esi,
            PgOrderBookStore(self.pool),
            RedisQuoteCache(self.redis, self.keys),
            snapshot_retries=self.settings.esi_snapshot_retries,
        )

    async def catalog(self) -> Catalog:
        """Items and locations from the static data, loaded once per process."""
        from adapters.postgres.catalog_source import PgCatalogSource, keep_structures_fresh
        from core.catalog import Catalog

        if self._catalog is None:
            self._catalog = await Catalog.load(PgCatalogSource(self.pool), default_hub=self.settings.default_hub)
        if self._structures_reload is None:  # structure markets added by other processes resolve here within a minute
            reload = keep_structures_fresh(lambda: self._catalog, PgCatalogSource(self.pool))
            self._structures_reload = asyncio.create_task(reload, name="structure-markets-reload")
        return self._catalog

    def systems(self) -> SystemDirectory:
        """Solar systems' names and security: the SDE's, and those it lacks from ESI (kept for the process)."""
        from adapters.esi.systems import EsiSystems
        from adapters.postgres.systems import PgSystems

        if self._systems is None:
            self._systems = EsiSystems(self.esi, PgSystems(self.pool))
        return self._systems

    async def command_context(self) -> CommandContext:
        """The context every chat adapter dispatches with: the catalog and the market services."""
        from adapters.esi.routes import EsiRoutePlanner
        from adapters.postgres.account_email import PgAccountEmail
        from adapters.postgres.account_settings import PgAccountSettings
        from adapters.postgres.accounts import PgPreferences
        from adapters.postgres.alerts_rules import PgAlertRules
        from adapters.postgres.appraisals import PgAppraisals
        from adapters.postgres.market_reader import PgMarketReader
        from adapters.postgres.routes import PgRouteStore
        from adapters.postgres.watchlist import PgWatchlist
        from core.appraisal.parsers import default_parsers
        from core.chat.registry import CommandContext
        from core.commands.alerts import AlertServices
        from core.commands.analysis import AnalysisServices
        from core.usecases.market_services import MarketServices

        catalog = await self.catalog()
        source = await PgAppMeta(self.pool).esi_source()
        services = MarketServices(
            reader=PgMarketReader(self.pool, RedisQuoteCache(self.redis, self.keys)),
            charts=self._charts,
            routes=EsiRoutePlanner(self.esi, self.redis, self.keys, store=PgRouteStore(self.pool)),
            systems=self.systems(),
            history=self.history_on_demand(),
            averages=PgPriceStore(self.pool),
            parsers=default_parsers(),
            appraisal_max_bytes=self.settings.appraisal_max_bytes,
            fees=self.settings.fee_schedule(),
            simulated=source == "demo",
            analysis=AnalysisServices(self.analyst()),
            appraisals=PgAppraisals(self.pool, self.settings.appraisal_ttl_days),
            panel_url=self.settings.public_url if "public_url" in self.settings.model_fields_set else None,
        )
        return CommandContext(
            catalog=catalog,
            services=services,
            preferences=PgPreferences(self.pool),
            accounts=self.accounts.account_services(self._refresh_wallets),
            alerts=AlertServices(
                PgAlertRules(self.pool),
                PgWatchlist(self.pool),
                catalog,
                emails=PgAccountEmail(self.pool) if mail_sender(self.settings) is not None else None,
                panel_url=self.settings.public_url,
                identities=PgAccountSettings(self.pool),
            ),
        )

    async def command_gateway(self, *, per_minute: float | None = None, burst: int | None = None) -> CommandGateway:
        """The gateway every chat adapter runs commands through: accounts, per-user rate limits, metrics.

        `per_minute` and `burst` raise the per-user budget above the settings' (the console's own user)."""
        from adapters.metrics import PrometheusCommandObserver
        from adapters.postgres.account_settings import PgAccountSettings
        from adapters.postgres.accounts import PgIdentityStore, PgPreferences
        from adapters.postgres.profile import PgCharacterProfiles
        from adapters.redis.ratelimit import RedisRateLimiter
        from core.chat.gateway import CommandGateway
        from core.commands.default import build_registry

        base, settings = await self.command_context(), self.settings
        preferences = PgPreferences(self.pool)

        account_settings = PgAccountSettings(self.pool)
        profiles = PgCharacterProfiles(self.pool)

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
            self.redis,
            self.keys.command_rates(),
            per_minute=max(settings.command_rate_per_minute, per_minute or 0.0),
            burst=max(settings.command_rate_burst, burst or 0),
        )
        return CommandGateway(
            build_registry(),
            context_for,
            completer=await self.catalog(),
            identities=PgIdentityStore(self.pool),
            limiter=limiter,
            observer=PrometheusCommandObserver(),
        )

    async def _refresh_wallets(self, only: Collection[int]) -> object:
        """Fetch these characters' wallets now (a wallet answer waits for a first fetch)."""
        from evetrader.bootstrap.scheduler import refresh_app_wallets

        return await refresh_app_wallets(self, only=only)

    async def mark_esi_source(self, demo: bool) -> None:
        """Remember whether the market data comes from the demo fake (reply footers then say it is simulated)."""
        await PgAppMeta(self.pool).mark_esi_source(demo)

    def prices_refresher(self) -> PricesRefresher:
        """The hourly refresh of CCP's average prices."""
        return PricesRefresher(self.esi, PgPriceStore(self.pool))

    def history_refresher(self, source: MarketSource | None = None) -> HistoryRefresher:
        """The daily history refresh use case (over ESI, or `source`)."""
        return HistoryRefresher(source or self.esi, PgHistoryStore(self.pool))

    def history_on_demand(self) -> HistoryOnDemand:
        """History fetched when a command needs it (one fetch per region and type at a time, per process)."""
        if self._history is None:
            self._history = HistoryOnDemand(self.history_refresher(), PgHistoryStore(self.pool))
        return self._history

    def forget_catalog(self) -> None:
        """Drop the loaded catalog (static data changed); the next command context loads it again."""
        self._catalog = None

    def packaging_refresher(self, source: MarketSource | None = None) -> PackagedVolumeRefresher:
        """Fills ships' packaged volumes (missing from the SDE) from ESI (or `source`)."""
        return PackagedVolumeRefresher(source or self.esi, PgPackagedVolumeStore(self.pool))
