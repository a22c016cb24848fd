"""The process's resources: embedded servers, the Postgres pool, Redis, the ESI and SSO clients, opened and closed.

The services' wiring lives in evetrader.bootstrap: its builders take the resources opened here and hand each
service exactly what it uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING

import asyncpg
import redis.asyncio as aioredis

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.postgres.migrate import migrate, pending
from adapters.postgres.pool import close_pool, create_pool, terminate_after
from adapters.redis.keys import RedisKeys
from evetrader.bootstrap.accounts import Accounts
from evetrader.config import Settings

if TYPE_CHECKING:
    from adapters.esi import EsiClient
    from adapters.sso import SsoClient
    from core.catalog import Catalog

log = logging.getLogger(__name__)
Closer = Callable[[], Awaitable[object]]


class SchemaOutdated(RuntimeError):
    """The external database's schema is behind this installation: `evetrader migrate` brings it up to date."""


SHUTDOWN_QUERY_GRACE_S = 6.0  # after the services' own 5 s to stop (evetrader.supervise), before the 10 s bound


class App:
    """Everything a process needs, opened together and closed in reverse order (`async with App(settings)`): the
    servers and clients, the schema, and the per-process caches every service shares (the item catalog, linked
    characters' tokens). What the bootstrap builds over them and must close first is registered with close_with."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._embedded_pg: EmbeddedPostgres | None = None
        self._embedded_redis: EmbeddedRedis | None = None
        self._pool: asyncpg.Pool | None = None
        self._redis: aioredis.Redis | None = None
        self._esi: EsiClient | None = None
        self._sso: SsoClient | None = None
        self._accounts: Accounts | None = None
        self.keys = RedisKeys(settings.redis_prefix)
        self._catalog: Catalog | None = None
        self._closers: list[Closer] = []  # the bootstrap's caches and clients, closed before the resources
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
        if s.eve_client_id and s.encryption_keys is not None:
            from adapters.sso import SsoClient  # JWT and crypto libraries load only when EVE SSO is configured

            secret = s.eve_client_secret.get_secret_value() if s.eve_client_secret else None
            callback = s.eve_callback_url or f"{s.public_url.rstrip('/')}/auth/callback"
            self._sso = SsoClient(s.sso_base_url, s.eve_client_id, secret, callback, user_agent=s.esi_user_agent)
            await self._sso.start()

    def close_with(self, closer: Closer) -> None:
        """Have `closer` run when the app closes, before its clients, pool and servers (e.g. a cache's fetches)."""
        self._closers.append(closer)

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
        while self._closers:  # the last registered first; one failing does not keep the others open
            with contextlib.suppress(Exception):
                await self._closers.pop()()
        self._accounts = None
        if self._sso is not None:
            await self._sso.close()
            self._sso = None
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
        """The ESI client, made at first use: `status`, `migrate` and the admin commands never call ESI, and its
        client, limits and metrics modules (prometheus_client) cost a process about 25 ms to import."""
        assert self._pool is not None, "App not opened"
        if self._esi is None:
            from adapters.esi import EsiClient

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
            self._esi.open()
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

    def forget_catalog(self) -> None:
        """Drop the loaded catalog (static data changed); the next command context loads it again."""
        self._catalog = None
