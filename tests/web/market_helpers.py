"""A panel with real market data: the bundled SDE and the ESI fake's Jita ingested into a database of the module."""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from evetrader.app import App
from evetrader.bootstrap.chat import command_context
from evetrader.bootstrap.market import region_refresher
from evetrader.bootstrap.web import web_deps
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.esi import EsiFake
from tests.web.helpers import web_config
from web.app import create_app
from web.public import use_market

JITA_REGION, JITA_STATION = 10000002, 60003760
PANEL_URL = "https://panel.example"  # the chat commands' PUBLIC_URL (the test panel itself is http://127.0.0.1)
MarketClient = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]


def _with_database(dsn: str, database: str) -> str:
    parts = urllib.parse.urlsplit(dsn)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def market_app(
    pg_server_dsn: str, pg_template: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[App]:
    """The composition root over a database of this module holding the static data and Jita's book and history."""
    name = f"evt_m_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    prefix = f"evt-test-{uuid.uuid4().hex[:10]}:"
    data_dir: Path = tmp_path_factory.mktemp("market")
    try:
        async with EsiFake(regions={JITA_REGION: 1_500}) as esi:
            settings = load_settings(
                database_url=_with_database(pg_server_dsn, name),
                redis_url=redis_url,
                redis_prefix=prefix,
                data_dir=str(data_dir),
                esi_base_url=esi.base_url,
                public_url=PANEL_URL,
            )
            async with App(settings) as app:
                await ensure_static_data(app)
                await region_refresher(app).refresh(JITA_REGION)
                yield app
                keys = [key async for key in app.redis.scan_iter(match=prefix + "*", count=1000)]
                if keys:
                    await app.redis.delete(*keys)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture(loop_scope="session")
async def market_client(market_app: App) -> AsyncIterator[MarketClient]:
    """A factory of started test clients of the panel with the market context (config overrides allowed)."""
    clients: list[TestClient[web.Request, web.Application]] = []
    context = await command_context(market_app)

    async def make(**overrides: Any) -> TestClient[web.Request, web.Application]:
        generous = {"appraisal_rate_per_minute": 60_000.0, "appraisal_rate_burst": 10_000} | overrides
        app = create_app(web_deps(market_app.pool, market_app.redis, market_app.keys, web_config(**generous)))
        use_market(app, context)
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


async def traded_item(app: App, location_id: int = JITA_STATION) -> dict[str, Any]:
    """The most traded item at a station with both a best buy and a best sell: type_id, name, prices."""
    row = await app.pool.fetchrow(
        "SELECT q.type_id, t.name, q.best_sell, q.best_buy FROM market_quotes q JOIN sde_types t USING (type_id)"
        " WHERE q.location_id = $1 AND q.best_sell IS NOT NULL AND q.best_buy IS NOT NULL AND q.sell_volume >= 10"
        " ORDER BY q.sell_orders + q.buy_orders DESC LIMIT 1",
        location_id,
    )
    assert row is not None
    return dict(row)
