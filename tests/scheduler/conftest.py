"""Fixtures for scheduler tests: an App on the test's database and Redis prefix, pointed at an ESI fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from evetrader.app import App
from evetrader.config import load_settings
from fakes.esi import EsiFake

REGIONS = {10000043: 2_000, 10000032: 1_000}


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions=REGIONS, cache_seconds=300) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def app(pg_dsn: str, redis_url: str, redis_prefix: str, fake: EsiFake, tmp_path: Path) -> AsyncIterator[App]:
    settings = load_settings(
        database_url=pg_dsn,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        esi_base_url=fake.base_url,
        data_dir=tmp_path,
        ingest_regions=list(REGIONS),
        esi_max_attempts=2,
        ingest_jitter_s=0,
    )
    async with App(settings) as opened:
        yield opened
