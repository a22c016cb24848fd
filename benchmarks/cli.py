"""CLI start-up benchmark: whole-process wall time of `evetrader status` and `evetrader chat -c "/price ..."`.

Each command runs as a user runs it (a fresh process) against external Postgres and Redis (DATABASE_URL, in a
scratch database of its own, and REDIS_URL under a key prefix of its own). After `evetrader migrate`, one warm-up
run each fills the static data and the bytecode cache (kept under a temporary PYTHONPYCACHEPREFIX, as an installed
package has it), then `--runs` timed runs, interleaved; the floor is `python -c "import aiohttp, asyncpg, redis"`
timed in the same rounds. Prints one JSON object: median wall and CPU seconds, the targets, and the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import orjson

from benchmarks.ingest import scratch_database

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
EVETRADER = [sys.executable, "-m", "evetrader.cli"]
COMMANDS = {
    "floor_import_aiohttp_asyncpg_redis": [sys.executable, "-c", "import aiohttp, asyncpg, redis"],
    "status": [*EVETRADER, "status"],
    "chat_price": [*EVETRADER, "chat", "-c", "/price tritanium jita"],
}
TARGETS_S = {"status": 0.8, "chat_price": 1.0}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `command`, which must succeed."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(env: dict[str, str], runs: int) -> dict[str, object]:
    """Migrate, warm up each command once, then time `runs` interleaved rounds; medians per command."""
    timed([*EVETRADER, "migrate"], env)  # an external database is migrated by `evetrader migrate` only
    for command in COMMANDS.values():
        timed(command, env)
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            wall, cpu = timed(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {
        "median_wall_s": {name: round(statistics.median(values), 3) for name, values in walls.items()},
        "median_cpu_s": {name: round(statistics.median(values), 3) for name, values in cpus.items()},
        "meets_targets": {name: statistics.median(walls[name]) < target for name, target in TARGETS_S.items()},
    }


async def run(runs: int) -> dict[str, object]:
    """Run the measurement in a scratch database; the result with the targets and the load average."""
    dsn = os.environ.get("DATABASE_URL", DEFAULT_DSN)
    with tempfile.TemporaryDirectory(prefix="evt-bench-cli-") as tmp:
        async with scratch_database(dsn) as scratch:
            assert scratch is not None
            env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
            env |= {
                "DATABASE_URL": scratch,
                "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS),
                "EVETRADER_REDIS_PREFIX": f"evt-bench-cli-{uuid.uuid4().hex[:6]}:",
                "EVETRADER_DATA_DIR": tmp,
                "ESI_BASE_URL": "http://127.0.0.1:9",  # neither command may need ESI
                "PYTHONPYCACHEPREFIX": os.path.join(tmp, "pycache"),
            }
            result = await asyncio.to_thread(measure, env, runs)
    return {"benchmark": "cli_startup", "runs": runs, **result, "targets_s": TARGETS_S, "load_1m": os.getloadavg()[0]}


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(orjson.dumps(asyncio.run(run(args.runs)), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
