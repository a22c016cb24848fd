"""An embedded PostgreSQL of a test's own that it can stop, start again and freeze (SIGSTOP) under running services."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from adapters.embedded import EmbeddedPostgres
from evetrader.app import App
from evetrader.bootstrap.market import region_refresher
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings

JITA_REGION, JITA_STATION = 10000002, 60003760


class OwnPostgres:
    """A real server in a scratch dir of its own: the same socket and data after every restart, so DSNs stay valid.

    (Not under pytest's tmp_path: the server runs as another user, who cannot enter pytest's private directories.)
    """

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="evt-pg-"))
        self._server = EmbeddedPostgres(self._dir)
        self.dsn = ""

    def start(self) -> str:
        """Start the server (again); its DSN."""
        self.dsn = self._server.start()
        return self.dsn

    def stop(self) -> None:
        """Stop the server (connections are refused until start)."""
        self._server.close()

    def remove(self) -> None:
        """Stop the server and delete its data."""
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _processes(self) -> list[psutil.Process]:
        pid = self._server._server.get_pid()  # type: ignore[attr-defined]
        assert pid, "the server is not running"
        postmaster = psutil.Process(pid)
        return [postmaster, *postmaster.children(recursive=True)]

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        """SIGSTOP the postmaster and every backend: connections neither answer nor fail until the block ends."""
        processes = self._processes()
        for process in processes:
            process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            for process in processes:
                with contextlib.suppress(psutil.NoSuchProcess):
                    process.send_signal(signal.SIGCONT)


async def ingest_jita(dsn: str, redis_url: str, redis_prefix: str, esi_url: str, data_dir: Path) -> dict[str, Any]:
    """Static data and the ESI fake's Jita in Postgres and the Redis quote cache; the most traded quote there."""
    settings = load_settings(
        database_url=dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=data_dir, esi_base_url=esi_url
    )
    async with App(settings) as app:
        await app.migrate()
        await ensure_static_data(app)
        await region_refresher(app).refresh(JITA_REGION)
        row = await app.pool.fetchrow(
            "SELECT t.name, q.best_sell, q.best_buy FROM market_quotes q JOIN sde_types t USING (type_id)"
            " WHERE q.location_id = $1 AND q.best_sell IS NOT NULL AND q.best_buy IS NOT NULL"
            " ORDER BY q.sell_orders + q.buy_orders DESC LIMIT 1",
            JITA_STATION,
        )
    return dict(row)


async def readiness(*ports: int) -> int:
    """The status of /readyz on the first of `ports` that serves it (the panel's, else the ops listener's)."""
    status = 404
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        for port in ports:
            try:
                async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                    status = response.status
            except aiohttp.ClientError:
                continue
            if status != 404:
                return status
    return status


async def until_ready(*ports: int, limit_s: float = 60.0) -> None:
    """Wait until /readyz answers 200 (see readiness)."""
    async with asyncio.timeout(limit_s):
        while True:
            if await readiness(*ports) == 200:
                return
            await asyncio.sleep(0.5)
