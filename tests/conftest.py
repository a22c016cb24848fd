"""Shared fixtures: real PostgreSQL and Redis (embedded, or TEST_DATABASE_URL / TEST_REDIS_URL)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.postgres.migrate import migrate
from adapters.postgres.pool import create_pool

os.environ.setdefault("OPS_PORT", "0")  # every service process a test starts: its operations listener on a free port


def _with_database(dsn: str, database: str) -> str:
    """Return `dsn` pointing at another database on the same server."""
    import urllib.parse as up

    parts = up.urlsplit(dsn)
    return up.urlunsplit(parts._replace(path="/" + database))


@pytest.fixture(scope="session")
def embedded_dir() -> Iterator[Path]:
    """A scratch data dir for embedded servers of this test session."""
    with tempfile.TemporaryDirectory(prefix="evt-test-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def pg_server_dsn(embedded_dir: Path) -> Iterator[str]:
    """DSN of a server we may create databases on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    server = EmbeddedPostgres(embedded_dir)
    dsn = server.start()
    yield dsn
    server.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pg_template(pg_server_dsn: str) -> AsyncIterator[str]:
    """A migrated template database; each test clones it."""
    name = f"evt_tpl_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    conn = await asyncpg.connect(_with_database(pg_server_dsn, name))
    try:
        await migrate(conn)
    finally:
        await conn.close()
    yield name
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest_asyncio.fixture(loop_scope="session")
async def pg_dsn(pg_server_dsn: str, pg_template: str) -> AsyncIterator[str]:
    """DSN of a fresh, fully migrated database of this test's own (dropped afterwards)."""
    name = f"evt_t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield _with_database(pg_server_dsn, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture(loop_scope="session")
async def pg_pool(pg_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """An asyncpg pool on this test's fresh database."""
    pool = await create_pool(pg_dsn, min_size=1, max_size=6)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
def redis_url(embedded_dir: Path) -> Iterator[str]:
    """URL of a real Redis server."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    server = EmbeddedRedis(embedded_dir)
    yield server.start()
    server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def redis_prefix(redis_url: str) -> AsyncIterator[str]:
    """A key prefix unique to this test; its keys are deleted afterwards."""
    prefix = f"evt-test-{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = aioredis.from_url(redis_url)
    keys = [key async for key in client.scan_iter(match=prefix + "*", count=1000)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A redis.asyncio client (bytes responses) on the test server."""
    client = aioredis.from_url(redis_url)
    yield client
    await client.aclose()


_SERVER_FIXTURES = {
    "pg_server_dsn",
    "pg_dsn",
    "pg_pool",
    "pg_template",
    "redis_url",
    "redis_client",
    "redis_prefix",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches Postgres or Redis as `integration`, so the tier can run on its own."""
    for item in items:
        if _SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
