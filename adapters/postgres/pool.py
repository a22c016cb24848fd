"""asyncpg pool creation with evetrader's connection settings (JSON codecs, timeouts, core's error on an outage)."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from types import TracebackType
from typing import Any

import asyncpg
import orjson

from core.ports import StoreUnavailable

log = logging.getLogger(__name__)

# What a server that is down, restarting or hanging looks like to asyncpg (TimeoutError: an acquire or a command
# that ran past its timeout). Errors about the query itself (constraints, syntax, a cancelled statement) are not here.
UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, no socket file; TimeoutError is one too
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
)
DEFAULT_COMMAND_TIMEOUT_S = 30.0
DEFAULT_ACQUIRE_TIMEOUT_S = 5.0
CLOSE_TIMEOUT_S = 1.5


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads, schema="pg_catalog"
        )


def unreachable(exc: BaseException | None) -> bool:
    """Whether a driver error means the server cannot be used right now (rather than a fault of the query)."""
    if isinstance(exc, asyncpg.InterfaceError):  # the server dropped a connection while it was checked out
        return any(sign in str(exc) for sign in ("connection is closed", "released back to the pool"))
    return isinstance(exc, UNREACHABLE)


def unavailable(exc: BaseException) -> StoreUnavailable:
    """Core's error for a driver error that means the server cannot be used right now."""
    reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
    return StoreUnavailable(f"PostgreSQL unavailable ({reason})")


class _Acquire:
    """Pool.acquire's context with the pool's default timeout, raising StoreUnavailable for an unreachable server
    (also from the block's own queries, so `pool.fetch(...)` and `async with pool.acquire()` bodies both get it)."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def __aenter__(self) -> Any:
        try:
            return await self._inner.__aenter__()
        except UNREACHABLE as exc:
            raise unavailable(exc) from exc

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self._inner.__aexit__(exc_type, exc, tb)
        except UNREACHABLE as release_error:
            if exc is None:
                raise unavailable(release_error) from release_error
        if exc is not None and unreachable(exc):
            raise unavailable(exc) from exc

    def __await__(self) -> Any:
        return self._acquire().__await__()

    async def _acquire(self) -> Any:
        try:
            return await self._inner
        except UNREACHABLE as exc:
            raise unavailable(exc) from exc


# Words of a statement that may leave state in the database session for the connection's next user: SET, RESET,
# set_config, LISTEN, session advisory locks, SQL cursors and prepared statements, DISCARD, temporary tables, LOAD.
# Deliberately broad (an UPDATE's SET matches too): a match only costs the full reset.
_SESSION_STATE = re.compile(
    r"\b(?:set|reset|set_config|listen|unlisten|declare|prepare|discard|temp|temporary|load)\b|advisory", re.IGNORECASE
)


@functools.lru_cache(maxsize=2048)  # the adapters' statements are a few hundred constant strings
def leaves_no_session_state(query: str) -> bool:
    """Whether one statement surely leaves nothing in the session (no word of _SESSION_STATE in it)."""
    return _SESSION_STATE.search(query) is None


class PooledConnection(asyncpg.Connection):  # type: ignore[misc]
    """An asyncpg connection that knows whether its current checkout ran one statement that leaves no session
    state (the pool's fetch/fetchrow/fetchval/execute): then its release skips the reset query."""

    stateless_checkout = False

    def note_stateless_checkout(self) -> None:
        """The pool's one-statement helper ran a statement that leaves no session state, and it succeeded."""
        self.stateless_checkout = True


async def _reset(conn: PooledConnection) -> None:
    """Pool release (after asyncpg rolled back any open transaction and dropped listeners): asyncpg's reset query
    (advisory locks, cursors, LISTEN, settings) unless the checkout was one statement that leaves no session state.

    Saves a round trip on most releases: the pool's one-statement reads are most of the panel's queries."""
    stateless, conn.stateless_checkout = conn.stateless_checkout, False
    if not stateless:
        await conn.execute(conn.get_reset_query())


class TimedPool(asyncpg.Pool):  # type: ignore[misc]
    """An asyncpg pool whose acquires wait at most `acquire_timeout_s` unless told otherwise, and whose
    one-statement helpers spare the reset query when the statement leaves no session state."""

    def __init__(self, *args: Any, acquire_timeout_s: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acquire_timeout_s = acquire_timeout_s

    def acquire(self, *, timeout: float | None = None) -> Any:
        """A connection from the pool (timeout: the pool's acquire timeout); StoreUnavailable when unreachable."""
        return _Acquire(super().acquire(timeout=self.acquire_timeout_s if timeout is None else timeout))

    async def _one(self, method: str, query: str, *args: Any, **kwargs: Any) -> Any:
        async with self.acquire() as conn:
            result = await getattr(conn, method)(query, *args, **kwargs)
            if leaves_no_session_state(query):
                conn.note_stateless_checkout()
            return result

    async def execute(self, query: str, *args: Any, **options: Any) -> str:
        """Connection.execute (options: timeout) on a pooled connection."""
        return str(await self._one("execute", query, *args, **options))

    async def fetch(self, query: str, *args: Any, **options: Any) -> Any:
        """Connection.fetch (options: timeout, record_class) on a pooled connection."""
        return await self._one("fetch", query, *args, **options)

    async def fetchval(self, query: str, *args: Any, **options: Any) -> Any:
        """Connection.fetchval (options: column, timeout) on a pooled connection."""
        return await self._one("fetchval", query, *args, **options)

    async def fetchrow(self, query: str, *args: Any, **options: Any) -> Any:
        """Connection.fetchrow (options: timeout, record_class) on a pooled connection."""
        return await self._one("fetchrow", query, *args, **options)


async def create_pool(
    dsn: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    command_timeout_s: float = DEFAULT_COMMAND_TIMEOUT_S,
    acquire_timeout_s: float = DEFAULT_ACQUIRE_TIMEOUT_S,
) -> asyncpg.Pool:
    """Open a pool whose connections decode json/jsonb with orjson, whose statements time out after
    `command_timeout_s` and whose acquires (connecting included) after `acquire_timeout_s`."""
    pool = TimedPool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        loop=None,
        connection_class=PooledConnection,
        reset=_reset,
        record_class=asyncpg.Record,
        acquire_timeout_s=acquire_timeout_s,
        command_timeout=command_timeout_s,
        timeout=acquire_timeout_s,  # connection establishment
    )
    await pool
    return pool


async def terminate_after(pool: asyncpg.Pool, stop: asyncio.Event, after_s: float) -> None:
    """Once `stop` is set, wait `after_s`, then cut every connection of the pool: work still waiting on a hanging
    server (cleanup queries of cancelled tasks, in finally blocks) fails at once, not after the command timeout."""
    await stop.wait()
    await asyncio.sleep(after_s)
    if pool.is_closing():  # close_pool is on it (and bounded)
        return
    log.warning("postgres still busy %.0f s into the shutdown: terminating its connections", after_s)
    pool.terminate()


async def close_pool(pool: asyncpg.Pool, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
    """Close gracefully, but wait at most `timeout_s` (a hanging server or a stuck query): then terminate."""
    try:
        await asyncio.wait_for(pool.close(), timeout_s)
    except UNREACHABLE as exc:  # TimeoutError is an OSError
        log.warning("postgres pool did not close in time, terminating its connections (%s)", type(exc).__name__)
        pool.terminate()
