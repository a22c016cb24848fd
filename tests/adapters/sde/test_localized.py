"""Other-language item names: a small JSONL export with real localized rows, imported into Postgres and resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from adapters.postgres.catalog_source import PgCatalogSource
from adapters.sde import import_sde
from adapters.sde.archive import SdeArchive
from adapters.sde.items import type_name_rows
from core.appraisal.parse import parse_paste
from core.appraisal.parsers import default_parsers
from core.catalog import Catalog

pytestmark = pytest.mark.integration

# Names as CCP's SDE export carries them (every client language); Rifter's are the same everywhere but Asia's.
TRITANIUM = {
    "de": "Tritanium", "en": "Tritanium", "es": "Tritanio", "fr": "Tritanium",
    "ja": "トリタニウム", "ko": "트리타늄", "ru": "Тританиум", "zh": "三钛合金",
}  # fmt: skip
PYERITE = {
    "de": "Pyerite", "en": "Pyerite", "es": "Pierita", "fr": "Pyérite",
    "ja": "パイライト", "ko": "파이어라이트", "ru": "Pyerite", "zh": "类晶体胶矿",
}  # fmt: skip
MEXALLON = {"en": "Mexallon", "es": "Mexalón", "ja": "メクサロン", "ko": "멕살론", "zh": "类银超金属"}


def write_jsonl(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """One JSON object per line, like CCP's export."""
    (folder / name).write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))


@pytest.fixture
def sde_folder(tmp_path: Path) -> Path:
    """Three minerals with their real names in every language, a frigate, an unpublished and a market-less type."""
    folder = tmp_path / "sde"
    folder.mkdir()
    write_jsonl(folder, "categories.jsonl", [{"_key": 4, "name": {"en": "Material", "de": "Material"}}])
    write_jsonl(folder, "groups.jsonl", [{"_key": 18, "categoryID": 4, "name": {"en": "Mineral"}}])
    write_jsonl(
        folder,
        "marketGroups.jsonl",
        [
            {"_key": 475, "hasTypes": False, "name": {"en": "Manufacture & Research"}},
            {"_key": 533, "hasTypes": False, "name": {"en": "Materials"}, "parentGroupID": 475},
            {"_key": 1857, "hasTypes": True, "name": {"en": "Minerals", "de": "Minerale"}, "parentGroupID": 533},
        ],
    )
    minerals = [(34, TRITANIUM), (35, PYERITE), (36, MEXALLON)]
    types = [
        {"_key": key, "groupID": 18, "marketGroupID": 1857, "name": name, "published": True, "volume": 0.01}
        for key, name in minerals
    ]
    types.append({"_key": 90, "groupID": 18, "marketGroupID": 1857, "name": {"en": "Old", "de": "Alt"}})
    types.append({"_key": 91, "groupID": 18, "name": {"en": "Unsold", "de": "Unverkauft"}, "published": True})
    write_jsonl(folder, "types.jsonl", types)
    return folder


def test_only_names_that_differ_from_english_of_published_market_types(sde_folder: Path) -> None:
    with SdeArchive(sde_folder) as archive:
        rows = list(type_name_rows(archive))
    assert [row for row in rows if row[0] == 34] == [
        (34, "es", "Tritanio"),
        (34, "ja", "トリタニウム"),
        (34, "ko", "트리타늄"),
        (34, "ru", "Тританиум"),
        (34, "zh", "三钛合金"),
    ]
    assert (35, "fr", "Pyérite") in rows and (36, "es", "Mexalón") in rows
    assert not [row for row in rows if row[0] in (90, 91)]


async def test_import_keeps_them_and_the_catalog_and_appraisals_accept_them(
    pg_pool: asyncpg.Pool, sde_folder: Path, tmp_path: Path
) -> None:
    summary = await import_sde(pg_pool, sde_folder, data_dir=tmp_path)
    assert summary.type_names == 14 and summary.counts["sde_type_names"] == 14
    stored = await pg_pool.fetchval("SELECT name FROM sde_type_names WHERE type_id = 34 AND language = 'zh'")
    assert stored == "三钛合金"
    catalog = await Catalog.load(PgCatalogSource(pg_pool))
    assert {catalog.item(name).name for name in ("三钛合金", "トリタニウム", "тританиум", "Tritanio")} == {"Tritanium"}
    assert catalog.item("Pyérite").type_id == 35 and catalog.item("类银超金属").type_id == 36
    assert catalog.groups.path(catalog.groups.group("minerals").market_group_id) == (
        "Manufacture & Research > Materials > Minerals"
    )
    assert catalog.groups.category_types("materials") == {34, 35, 36}
    paste = "三钛合金\t1.000\n파이어라이트\t2\u202f500\nMexalón x 3"
    result = parse_paste(paste, catalog, default_parsers())
    assert [(found.item.type_id, found.quantity) for found in result.items] == [(34, 1000), (35, 2500), (36, 3)]

    await import_sde(pg_pool, sde_folder, data_dir=tmp_path)  # a re-import replaces them, no duplicates
    assert await pg_pool.fetchval("SELECT count(*) FROM sde_type_names") == 14
