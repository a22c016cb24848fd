"""The pool's timeouts and its translation of an unreachable server into core's StoreUnavailable."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from adapters.postgres.pool import close_pool, create_pool
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
