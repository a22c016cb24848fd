"""SIGTERM ends every service (`serve bot`, `serve web`, `serve scheduler`, `serve worker`, `run`) within 10 s while
Postgres hangs (SIGSTOPped: connections neither answer nor fail), even with a command and a request waiting on it."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

import aiohttp

from fakes.esi import EsiFake
from fakes.telegram import TelegramFake
from tests.reliability.conftest import Service, free_port, service_env
from tests.reliability.own_postgres import JITA_REGION, OwnPostgres, ingest_jita, until_ready

TOKEN = "123456:TEST-token"
SHUTDOWN_BOUND_S = 10.0  # the bound for every service


async def _exit_time(service: Service) -> float:
    """SIGTERM the service; seconds until it exited (60 when it had to be killed)."""
    assert service.proc is not None
    loop = asyncio.get_running_loop()
    started = loop.time()
    service.proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(service.proc.wait(), 60)
    except TimeoutError:
        service.proc.kill()
        await service.proc.wait()
        return 60.0
    return loop.time() - started


async def _page(port: int) -> None:
    """A panel request that waits on the database (left hanging while Postgres is frozen)."""
    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            await http.get(f"http://127.0.0.1:{port}/api/v1/account", headers={"Authorization": "Bearer x.y.z"})


async def test_sigterm_ends_bot_and_web_within_10_s_while_postgres_hangs(tmp_path: Path, redis_url: str) -> None:
    server = OwnPostgres()
    dsn = server.start()
    web_port, ops_port = free_port(), free_port()
    services: list[Service] = []
    try:
        async with TelegramFake(TOKEN) as telegram, EsiFake(regions={JITA_REGION: 1_000}) as esi:
            env = service_env(dsn, redis_url, esi.base_url, tmp_path / "data", WEB_PORT=str(web_port),
                              OPS_PORT=str(ops_port))  # fmt: skip
            await ingest_jita(dsn, redis_url, env["EVETRADER_REDIS_PREFIX"], esi.base_url, tmp_path / "data")
            bot_env = env | {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": telegram.url, "OPS_PORT": str(free_port())}
            services = [
                await Service("bot", ["serve", "bot"], bot_env, tmp_path).start(),
                await Service("web", ["serve", "web"], env, tmp_path).start(),
            ]
            await telegram.wait_for("setMyCommands", timeout=60)
            await until_ready(web_port, ops_port)
            telegram.push_message("/alert list", chat_id=7, user_id=7)
            await telegram.wait_for("sendMessage", timeout=60)  # the bot and its pool are warm

            with server.frozen():
                telegram.push_message("/alert list", chat_id=8, user_id=8)  # waits on the frozen server
                page = asyncio.create_task(_page(web_port))
                await asyncio.sleep(2)
                assert all(s.alive for s in services), "\n".join(s.tail() for s in services)
                bot_s, web_s = await asyncio.gather(*(_exit_time(s) for s in services))
                page.cancel()
    finally:
        for service in services:
            await service.stop()
        server.remove()
    assert bot_s < SHUTDOWN_BOUND_S, f"serve bot took {bot_s:.1f} s\n{services[0].tail()}"
    assert web_s < SHUTDOWN_BOUND_S, f"serve web took {web_s:.1f} s\n{services[1].tail()}"


async def _healthy(port: int) -> None:
    """Wait until the ops listener on `port` answers /healthz with 200."""
    async with asyncio.timeout(90), aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        while True:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.5)


async def test_sigterm_ends_run_scheduler_and_worker_within_10_s_while_postgres_hangs(
    tmp_path: Path, redis_url: str
) -> None:
    server = OwnPostgres()
    dsn = server.start()
    services: list[Service] = []
    try:
        async with EsiFake(regions={JITA_REGION: 1_000}, cache_seconds=2, auto_refresh=True) as esi:
            env = service_env(dsn, redis_url, esi.base_url, tmp_path / "data", INGEST_REGIONS=f"[{JITA_REGION}]")
            await ingest_jita(dsn, redis_url, env["EVETRADER_REDIS_PREFIX"], esi.base_url, tmp_path / "data")
            ops = [free_port() for _ in range(3)]
            queue = env | {"INGEST_MODE": "queue"}
            services = [
                await Service(
                    "run", ["run"], env | {"WEB_PORT": str(free_port()), "OPS_PORT": str(ops[0])}, tmp_path
                ).start(),
                await Service("scheduler", ["serve", "scheduler"], queue | {"OPS_PORT": str(ops[1])}, tmp_path).start(),
                await Service("worker", ["serve", "worker"], queue | {"OPS_PORT": str(ops[2])}, tmp_path).start(),
            ]
            for port in ops:
                await _healthy(port)
            await asyncio.sleep(3)  # ingestion rounds under way (the fake's data expires every 2 s)
            with server.frozen():
                await asyncio.sleep(2)
                assert all(s.alive for s in services), "\n".join(s.tail() for s in services)
                times = await asyncio.gather(*(_exit_time(s) for s in services))
    finally:
        for service in services:
            await service.stop()
        server.remove()
    slow = {s.name: round(t, 1) for s, t in zip(services, times, strict=True) if t >= SHUTDOWN_BOUND_S}
    assert not slow, f"{slow}\n" + "\n".join(s.tail() for s in services if s.name in slow)
