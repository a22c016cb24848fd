"""PgCatalogSource against real Postgres loaded with the bundled SDE fixture, and a Catalog built from it."""

from __future__ import annotations

import time
from pathlib import Path

import asyncpg
import pytest

from adapters.postgres.catalog_source import PgCatalogSource
from adapters.sde import bundled_fixture_path, import_sde
from core.catalog import Catalog, CatalogItem
from core.market.hubs import HUBS, PLEX_TYPE_ID

pytestmark = pytest.mark.integration


async def test_empty_static_data_gives_empty_sequences(pg_pool: asyncpg.Pool) -> None:
    source = PgCatalogSource(pg_pool)
    assert (await source.market_types(), await source.regions()) == ([], [])
    assert (await source.systems(), await source.stations()) == ([], [])


async def test_only_published_types_with_a_market_group(pg_pool: asyncpg.Pool) -> None:
    await pg_pool.execute("INSERT INTO sde_groups (group_id, category_id, name) VALUES (25, 6, 'Frigate')")
    await pg_pool.execute(
        """INSERT INTO sde_types (type_id, name, group_id, market_group_id, volume, packaged_volume, published)
           VALUES (587, 'Rifter', 25, 64, 27289, 2500, true), (588, 'Reaper', 25, NULL, 27289, 2500, true),
                  (589, 'Unpublished', 25, 64, 1, NULL, false), (590, 'No Group Row', 99, 64, NULL, NULL, true)"""
    )
    items = await PgCatalogSource(pg_pool).market_types()
    assert items == [CatalogItem(587, "Rifter", "Frigate", 2500.0), CatalogItem(590, "No Group Row", "", 0.0)]


async def test_bundled_sde_loads_into_a_catalog(pg_pool: asyncpg.Pool, tmp_path: Path) -> None:
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    source = PgCatalogSource(pg_pool)
    items = await source.market_types()
    assert 19_000 <= len(items) <= 20_500
    by_id = {item.type_id: item for item in items}
    tritanium = by_id[34]
    assert (tritanium.name, tritanium.group) == ("Tritanium", "Mineral")
    assert tritanium.volume == pytest.approx(0.01)
    assert by_id[PLEX_TYPE_ID].name == "PLEX"
    stations = {
        station_id: (name, system_id, region_id) for station_id, name, system_id, region_id in (await source.stations())
    }
    for hub in HUBS:
        assert stations[hub.station_id] == (hub.station_name, hub.system_id, hub.region_id)
    assert (10000002, "The Forge") in await source.regions()
    assert (30000142, "Jita", 10000002) in await source.systems()

    started = time.perf_counter()
    catalog = await Catalog.load(source)
    elapsed = time.perf_counter() - started
    print(f"\nCatalog.load(PgCatalogSource): {len(catalog)} items in {elapsed * 1000:.0f} ms")
    assert len(catalog) == len(items)
    assert catalog.item("tritanium").type_id == 34
    assert catalog.item("plex").type_id == PLEX_TYPE_ID
    jita = catalog.location("jita")
    assert (jita.station_id, jita.region_id) == (60003760, 10000002)
    assert catalog.location("The Forge").kind == "region"
