"""Progress of long commands: log lines off a terminal, a live bar on one (ingest and history against the ESI fake)."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from fakes.esi import EsiFake

EVETRADER = [sys.executable, "-m", "evetrader.cli"]
pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={10000043: 3_000}) as server:
        yield server


def env_for(pg_dsn: str, redis_url: str, redis_prefix: str, esi: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "ESI_BASE_URL": esi,
        "EVETRADER_DATA_DIR": str(tmp_path),
        "EVETRADER_LOG_FORMAT": "json",
    }


async def test_ingest_off_a_terminal_logs_its_progress(pg_dsn, redis_url, redis_prefix, fake, tmp_path) -> None:
    env = os.environ | env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path)
    for args in (["migrate"], ["sde", "import", "--bundled"]):
        proc = await asyncio.create_subprocess_exec(*EVETRADER, *args, env=env, stdout=asyncio.subprocess.DEVNULL)
        assert await proc.wait() == 0
    proc = await asyncio.create_subprocess_exec(
        *EVETRADER,
        *("ingest", "--hub", "amarr", "--once", "--history"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    lines = [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
    pages = [line for line in lines if line.get("event") == "region 10000043"]
    assert pages and pages[0]["stage"] == "order pages" and pages[0]["rows"] >= 1
    history = [line for line in lines if line.get("event") == "history of region 10000043"]
    assert history and history[0]["stage"] == "types" and history[0]["total"] > 0
    assert len(history) < history[0]["total"]  # a line when the stage starts, then at most one every 5 s
    assert "region 10000043: updated, 3,000 orders" in out.decode()  # stdout keeps its one-line summary


def read_all(fd: int) -> bytes:
    """Everything written to a pty until its other end closes."""
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return seen
        if not chunk:
            return seen
        seen += chunk


async def test_ingest_on_a_terminal_draws_a_bar(pg_dsn, redis_url, redis_prefix, fake, tmp_path) -> None:
    env = os.environ | env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path) | {"COLUMNS": "120"}
    proc = await asyncio.create_subprocess_exec(*EVETRADER, "migrate", env=env, stdout=asyncio.subprocess.DEVNULL)
    assert await proc.wait() == 0
    leader, follower = pty.openpty()
    seen = asyncio.get_running_loop().run_in_executor(None, read_all, leader)  # read while it draws
    try:
        proc = await asyncio.create_subprocess_exec(
            *EVETRADER,
            *("ingest", "--hub", "amarr", "--once"),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=follower,
        )
        out, _ = await proc.communicate()
    finally:
        os.close(follower)  # the reader then gets EIO: the terminal is gone
    drawn = await seen
    os.close(leader)
    assert proc.returncode == 0
    assert b"region 10000043: order pages" in drawn  # the bar's description, drawn on the terminal
    assert b"order pages" not in out  # stdout is left to the summary
