"""The operations listener (web.ops) over real Postgres and Redis: liveness, readiness within 2 s, metrics."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from adapters.postgres.orderbook import PgOrderBookStore
from evetrader.probes import postgres_probe, redis_probe
from tests.evetrader.tcp_proxy import HangingProxy
from web.ops import Ops, Status


@pytest_asyncio.fixture(loop_scope="session")
async def ops() -> AsyncIterator[Ops]:
    """An Ops listening on a free loopback port, closed afterwards."""
    ops = Ops()
    stop = asyncio.Event()
    await ops.listen("127.0.0.1", 0)
    ops.started = True
    serving = asyncio.create_task(ops.serve(stop))
    yield ops
    stop.set()
    await serving


async def get(ops: Ops, path: str) -> tuple[int, dict[str, object] | str]:
    """Status and JSON body (text for /metrics) of one request to the listener."""
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{ops.port}{path}") as response:
        body = await response.text() if path == "/metrics" else await response.json()
        return response.status, body


async def test_ready_with_postgres_and_redis_and_region_ages(ops: Ops, pg_pool: asyncpg.Pool, redis_client) -> None:
    await pg_pool.execute(
        "INSERT INTO market_snapshots (region_id, status, orders, last_modified) VALUES (10000002, 'ok', 5, now())"
    )
    ops.probe("postgres", postgres_probe(PgOrderBookStore(pg_pool)))
    ops.probe("redis", redis_probe(redis_client))
    status, body = await get(ops, "/readyz")
    assert status == 200, body
    assert isinstance(body, dict) and body["failing"] == []
    assert body["checks"] == {"startup": "started", "postgres": "ok", "redis": "ok"}
    regions = body["regions"]
    assert isinstance(regions, list) and len(regions) == 1
    region = regions[0]
    assert region["region_id"] == 10000002 and region["orders"] == 5 and region["age_s"] is not None


async def test_hung_redis_answers_503_naming_redis_within_2_s(ops: Ops, pg_pool: asyncpg.Pool, redis_url) -> None:
    async with HangingProxy(redis_url) as proxy:
        client = aioredis.from_url(proxy.url, socket_connect_timeout=3, socket_timeout=10)  # as the App opens it
        try:
            await client.ping()
            ops.probe("postgres", postgres_probe(PgOrderBookStore(pg_pool)))
            ops.probe("redis", redis_probe(client))
            proxy.hang()
            started = time.monotonic()
            status, body = await get(ops, "/readyz")
            elapsed = time.monotonic() - started
        finally:
            await client.aclose(close_connection_pool=True)
    assert status == 503 and isinstance(body, dict)
    assert body["failing"] == ["redis"] and body["status"] == "unavailable"
    assert body["checks"]["postgres"] == "ok" and "no answer" in body["checks"]["redis"]  # type: ignore[index]
    assert elapsed < 2.0  # the redis client alone would wait 10 s (its socket timeout)


async def test_unreachable_redis_is_named_at_once(ops: Ops) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the socket is closed
    client = aioredis.from_url(f"redis://127.0.0.1:{port}/0", socket_connect_timeout=3)
    try:
        ops.probe("redis", redis_probe(client))
        status, body = await get(ops, "/readyz")
    finally:
        await client.aclose()
    assert status == 503 and body["failing"] == ["redis"]  # type: ignore[index]
    assert body["checks"]["redis"].startswith("error: ")  # type: ignore[index]


async def test_not_ready_before_start_and_while_a_role_fails(ops: Ops) -> None:
    ops.started = False
    connected = {"discord": False}
    ops.role("discord", lambda: Status(connected["discord"], "connected" if connected["discord"] else "disconnected"))
    status, body = await get(ops, "/readyz")
    assert status == 503 and body["failing"] == ["startup", "discord"]  # type: ignore[index]
    ops.started, connected["discord"] = True, True
    status, body = await get(ops, "/readyz")
    assert status == 200 and body["checks"]["discord"] == "connected"  # type: ignore[index]


async def test_liveness_fails_when_a_critical_task_ends(ops: Ops) -> None:
    forever = asyncio.Event()
    ops.track("scheduler", forever.wait())
    status, body = await get(ops, "/healthz")
    assert status == 200 and body == {"status": "ok", "tasks": {"scheduler": "running"}, "failing": []}

    async def crash() -> None:
        raise RuntimeError("gateway closed")

    crashed = ops.track("discord", crash())
    with pytest.raises(RuntimeError):
        await crashed
    status, body = await get(ops, "/healthz")
    assert status == 503 and body["failing"] == ["discord"]  # type: ignore[index]
    assert body["tasks"]["discord"] == "failed: RuntimeError"  # type: ignore[index]
    forever.set()


async def test_metrics_export_process_metrics_tasks_and_roles(ops: Ops) -> None:
    ops.track("worker", asyncio.Event().wait())
    ops.role("worker", lambda: Status(True, "consumer group joined"))
    status, text = await get(ops, "/metrics")
    assert status == 200 and isinstance(text, str)
    assert "python_info" in text  # the process-wide registry
    assert 'evetrader_task_up{task="worker"} 1.0' in text
    assert 'evetrader_role_ready{role="worker",state="consumer group joined"} 1.0' in text


async def test_a_port_in_use_stops_with_a_clear_line(ops: Ops) -> None:
    assert ops.port is not None
    with pytest.raises(SystemExit, match="set OPS_PORT"):
        await Ops().listen("127.0.0.1", ops.port)


async def test_metrics_carry_each_regions_data_age(ops: Ops, pg_pool: asyncpg.Pool) -> None:
    await pg_pool.execute(
        "INSERT INTO market_snapshots (region_id, status, orders, last_modified)"
        " VALUES (10000043, 'ok', 5, now() - interval '2 hours')"
    )
    ops.probe("postgres", postgres_probe(PgOrderBookStore(pg_pool)))
    status, text = await get(ops, "/metrics")
    assert status == 200 and isinstance(text, str)
    (line,) = [
        ln for ln in text.splitlines() if ln.startswith('evetrader_region_data_age_seconds{region_id="10000043"}')
    ]
    assert 7190 <= float(line.split()[-1]) <= 7300  # two hours, read at scrape time
