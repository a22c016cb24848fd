"""`serve scheduler` and `serve web` as processes: each answers /healthz, /readyz (its role) and /metrics (its own
metrics) on its own OPS_PORT; the public web port has no /metrics; a hung Redis makes /readyz say so within 2 s."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from adapters.crypto import TokenCipher
from fakes.esi import EsiFake
from tests.evetrader.tcp_proxy import HangingProxy

pytestmark = pytest.mark.e2e
JITA_REGION = 10000002


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def serve(service: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`evetrader serve <service>` as a user starts it."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "evetrader.cli", "serve", service, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def fetch(port: int, path: str) -> tuple[int, Any]:
    """Status and body (JSON, or text for /metrics and errors) of GET http://127.0.0.1:port/path."""
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{path}") as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


async def until(port: int, path: str, accept: Callable[[int, Any], bool]) -> tuple[int, Any]:
    """Poll until the answer is accepted (the process may still be starting, 90 s at most); the accepted answer."""
    last: object = None
    async with asyncio.timeout(90):
        while True:
            try:
                last = await fetch(port, path)
                if accept(*last):
                    return last
            except aiohttp.ClientConnectionError as exc:
                last = exc
            await asyncio.sleep(0.2)
    raise AssertionError(last)  # pragma: no cover (the timeout raises first)


async def stop(proc: asyncio.subprocess.Process) -> str:
    """SIGTERM, then the process's output; it must exit 0."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()[-3000:]
    return (out + err).decode()


async def test_scheduler_and_web_each_report_on_their_ops_port(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    ops_scheduler, ops_web, web_port = free_port(), free_port(), free_port()
    async with EsiFake(regions={JITA_REGION: 500}) as esi, HangingProxy(redis_url) as proxy:
        base = os.environ | {
            "DATABASE_URL": pg_dsn,
            "EVETRADER_REDIS_PREFIX": redis_prefix,
            "EVETRADER_DATA_DIR": str(tmp_path),
            "ESI_BASE_URL": esi.base_url,
            "INGEST_REGIONS": f"[{JITA_REGION}]",
            "EVE_CLIENT_ID": "ops-test-client",  # SSO configured: the panel mounts /link/{code}
            "ENCRYPTION_KEYS": TokenCipher.new_key_entry("k1"),
            "SSO_BASE_URL": "http://127.0.0.1:9",
        }
        scheduler = await serve("scheduler", base | {"REDIS_URL": redis_url, "OPS_PORT": str(ops_scheduler)})
        web = await serve("web", base | {"REDIS_URL": proxy.url, "OPS_PORT": str(ops_web), "WEB_PORT": str(web_port)})
        try:
            status, ready = await until(
                ops_scheduler, "/readyz", lambda s, b: s == 200 and b["checks"]["scheduler"] == "leader"
            )
            assert ready["checks"]["postgres"] == ready["checks"]["redis"] == "ok" and ready["failing"] == []
            _, live = await fetch(ops_scheduler, "/healthz")
            assert live["status"] == "ok" and live["tasks"]["scheduler"] == "running"
            _, metrics = await until(ops_scheduler, "/metrics", lambda s, b: 'esi_requests_total{status="200"}' in b)
            assert 'evetrader_role_ready{role="scheduler",state="leader"} 1.0' in metrics
            assert "esi_response_bytes_total" in metrics

            status, ready = await until(ops_web, "/readyz", lambda s, b: s == 200)
            assert set(ready["checks"]) == {"startup", "postgres", "redis"}
            assert {r["region_id"] for r in ready["regions"]} <= {JITA_REGION}  # region ages where Postgres is
            _, live = await fetch(ops_web, "/healthz")
            assert live["tasks"] == {"operations": "running", "web": "running"}
            assert (await fetch(web_port, "/healthz"))[0] == 200
            assert (await fetch(web_port, "/metrics"))[0] == 404  # not on the public port
            link_status, _ = await fetch(web_port, "/link/SECRETCODE123")  # an unknown code: 410
            _, metrics = await fetch(ops_web, "/metrics")
            assert f'route="/link/{{code}}",status="{link_status}"' in metrics and "SECRETCODE123" not in metrics
            assert 'route="/healthz",status="200"' in metrics and 'route="unmatched",status="404"' in metrics
            assert "esi_requests_total{" not in metrics  # the web process ingests nothing

            proxy.hang()  # Redis stops answering the web process (connections stay open)
            started = time.monotonic()
            status, ready = await fetch(ops_web, "/readyz")
            elapsed = time.monotonic() - started
            assert status == 503 and ready["failing"] == ["redis"], ready
            assert elapsed < 2.0
        finally:
            for proc in (scheduler, web):
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            logs = await stop(scheduler)
            web_out, web_err = await asyncio.wait_for(web.communicate(), 60)
    assert "operations listening" in logs
    assert "SECRETCODE123" not in (web_out + web_err).decode()
