"""Services that do not import the static data wait for it before they read the item catalog."""

from __future__ import annotations

import asyncio
from pathlib import Path

from adapters.sde import bundled_fixture_path, import_sde
from evetrader.app import App
from evetrader.cli_actions import wait_for_static_data
from evetrader.config import load_settings


async def test_a_service_waits_for_the_import_then_sees_every_item(pg_dsn, redis_url, redis_prefix, tmp_path: Path):
    settings = load_settings(database_url=pg_dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=tmp_path)
    async with App(settings) as app:
        await app.migrate()
        stop = asyncio.Event()
        waiting = asyncio.create_task(wait_for_static_data(app, stop, poll_s=0.05))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # no static data yet: the service is not started (and not ready)
        await import_sde(app.pool, bundled_fixture_path(), data_dir=tmp_path)
        assert await asyncio.wait_for(waiting, 10) is True
        catalog = await app.catalog()
        assert catalog.item("Tritanium", fuzzy=False).type_id == 34


async def test_stopping_while_waiting_ends_the_wait(pg_dsn, redis_url, redis_prefix, tmp_path: Path):
    settings = load_settings(database_url=pg_dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=tmp_path)
    async with App(settings) as app:
        await app.migrate()
        stop = asyncio.Event()
        waiting = asyncio.create_task(wait_for_static_data(app, stop, poll_s=0.05))
        stop.set()
        assert await asyncio.wait_for(waiting, 5) is False
