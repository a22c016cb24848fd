"""Ingest benchmark: a Forge-sized region from the ESI fake (own process) through the full ingest, against the floor.

The floor is the least any ingest must do: the same pages fetched by the same client, parsed with orjson and
COPYed into an UNLOGGED table, then one GROUP BY. The full ingest adds validation, the logged staging table,
indexes, quotes (numpy, beside the index build), the atomic swap and the Redis hub quotes. The whole-process
`evetrader ingest --once` is set beside the in-process floor and beside the floor run as a fresh process
(benchmarks/ingest_floor.py), which pays the same interpreter start, imports and connection: both with their
bytecode cached, as an installed package has it, in PROCESS_ROUNDS interleaved rounds (medians). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import asyncpg
import orjson

from adapters.esi import EsiClient
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.redis.quotes import RedisQuoteCache
from adapters.sde import bundled_fixture_path
from benchmarks.ingest_floor import REGION, esi_client, floor
from core.market.ingest import RegionRefresher
from evetrader.app import App
from evetrader.config import Settings, load_settings

PROCESS_ROUNDS = 3


@contextlib.contextmanager
def esi_fake_process(orders: int) -> Iterator[str]:
    """Run the ESI fake in its own process (own event loop), books over all ~19.7k market types; yield its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fakes.esi",
            "--port",
            str(port),
            "--forge-orders",
            str(orders),
            "--sde-zip",
            str(bundled_fixture_path()),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("http"):
            raise RuntimeError(f"ESI fake did not start: {line!r}")
        yield line
    finally:
        proc.terminate()
        proc.wait(10)


def new_client(base_url: str) -> EsiClient:
    """A fresh client (its in-memory Expires guard starts empty), as configured by default."""
    settings = load_settings()
    return esi_client(base_url, settings.esi_compatibility_date, settings.esi_max_concurrency)


async def app_floor(app: App, base_url: str) -> dict[str, Any]:
    """The floor in this process, on a connection of the app's pool."""
    async with app.pool.acquire() as conn:
        return await floor(conn, new_client(base_url))


async def full_ingest(app: App, base_url: str, clock_offset_s: float) -> dict[str, Any]:
    """The product's ingest of the region (a fresh client; the clock shifted past the live snapshot's Expires)."""
    async with new_client(base_url) as client:
        refresher = RegionRefresher(
            client,
            PgOrderBookStore(app.pool),
            RedisQuoteCache(app.redis, app.keys),
            clock=lambda: datetime.now(UTC) + timedelta(seconds=clock_offset_s),
        )
        started = time.perf_counter()
        outcome = await refresher.refresh(REGION)
        seconds = time.perf_counter() - started
    assert outcome.meta is not None
    return {
        "seconds": seconds,
        "orders": outcome.meta.orders,
        "quotes": outcome.meta.quotes,
        "pages": outcome.meta.pages,
        "result": outcome.result.value,
    }


def installed_env(pycache: str) -> dict[str, str]:
    """This environment as an installed package runs in: bytecode cached (under `pycache`), not compiled per run."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": pycache}


def process_floor(settings: Settings, base_url: str, env: dict[str, str]) -> float:
    """Wall seconds of the floor as a fresh process (benchmarks.ingest_floor), start to exit."""
    assert settings.database_url is not None
    command = [
        sys.executable,
        "-m",
        "benchmarks.ingest_floor",
        base_url,
        settings.database_url,
        str(settings.esi_compatibility_date),
        str(settings.esi_max_concurrency),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the floor process failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds


def whole_process(settings: Settings, base_url: str, env: dict[str, str]) -> float:
    """Wall seconds of `evetrader ingest --region 10000002 --once` as a user runs it (a fresh process)."""
    if settings.database_url is None or settings.redis_url is None:
        raise SystemExit("the whole-process ingest needs external servers: set DATABASE_URL and REDIS_URL")
    env = env | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "EVETRADER_REDIS_PREFIX": settings.redis_prefix,
        "EVETRADER_DATA_DIR": str(settings.data_dir),
        "ESI_BASE_URL": base_url,
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evetrader.cli", "ingest", "--region", str(REGION), "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0 or "updated" not in done.stdout:
        raise SystemExit(f"evetrader ingest failed ({done.returncode}): {(done.stdout + done.stderr).strip()[-500:]}")
    return seconds


async def process_rounds(app: App, base_url: str, rounds: int) -> tuple[list[float], list[float]]:
    """Interleaved rounds of the floor and the ingest as fresh processes, each on a new generation of the region
    (served once in-process first, so the fake has it ready); one untimed round first fills the bytecode cache."""
    floors: list[float] = []
    ingests: list[float] = []
    with tempfile.TemporaryDirectory(prefix="evt-bench-pycache-") as pycache:
        env = installed_env(pycache)
        for round_ in range(rounds + 1):
            await advance(base_url)
            await app_floor(app, base_url)
            floor_s = await asyncio.to_thread(process_floor, app.settings, base_url, env)
            await app.pool.execute("UPDATE market_snapshots SET expires = now() - interval '1 second'")
            ingest_s = await asyncio.to_thread(whole_process, app.settings, base_url, env)
            if round_:
                floors.append(floor_s)
                ingests.append(ingest_s)
    return floors, ingests


async def advance(base_url: str) -> None:
    """Ask the fake for a new snapshot of the region."""
    async with aiohttp.ClientSession() as session, session.post(f"{base_url}/_fake/advance/{REGION}") as resp:
        resp.raise_for_status()


@contextlib.asynccontextmanager
async def scratch_database(dsn: str | None) -> AsyncIterator[str | None]:
    """With an external server, a database of the benchmark's own (dropped after); embedded: a fresh server."""
    if dsn is None:
        yield None
        return
    name = f"evt_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(dsn)._replace(path="/" + name))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def run(orders: int) -> dict[str, object]:
    """Floor, first ingest, then (next generation) floor and the ingest replacing the live snapshot."""
    base = load_settings()
    with tempfile.TemporaryDirectory(prefix="evt-bench-") as tmp, esi_fake_process(orders) as base_url:
        async with scratch_database(base.database_url) as dsn:
            settings = load_settings(
                data_dir=Path(tmp), redis_prefix=f"evt-bench-{uuid.uuid4().hex[:6]}:", database_url=dsn
            )
            result = await _measure(settings, base_url)
    return result


async def _measure(settings: Settings, base_url: str) -> dict[str, object]:
    async with App(settings) as app:
        await app.migrate()
        floor_1 = await app_floor(app, base_url)  # also makes the fake serialise its pages once
        cold = await full_ingest(app, base_url, 0)
        await advance(base_url)
        floor_2 = await app_floor(app, base_url)  # the new generation's pages, serialised by the fake
        warm = await full_ingest(app, base_url, 3600)  # replaces the live snapshot: the steady state
        await advance(base_url)
        floor_3 = await app_floor(app, base_url)
        floors_process, processes = await process_rounds(app, base_url, PROCESS_ROUNDS)
    floor_process, process = statistics.median(floors_process), statistics.median(processes)
    best_floor = min(floor_1["seconds"], floor_2["seconds"], floor_3["seconds"])
    return {
        "benchmark": "ingest",
        "region_orders": warm["orders"],
        "pages": warm["pages"],
        "floor_s": [round(floor_1["seconds"], 3), round(floor_2["seconds"], 3)],
        "floor_detail": {k: round(v, 3) if isinstance(v, float) else v for k, v in floor_2.items()},
        "ingest_cold_s": round(cold["seconds"], 3),
        "ingest_warm_s": round(warm["seconds"], 3),
        "quotes": warm["quotes"],
        "orders_per_s": round(warm["orders"] / warm["seconds"]),
        "ratio_to_floor": round(warm["seconds"] / best_floor, 2),
        "target_ratio": 2.0,
        "best_floor_s": round(best_floor, 3),
        "process_ingest_s": round(process, 3),  # `evetrader ingest --region 10000002 --once`, start to exit
        "process_ratio_to_floor": round(process / best_floor, 2),  # against the in-process floor (no start-up)
        "process_floor_s": round(floor_process, 3),  # the floor as a fresh process: interpreter, imports, connect
        "process_ratio_to_process_floor": round(process / floor_process, 2),  # whole process against whole process
        "process_rounds_s": {
            "floor": [round(v, 3) for v in floors_process],
            "ingest": [round(v, 3) for v in processes],
        },
        "process_target_ratio": 1.5,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database": "external" if settings.database_url else "embedded",
    }


def rounded(seconds: list[float]) -> list[float]:
    """Each figure to the millisecond."""
    return [round(value, 3) for value in seconds]


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=350_000)
    args = parser.parse_args()
    print(orjson.dumps(asyncio.run(run(args.orders)), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
