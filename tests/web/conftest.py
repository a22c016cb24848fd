"""Fixtures for the panel: the real app on a test server over real Postgres and Redis."""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.postgres.pool import create_pool
from adapters.redis.keys import RedisKeys
from evetrader.bootstrap.web import web_deps
from tests.web.helpers import web_config
from web.app import create_app


def _with_database(dsn: str, database: str) -> str:
    parts = urllib.parse.urlsplit(dsn)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def pg_pool(pg_server_dsn: str, pg_template: str) -> AsyncIterator[asyncpg.Pool]:
    """One fresh migrated database per test module (a clone per test costs about a second): tests own their rows."""
    name = f"evt_w_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    pool = await create_pool(_with_database(pg_server_dsn, name), min_size=1, max_size=6)
    try:
        yield pool
    finally:
        await pool.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


MakeClient = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]


@asynccontextmanager
async def _clients(pool: asyncpg.Pool, redis_client: aioredis.Redis, prefix: str) -> AsyncIterator[MakeClient]:
    """A factory of started test clients of the app (config overrides, optional extra setup), closed afterwards."""
    clients: list[TestClient[web.Request, web.Application]] = []

    async def make(
        setup: Callable[[web.Application], None] | None = None, **overrides: Any
    ) -> TestClient[web.Request, web.Application]:
        app = create_app(web_deps(pool, redis_client, RedisKeys(prefix), web_config(**overrides)))
        if setup is not None:
            setup(app)
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    try:
        yield make
    finally:
        for client in clients:
            await client.close()


@pytest_asyncio.fixture(loop_scope="session")
async def make_client(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> AsyncIterator[MakeClient]:
    """Build the app with config overrides (and optional extra setup) and return a started test client."""
    async with _clients(pg_pool, redis_client, redis_prefix) as make:
        yield make


@pytest_asyncio.fixture(loop_scope="session")
async def make_light_client(redis_client: aioredis.Redis, redis_prefix: str) -> AsyncIterator[MakeClient]:
    """Like make_client but without a database (fast): for what never reaches Postgres (headers, limits, TLS)."""
    async with _clients(cast(asyncpg.Pool, None), redis_client, redis_prefix) as make:
        yield make


@pytest_asyncio.fixture(loop_scope="session")
async def client(make_client: MakeClient) -> TestClient[web.Request, web.Application]:
    """A test client of the app with the default test config."""
    return await make_client()
