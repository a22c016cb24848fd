"""The pool's timeouts, its translation of an unreachable server into core's StoreUnavailable, and its reset: no
session state ever reaches the connection's next user, and a one-statement read skips the reset query."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from adapters.postgres.pool import close_pool, create_pool, leaves_no_session_state
from core.ports import StoreUnavailable


async def test_an_acquire_waits_at_most_the_acquire_timeout(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1, acquire_timeout_s=0.2)
    try:
        async with pool.acquire():
            with pytest.raises(StoreUnavailable, match="timed out"):
                async with pool.acquire():
                    pass  # the only connection is taken: no endless wait
            with pytest.raises(StoreUnavailable):
                await pool.fetchval("SELECT 1")
        assert await pool.fetchval("SELECT 1") == 1  # released: usable again
    finally:
        await close_pool(pool)


async def test_a_statement_waits_at_most_the_command_timeout(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, command_timeout_s=0.3)
    try:
        with pytest.raises(StoreUnavailable, match="timed out"):
            await pool.execute("SELECT pg_sleep(5)")
        assert await pool.fetchval("SELECT 2") == 2
    finally:
        await close_pool(pool)


async def test_query_errors_stay_the_drivers_own(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn)
    try:
        with pytest.raises(asyncpg.UndefinedTableError):  # a bug, not an outage: never "try again later"
            await pool.fetch("SELECT * FROM no_such_table")
        async with pool.acquire() as conn:
            with pytest.raises(asyncpg.DivisionByZeroError):
                await conn.fetchval("SELECT 1 / 0")
    finally:
        await close_pool(pool)


async def test_a_server_that_went_away_is_store_unavailable(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1)
    admin = await asyncpg.connect(pg_dsn)
    try:
        with pytest.raises(StoreUnavailable):  # raised where the connection's block ends
            async with pool.acquire() as conn:
                pid = await conn.fetchval("SELECT pg_backend_pid()")
                await admin.execute("SELECT pg_terminate_backend($1, 5000)", pid)  # as when the server restarts
                await conn.fetchval("SELECT 1")
        assert await pool.fetchval("SELECT 3") == 3  # the pool reconnects on its next acquire
    finally:
        await admin.close()
        await close_pool(pool)


async def test_close_is_bounded_when_a_connection_is_never_released(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=2)
    await pool.acquire()  # never released, e.g. by a handler stuck on a hanging server
    await asyncio.wait_for(close_pool(pool, timeout_s=0.2), 5)  # gives up waiting and terminates
    assert pool.is_closing()


_STATEFUL = [
    ("SET application_name = 'leak'", "SELECT current_setting('application_name') = 'leak'"),
    ("SELECT set_config('application_name', 'leak', false)", "SELECT current_setting('application_name') = 'leak'"),
    ("SELECT pg_advisory_lock(4242)", "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242"),
    ("LISTEN evt_leak", "SELECT count(*) > 0 FROM pg_listening_channels()"),
]


@pytest.mark.parametrize(("statement", "leaked"), _STATEFUL)
async def test_session_state_never_reaches_the_next_checkout(pg_dsn: str, statement: str, leaked: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1)  # one connection: every checkout reuses it
    try:
        assert not leaves_no_session_state(statement)
        await (pool.execute(statement) if statement.startswith(("SET", "LISTEN")) else pool.fetchval(statement))
        assert await pool.fetchval(leaked) is False
        async with pool.acquire() as conn:  # a checkout of its own: always the full reset, whatever it ran
            await conn.execute(statement.replace("4242", "4243"))
            await conn.fetchval("SELECT 1")
        assert await pool.fetchval(leaked.replace("4242", "4243")) is False
    finally:
        await close_pool(pool)


async def test_a_one_statement_read_skips_the_reset_query(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1)
    sent: list[str] = []
    try:
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda record: sent.append(record.query))
            reset = conn.get_reset_query()
        sent.clear()  # this checkout's own reset
        assert await pool.fetchval("SELECT 1 FROM pg_class LIMIT 0") is None
        assert await pool.fetch("SELECT 2 AS n") == [(2,)]
        assert sent == ["SELECT 1 FROM pg_class LIMIT 0", "SELECT 2 AS n"]  # no reset query between
        await pool.execute("SET application_name = 'x'")
        assert sent[-1] == reset  # a statement that may leave state: the full reset follows
    finally:
        await close_pool(pool)
