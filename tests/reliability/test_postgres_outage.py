"""Postgres stopped and started again under a running App and under `serve bot` and `serve web` processes: /price
answers from the Redis hub quotes with their age, account commands say "temporarily unavailable", nothing dies,
and everything works again after the restart."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiohttp

from core.chat import Caller, Invocation
from core.formatting import isk
from evetrader.app import App
from evetrader.bootstrap.chat import chat_deps
from evetrader.config import load_settings
from fakes.esi import EsiFake
from fakes.telegram import TelegramFake
from tests.reliability.conftest import Service, free_port, service_env
from tests.reliability.own_postgres import JITA_REGION, OwnPostgres, ingest_jita, until_ready

CALLER = Caller("telegram", "42", "Trader", chat_id="42", is_dm=True)
TOKEN = "123456:TEST-token"
UNAVAILABLE = "temporarily unavailable"


async def test_price_answers_from_redis_while_postgres_restarts(
    tmp_path: Path, redis_url: str, redis_prefix: str
) -> None:
    server = OwnPostgres()
    dsn = server.start()
    try:
        async with EsiFake(regions={JITA_REGION: 3_000}) as esi:
            quote = await ingest_jita(dsn, redis_url, redis_prefix, esi.base_url, tmp_path)
            settings = load_settings(
                database_url=dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=tmp_path,
                esi_base_url=esi.base_url, postgres_acquire_timeout_s=2, postgres_command_timeout_s=5,
            )  # fmt: skip
            async with App(settings) as app:
                gateway = (await chat_deps(app)).gateway
                price = Invocation("price", {"item": str(quote["name"]), "where": "Jita"}, CALLER)
                alerts = Invocation("alert list", {}, CALLER)
                before, alerts_before = await gateway.run(price), await gateway.run(alerts)
                server.stop()
                during, alerts_during = await gateway.run(price), await gateway.run(alerts)
                settings_during = await gateway.run(Invocation("settings hub", {"hub": "amarr"}, CALLER))
                server.start()
                after, alerts_after = await gateway.run(price), await gateway.run(alerts)
    finally:
        server.remove()
    assert not before.is_error and not alerts_before.is_error, (before.text, alerts_before.text)
    assert not during.is_error, during.text
    assert during.data["best_sell"] == quote["best_sell"] and during.data["best_buy"] == quote["best_buy"]
    assert (
        during.footer is not None and before.footer is not None and during.footer.as_of == before.footer.as_of
    )  # the cached quote's age
    assert isk(quote["best_sell"]) in str(during.fields)
    assert "history" in during.text.lower()  # a short note instead of the medians
    for reply in (alerts_during, settings_during):
        assert reply.is_error and UNAVAILABLE in reply.text, reply.text
        assert "incident" not in reply.data
    assert not after.is_error and not alerts_after.is_error, (after.text, alerts_after.text)
    assert after.fields == before.fields


async def _reply_to(telegram: TelegramFake, text: str, user_id: int) -> str:
    """Send `text` as user `user_id` in their private chat; the bot's next message there."""
    sent = len(telegram.calls_of("sendMessage"))
    telegram.push_message(text, chat_id=user_id, user_id=user_id)
    calls = await telegram.wait_for("sendMessage", count=sent + 1, timeout=60)
    return str(calls[sent].params["text"])


async def _panel_status(port: int) -> int:
    """The status of a panel page for a browser with a refresh cookie (resolving it reads Postgres)."""
    cookies, timeout = {"evt_refresh": "a-refresh-token-postgres-must-check"}, aiohttp.ClientTimeout(total=30)
    async with (
        aiohttp.ClientSession(cookies=cookies, timeout=timeout) as http,
        http.get(f"http://127.0.0.1:{port}/account", allow_redirects=False) as response,
    ):
        return response.status


async def test_serve_bot_and_web_outlive_a_postgres_restart(tmp_path: Path, redis_url: str) -> None:
    server = OwnPostgres()
    dsn = server.start()
    web_port, ops_port = free_port(), free_port()
    services: list[Service] = []
    try:
        async with TelegramFake(TOKEN) as telegram, EsiFake(regions={JITA_REGION: 3_000}) as esi:
            timeouts = {"POSTGRES_ACQUIRE_TIMEOUT_S": "2", "POSTGRES_COMMAND_TIMEOUT_S": "5"}
            ports = {"WEB_PORT": str(web_port), "OPS_PORT": str(ops_port)}
            env = service_env(dsn, redis_url, esi.base_url, tmp_path / "data", **timeouts, **ports)
            quote = await ingest_jita(dsn, redis_url, env["EVETRADER_REDIS_PREFIX"], esi.base_url, tmp_path / "data")
            bot_env = env | {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": telegram.url, "OPS_PORT": str(free_port())}
            services = [
                await Service("bot", ["serve", "bot"], bot_env, tmp_path).start(),
                await Service("web", ["serve", "web"], env, tmp_path).start(),
            ]
            await telegram.wait_for("setMyCommands", timeout=60)
            price = f"/price {quote['name']} jita"
            assert isk(quote["best_sell"]) in await _reply_to(telegram, price, 7)
            assert UNAVAILABLE not in await _reply_to(telegram, "/alert list", 7)

            server.stop()
            during = await _reply_to(telegram, price, 7)
            assert isk(quote["best_sell"]) in during and isk(quote["best_buy"]) in during, during
            assert re.search(r"Jita orders (just now|\d+ min ago)", during), during  # the Redis quote's age
            assert "history" in during.lower(), during
            for command in ("/alert list", "/settings hub amarr", "/link"):
                reply = await _reply_to(telegram, command, 8)  # 8: an account that Postgres never saw
                assert UNAVAILABLE in reply and "Incident" not in reply, (command, reply)
            assert await _panel_status(web_port) == 503  # a signed-in browser's page: "try again", not a crash
            await asyncio.sleep(2)
            dead = [s for s in services if not s.alive]
            assert not dead, "\n".join(s.tail() for s in dead)

            server.start()
            async with asyncio.timeout(60):
                while True:  # the pool reconnects on its next acquire
                    reply = await _reply_to(telegram, "/alert list", 8)
                    if UNAVAILABLE not in reply:
                        break
                    await asyncio.sleep(1)
            assert "Incident" not in reply, reply
            await until_ready(web_port, ops_port)
            assert all(s.alive for s in services), "\n".join(s.tail() for s in services)
    finally:
        codes = [await s.stop() for s in services]
        server.remove()
    assert codes == [0, 0], "\n".join(s.tail() for s in services)
