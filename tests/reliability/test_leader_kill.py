"""kill -9 of the scheduler leader in the middle of an ingest: a standby takes over, the snapshot that was live
stays whole, and the next one completes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from fakes.esi import EsiFake
from tests.reliability.conftest import AMARR, Service, newest_generation, service_env, wait_for_generation

ORDERS = "/markets/10000043/orders"


async def live_snapshot_is_whole(dsn: str) -> tuple[int, int]:
    """(orders the live snapshot says it has, orders readable for the region): equal when it is whole."""
    conn = await asyncpg.connect(dsn)
    try:
        meta = await conn.fetchval("SELECT orders FROM market_snapshots WHERE region_id = $1", AMARR)
        rows = await conn.fetchval("SELECT count(*) FROM market_orders WHERE region_id = $1", AMARR)
    finally:
        await conn.close()
    return int(meta), int(rows)


def leads(service: Service) -> bool:
    return "scheduler leadership acquired" in service.log.read_text(errors="replace")


async def test_a_standby_takes_over_from_a_killed_leader_mid_ingest(
    pg_dsn: str, redis_url: str, tmp_path: Path
) -> None:
    async with EsiFake(regions={AMARR: 2_500}, cache_seconds=5, auto_refresh=True) as esi:
        env = service_env(
            pg_dsn, redis_url, esi.base_url, tmp_path / "data", INGEST_REGIONS=f"[{AMARR}]", SCHEDULER_LEADER_TTL_S="6"
        )
        leader = await Service("leader", ["serve", "scheduler"], env, tmp_path).start()
        services = [leader]
        try:
            first = await wait_for_generation(pg_dsn, AMARR, 0, services, limit_s=180)
            standby = await Service("standby", ["serve", "scheduler"], env, tmp_path).start()
            services.append(standby)
            await asyncio.sleep(3)
            assert leads(leader) and not leads(standby)

            seen = len(esi.requests)
            esi.faults.timeouts(count=1, delay_s=120, path=ORDERS, page=2)  # the next ingest hangs on page 2
            async with asyncio.timeout(60):
                while not any(r.path == ORDERS and r.query.get("page") == "2" for r in esi.requests[seen:]):  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
            live = await newest_generation(pg_dsn, AMARR)
            leader.kill()  # kill -9 in the middle of that ingest
            await leader.proc.wait()  # type: ignore[union-attr]

            meta_orders, rows = await live_snapshot_is_whole(pg_dsn)
            assert meta_orders == rows > 0 and await newest_generation(pg_dsn, AMARR) == live >= first
            await wait_for_generation(pg_dsn, AMARR, live, [standby], limit_s=120)  # the next one completes
            assert leads(standby)
            meta_orders, rows = await live_snapshot_is_whole(pg_dsn)
            assert meta_orders == rows > 0
        finally:
            codes = [await s.stop() for s in services]
    assert codes[1:] == [0], "\n".join(s.tail() for s in services)
