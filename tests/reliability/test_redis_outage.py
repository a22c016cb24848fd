"""Redis stopped for 30 s under `evetrader run`, `serve scheduler` (queue mode) and `serve worker`: every process
stays up (the panel keeps answering) and ingestion resumes once Redis is back."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from adapters.embedded import EmbeddedRedis
from fakes.esi import EsiFake
from tests.reliability.conftest import AMARR, Service, free_port, newest_generation, service_env, wait_for_generation

OUTAGE_S = 30.0


async def healthz(port: int) -> int:
    """The panel's /healthz status."""
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as response:
        return response.status


async def test_every_service_survives_a_redis_outage_and_ingests_after(
    pg_dsn: str, other_pg_dsn: str, tmp_path: Path
) -> None:
    redis = EmbeddedRedis(tmp_path)
    redis_url = redis.start()
    port = free_port()
    services: list[Service] = []
    try:
        async with EsiFake(regions={AMARR: 1_000}, cache_seconds=5, auto_refresh=True) as esi:
            single = service_env(
                pg_dsn, redis_url, esi.base_url, tmp_path / "run", INGEST_REGIONS=f"[{AMARR}]", WEB_PORT=str(port)
            )
            split = service_env(
                other_pg_dsn,
                redis_url,
                esi.base_url,
                tmp_path / "split",
                INGEST_REGIONS=f"[{AMARR}]",
                INGEST_MODE="queue",
            )
            services = [
                await Service("run", ["run"], single, tmp_path).start(),
                await Service("scheduler", ["serve", "scheduler"], split, tmp_path).start(),
                await Service("worker", ["serve", "worker"], split, tmp_path).start(),
            ]
            before = {
                dsn: await wait_for_generation(dsn, AMARR, 0, services, limit_s=180) for dsn in (pg_dsn, other_pg_dsn)
            }
            assert await healthz(port) == 200

            redis.close()  # Redis stops (and saves): every service loses it for OUTAGE_S
            loop = asyncio.get_running_loop()
            until = loop.time() + OUTAGE_S
            while loop.time() < until:
                dead = [s for s in services if not s.alive]
                assert not dead, "\n".join(s.tail() for s in dead)
                await asyncio.sleep(1)
            assert await healthz(port) == 200  # the panel is still up while Redis is away
            during = {dsn: await newest_generation(dsn, AMARR) for dsn in before}
            redis.start()  # the same socket again

            for dsn in before:
                await wait_for_generation(dsn, AMARR, during[dsn], services, limit_s=120)
            assert all(s.alive for s in services), "\n".join(s.tail() for s in services)
    finally:
        codes = [await s.stop() for s in services]
        redis.close()
    assert codes == [0, 0, 0], "\n".join(s.tail() for s in services)
