"""The CLI as a user runs it (a subprocess): clear one-line errors, exit codes, and a real ingest from the fake."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest_asyncio

from fakes.esi import EsiFake

EVETRADER = [sys.executable, "-m", "evetrader.cli"]


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={10000043: 3_000}) as server:
        yield server


async def evetrader(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI in a subprocess with `env` on top of ours; return (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        *EVETRADER, *args, env=os.environ | env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


def env_for(pg_dsn: str, redis_url: str, redis_prefix: str, esi: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "ESI_BASE_URL": esi,
        "EVETRADER_DATA_DIR": str(tmp_path),
        "EVETRADER_LOG_FORMAT": "json",
    }


async def test_ingest_once_by_hub_name(pg_dsn, redis_url, redis_prefix, fake, tmp_path) -> None:
    code, out, err = await evetrader(
        "ingest", "--hub", "amarr", "--once", env=env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path)
    )
    assert code == 0, err
    assert "region 10000043: updated, 3,000 orders" in out
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM market_orders WHERE region_id = 10000043") == 3000
    finally:
        await conn.close()


async def test_unknown_hub_lists_valid_ones_and_writes_nothing(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    code, _, err = await evetrader(
        "ingest",
        "--hub",
        "Perimeter",
        "--once",
        env=env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path),
    )
    assert code == 2
    assert err.strip() == "error: unknown hub 'Perimeter'; valid hubs: Jita, Amarr, Dodixie, Rens, Hek"
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM market_snapshots") == 0
    finally:
        await conn.close()


async def test_esi_unreachable_exits_nonzero_with_one_line(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path) | {"ESI_MAX_ATTEMPTS": "2"}
    code, _, err = await evetrader("ingest", "--region", "10000002", "--once", env=env)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "region 10000002" in lines[0]
    assert "Traceback" not in err


async def test_invalid_setting_stops_with_one_line(tmp_path) -> None:
    code, _, err = await evetrader("migrate", env={"ESI_MAX_CONCURRENCY": "lots", "EVETRADER_DATA_DIR": str(tmp_path)})
    assert code == 2
    assert err.strip() == (
        "error: invalid setting ESI_MAX_CONCURRENCY: "
        "Input should be a valid integer, unable to parse string as an integer"
    )
