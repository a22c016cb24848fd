"""SDE import into real Postgres: the bundled fixture, atomic re-import, bad inputs, URL download."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from aiohttp import web

from adapters.sde import SdeImportError, bundled_fixture_path, import_sde, sde_is_empty

HUB_STATIONS = {
    60003760: "Jita IV - Moon 4 - Caldari Navy Assembly Plant",
    60008494: "Amarr VIII (Oris) - Emperor Family Academy",
    60011866: "Dodixie IX - Moon 20 - Federation Navy Assembly Plant",
    60004588: "Rens VI - Moon 8 - Brutor Tribe Treasury",
    60005686: "Hek VIII - Moon 12 - Boundless Creation Factory",
}


async def snapshot(pool: asyncpg.Pool) -> dict[str, int]:
    """Row counts of the static tables, to compare before and after an import."""
    tables = ("sde_types", "sde_groups", "sde_categories", "sde_market_groups", "sde_stations", "sde_imports")
    return {table: await pool.fetchval(f"SELECT count(*) FROM {table}") for table in tables}


def zip_with_broken_types(tmp_path: Path) -> Path:
    """The bundled fixture with one malformed line deep in types.jsonl (line 15000)."""
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(bundled_fixture_path()) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "types.jsonl":
                lines = data.split(b"\n")
                lines[14999] = lines[14999][:-5]
                data = b"\n".join(lines)
            target.writestr(info.filename, data)
    return broken


async def test_bundled_fixture_imports_real_types_and_hub_stations(pg_pool: asyncpg.Pool, tmp_path: Path) -> None:
    assert await sde_is_empty(pg_pool)
    seen: list[tuple[str, int]] = []
    summary = await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path, progress=lambda *p: seen.append(p))

    assert not await sde_is_empty(pg_pool)
    assert 19_000 <= summary.types <= 20_500
    assert summary.stations == 5 and summary.build is not None
    assert ("sde_types", summary.types) in seen
    published_market_types = await pg_pool.fetchval(
        "SELECT count(*) FROM sde_types WHERE published AND market_group_id IS NOT NULL"
    )
    assert published_market_types == summary.types
    tritanium = await pg_pool.fetchrow(
        """SELECT t.name, t.volume, g.name AS group_name, c.name AS category_name
           FROM sde_types t JOIN sde_groups g USING (group_id) JOIN sde_categories c ON c.category_id = t.category_id
           WHERE t.type_id = 34"""
    )
    assert dict(tritanium) == {
        "name": "Tritanium",
        "volume": 0.01,
        "group_name": "Mineral",
        "category_name": "Material",
    }
    assert await pg_pool.fetchval("SELECT name FROM sde_types WHERE type_id = 44992") == "PLEX"
    stations = {r["station_id"]: r["name"] for r in await pg_pool.fetch("SELECT station_id, name FROM sde_stations")}
    assert stations == HUB_STATIONS
    assert await pg_pool.fetchval("SELECT region_id FROM sde_stations WHERE station_id = 60003760") == 10000002
    assert await pg_pool.fetchval("SELECT count(*) FROM sde_regions WHERE region_id = 19000001") == 1
    orphans = await pg_pool.fetchval(
        """SELECT count(*) FROM sde_market_groups m
           WHERE m.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sde_market_groups p
                                                         WHERE p.market_group_id = m.parent_id)"""
    )
    assert orphans == 0
    assert summary.duration_s < 5


async def test_reimport_replaces_and_a_failed_import_keeps_the_previous_one(
    pg_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    first = await snapshot(pg_pool)
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    second = await snapshot(pg_pool)
    assert second == {**first, "sde_imports": 2}

    with pytest.raises(SdeImportError, match=r"types\.jsonl line 15000: malformed JSON"):
        await import_sde(pg_pool, zip_with_broken_types(tmp_path), data_dir=tmp_path)
    assert await snapshot(pg_pool) == second
    assert await pg_pool.fetchval("SELECT name FROM sde_types WHERE type_id = 34") == "Tritanium"
    # The connection used for the failed import is still good for the next one.
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    assert (await snapshot(pg_pool))["sde_types"] == first["sde_types"]


async def test_bad_sources_raise_one_clear_error_and_change_nothing(pg_pool: asyncpg.Pool, tmp_path: Path) -> None:
    not_a_zip = tmp_path / "not-a.zip"
    not_a_zip.write_text("hello")
    no_types = tmp_path / "no-types.zip"
    with zipfile.ZipFile(no_types, "w") as archive:
        archive.writestr("groups.jsonl", '{"_key": 18, "categoryID": 4, "name": {"en": "Mineral"}}\n')
    cases = {
        tmp_path / "missing.zip": "SDE source not found",
        not_a_zip: "not a zip file",
        no_types: "types.jsonl missing",
    }
    for source, message in cases.items():
        with pytest.raises(SdeImportError, match=message) as raised:
            await import_sde(pg_pool, source, data_dir=tmp_path)
        assert "\n" not in str(raised.value)
    assert await sde_is_empty(pg_pool)
    assert await pg_pool.fetchval("SELECT count(*) FROM sde_imports") == 0


@pytest_asyncio.fixture(loop_scope="session")
async def sde_server() -> AsyncIterator[str]:
    """A local HTTP server handing out the bundled fixture at /sde.zip (and 404 elsewhere)."""

    async def serve_fixture(request: web.Request) -> web.FileResponse:
        return web.FileResponse(bundled_fixture_path())

    app = web.Application()
    app.router.add_get("/sde.zip", serve_fixture)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_url_source_is_downloaded_into_the_data_dir(
    pg_pool: asyncpg.Pool, tmp_path: Path, sde_server: str
) -> None:
    summary = await import_sde(pg_pool, f"{sde_server}/sde.zip", data_dir=tmp_path)
    assert summary.types > 19_000
    assert (tmp_path / "sde" / "sde.zip").read_bytes() == bundled_fixture_path().read_bytes()
    assert [p.name for p in (tmp_path / "sde").iterdir()] == ["sde.zip"]  # no temp file left behind

    with pytest.raises(SdeImportError, match="HTTP 404"):
        await import_sde(pg_pool, f"{sde_server}/missing.zip", data_dir=tmp_path)
    assert not (tmp_path / "sde" / "missing.zip").exists()
