"""Every parser together over the real type names (bundled SDE), and `evetrader appraise --json` as users run it."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import asyncpg
import orjson
import pytest

from adapters.postgres.catalog_source import PgCatalogSource
from adapters.sde import bundled_fixture_path, import_sde
from core.appraisal.parse import parse_paste
from core.appraisal.parsers import default_parsers
from core.catalog import Catalog

PASTE = """[Rifter, Brawler]
Damage Control II
200mm AutoCannon II, Republic Fleet EMP S
[Empty High slot]

Hobgoblin II x2

1,000 Tritanium
Pyerite\t2 500
Mexallon x 12
this line is not an item
Tritanum 5
"""


async def test_a_mixed_paste_over_real_names(pg_pool: asyncpg.Pool, tmp_path: Path) -> None:
    await import_sde(pg_pool, bundled_fixture_path(), data_dir=tmp_path)
    catalog = await Catalog.load(PgCatalogSource(pg_pool))
    result = parse_paste(PASTE, catalog, default_parsers(), suggest=catalog.suggest)
    got: dict[str, int] = {}
    for item in result.items:
        got[item.item.name] = got.get(item.item.name, 0) + item.quantity
    assert got == {
        "Rifter": 1,
        "Damage Control II": 1,
        "200mm AutoCannon II": 1,
        "Republic Fleet EMP S": 1,
        "Hobgoblin II": 2,
        "Tritanium": 1000,
        "Pyerite": 2500,
        "Mexallon": 12,
    }
    assert "eft" in result.formats and "listing" in result.formats
    assert [(u.line, u.text) for u in result.unparsed] == [(11, "this line is not an item"), (12, "Tritanum 5")]
    assert "Tritanium" in result.unparsed[1].reason  # did you mean


@pytest.mark.e2e
async def test_appraise_cli_prints_items_totals_and_unparsed(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = os.environ | {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "EVETRADER_DATA_DIR": str(tmp_path),
        "ESI_BASE_URL": "http://127.0.0.1:9",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "evetrader.cli",
        "appraise",
        "--hub",
        "amarr",
        "--json",
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate(PASTE.encode())
    assert proc.returncode == 0, err.decode()
    document = orjson.loads(out)
    assert {item["name"]: item["quantity"] for item in document["items"]}["Tritanium"] == 1000
    assert all({"name", "type_id", "quantity"} <= set(item) for item in document["items"])
    assert document["location_id"] == 60008494
    assert {"buy", "sell", "split", "volume_m3", "quantity"} <= set(document["totals"])
    assert [u["line"] for u in document["unparsed"]] == [11, 12]
    assert "Traceback" not in err.decode()
