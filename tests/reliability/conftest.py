"""Helpers for reliability tests: evetrader service processes with logs on disk, a second database, snapshots."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from tests.conftest import _with_database

AMARR, DODIXIE = 10000043, 10000032


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test of this package carries the `reliability` mark."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)


@pytest_asyncio.fixture(loop_scope="session")
async def other_pg_dsn(pg_server_dsn: str, pg_template: str) -> AsyncIterator[str]:
    """A second fresh, migrated database (for a second, independent deployment in the same test)."""
    name = f"evt_t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield _with_database(pg_server_dsn, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Service:
    """One `evetrader <args>` process; its output goes to a file (a pipe nobody reads would block it)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.args, self.env = name, args, env
        self.log = log_dir / f"{name}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> Service:
        """Start the process."""
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "evetrader.cli", *self.args, env=self.env, stdout=out, stderr=out
            )
        return self

    @property
    def alive(self) -> bool:
        """True while the process has not exited."""
        return self.proc is not None and self.proc.returncode is None

    def tail(self, chars: int = 3000) -> str:
        """The end of the process's output (for failure messages)."""
        return f"--- {self.name} ---\n" + self.log.read_text(errors="replace")[-chars:]

    async def stop(self, timeout_s: float = 60.0) -> int | None:
        """SIGTERM, then wait; the exit code (None if it had to be killed)."""
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return await asyncio.wait_for(self.proc.wait(), timeout_s)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                return None
        return self.proc.returncode

    def kill(self) -> None:
        """kill -9."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)


def service_env(database_url: str, redis_url: str, esi_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of an evetrader service process for these servers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EVETRADER_REDIS_PREFIX": f"evt-rel-{uuid.uuid4().hex[:8]}:",
            "EVETRADER_DATA_DIR": str(data_dir),
            "ESI_BASE_URL": esi_url,
            "INGEST_JITTER_S": "0",
            "EVETRADER_LOG_FORMAT": "json",
        }
        | extra
    )


async def newest_generation(dsn: str, region_id: int) -> int:
    """The generation of the region's live snapshot (0 before the first one)."""
    conn = await asyncpg.connect(dsn)
    try:
        value = await conn.fetchval("SELECT generation FROM market_snapshots WHERE region_id = $1", region_id)
    finally:
        await conn.close()
    return int(value or 0)


async def wait_for_generation(dsn: str, region_id: int, above: int, services: list[Service], limit_s: float) -> int:
    """Wait until a snapshot newer than generation `above` is live; fail early if a service dies."""
    async with asyncio.timeout(limit_s):
        while True:
            generation = await newest_generation(dsn, region_id)
            if generation > above:
                return generation
            dead = [s for s in services if not s.alive]
            assert not dead, "\n".join(s.tail() for s in dead)
            await asyncio.sleep(0.5)
