"""Packaged volumes end to end: the real ESI client and fake into sde_types, kept across SDE re-imports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from adapters.postgres.packaging import PgPackagedVolumeStore
from adapters.sde import bundled_fixture_path, import_sde
from core.market.packaging import PackagedVolumeRefresher
from fakes.esi import EsiFake
from tests.integration.esi import client_for

pytestmark = pytest.mark.e2e
RIFTER, RAVEN, TRITANIUM = 587, 638, 34


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={10000002: 100}) as server:
        yield server


async def packaged(pool: asyncpg.Pool, type_id: int) -> float | None:
    value: float | None = await pool.fetchval("SELECT packaged_volume FROM sde_types WHERE type_id = $1", type_id)
    return value


async def test_ships_get_packaged_volumes_once_and_keep_them_across_imports(
    fake: EsiFake, pg_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    store = PgPackagedVolumeStore(pg_pool)
    ships = await store.pending()
    assert RIFTER in ships and TRITANIUM not in ships
    before = len(fake.requests)
    async with client_for(fake) as client:
        summary = await PackagedVolumeRefresher(client, store).refresh()
    assert (summary.fetched, summary.missing, summary.failed) == (len(ships), 0, [])
    assert len(fake.requests) - before == len(ships)
    assert await packaged(pg_pool, RIFTER) == 2500.0 and await packaged(pg_pool, RAVEN) == 50_000.0
    assert await packaged(pg_pool, TRITANIUM) is None and await store.pending() == []

    asked = len(fake.requests)
    async with client_for(fake) as client:
        again = await PackagedVolumeRefresher(client, store).refresh()
    assert (again.fetched, again.missing, again.failed) == (0, 0, []) and len(fake.requests) == asked

    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    assert await packaged(pg_pool, RIFTER) == 2500.0 and await store.pending() == []


async def test_esi_down_counts_failures_and_writes_nothing(
    fake: EsiFake, pg_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    store = PgPackagedVolumeStore(pg_pool)
    ships = await store.pending()
    fake.faults.server_errors(1000, status=503)
    try:
        async with client_for(fake, max_attempts=2) as client:
            summary = await PackagedVolumeRefresher(client, store, concurrency=2).refresh()
    finally:
        fake.faults.clear()
    assert summary.fetched == 0 and sorted(summary.failed) == ships
    assert await pg_pool.fetchval("SELECT count(*) FROM sde_types WHERE packaged_volume IS NOT NULL") == 0
