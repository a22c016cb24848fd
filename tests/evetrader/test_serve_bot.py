"""`evetrader serve bot` as a process: answers Discord and Telegram from their fakes, makes accounts, hides tokens."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

import asyncpg
import pytest

from core.formatting import isk
from evetrader.app import App
from evetrader.bootstrap.market import region_refresher
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.discord import DiscordFake
from fakes.esi import EsiFake
from fakes.telegram import TelegramFake

pytestmark = pytest.mark.e2e
TOKEN = "123456:TEST-token"
DISCORD_TOKEN = "discord-TEST-token"
JITA_REGION, JITA_STATION = 10000002, 60003760


async def serve_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    """`evetrader serve bot` as a user starts it, in a subprocess with `env`."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "evetrader.cli", "serve", "bot", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def ingest_jita(pg_dsn: str, redis_url: str, redis_prefix: str, esi_url: str, data_dir: str) -> dict[str, Any]:
    """Real market data in the test database (the ESI fake's Jita), and the most traded quote there."""
    settings = load_settings(
        database_url=pg_dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=data_dir, esi_base_url=esi_url
    )
    async with App(settings) as ctx:
        await ctx.migrate()
        await ensure_static_data(ctx)
        await region_refresher(ctx).refresh(JITA_REGION)
        row = await ctx.pool.fetchrow(
            "SELECT t.name, q.best_sell, q.best_buy FROM market_quotes q JOIN sde_types t USING (type_id)"
            " WHERE q.location_id = $1 AND q.best_sell IS NOT NULL AND q.best_buy IS NOT NULL"
            " ORDER BY q.sell_orders + q.buy_orders DESC LIMIT 1",
            JITA_STATION,
        )
    return dict(row)


async def test_serve_bot_answers_both_platforms_and_keeps_tokens_secret(pg_dsn, redis_url, redis_prefix, tmp_path):
    async with (
        TelegramFake(TOKEN) as telegram,
        DiscordFake(DISCORD_TOKEN, guild_ids=("9001",)) as discord,
        EsiFake(regions={JITA_REGION: 3_000}) as esi,
    ):
        quote = await ingest_jita(pg_dsn, redis_url, redis_prefix, esi.base_url, str(tmp_path))
        env = os.environ | {
            "DATABASE_URL": pg_dsn,
            "REDIS_URL": redis_url,
            "EVETRADER_REDIS_PREFIX": redis_prefix,
            "EVETRADER_DATA_DIR": str(tmp_path),
            "ESI_BASE_URL": esi.base_url,
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": telegram.url,
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_BASE": discord.api_base,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
            "DISCORD_GUILD_IDS": "[9001]",
            "EVETRADER_LOG_LEVEL": "DEBUG",
        }
        proc = await serve_bot(env)
        try:
            await telegram.wait_for("setMyCommands", timeout=60)
            await discord.wait_identified(timeout=60)
            telegram.push_message("/help", chat_id=42, user_id=7)
            (sent,) = await telegram.wait_for("sendMessage", timeout=30)
            assert "/price" in sent.params["text"] and sent.params["chat_id"] in (42, "42")
            assert {c["name"] for c in discord.guild_commands["9001"]} >= {"price", "link", "settings", "analyze"}
            pushed = await discord.command("help", {}, user_id="4242")
            await discord.wait_for(discord.about(pushed), timeout=30)
            assert "/price" in str(discord.original(pushed)["embeds"])
            sell, buy = isk(quote["best_sell"]), isk(quote["best_buy"])
            telegram.push_message(f"/price {quote['name']} jita", chat_id=42, user_id=7)
            price_message = (await telegram.wait_for("sendMessage", count=2, timeout=30))[-1].params["text"]
            assert sell in price_message and buy in price_message, price_message
            pushed = await discord.command("price", {"item": quote["name"], "where": "Jita"}, user_id="4242")
            await discord.wait_for(discord.about(pushed), timeout=30)
            embeds = str(discord.original(pushed)["embeds"])
            assert sell in embeds and buy in embeds, embeds
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()[-2000:]
        logs = (out + err).decode()
        assert "TEST-token" not in logs  # neither token, not even at DEBUG
    conn = await asyncpg.connect(pg_dsn)
    try:
        identities = await conn.fetch("SELECT platform, external_id FROM account_identities ORDER BY platform")
    finally:
        await conn.close()
    assert [(r["platform"], r["external_id"]) for r in identities] == [("discord", "4242"), ("telegram", "7")]


async def test_serve_bot_without_a_token_says_what_to_set(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
    env |= {"EVETRADER_DATA_DIR": str(tmp_path)}
    proc = await serve_bot(env)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode != 0 and "set DISCORD_TOKEN and/or TELEGRAM_TOKEN" in err.decode()


async def test_serve_bot_in_webhook_mode_takes_updates_by_post(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with TelegramFake(TOKEN) as telegram:
        env = os.environ | {
            "DATABASE_URL": pg_dsn,
            "REDIS_URL": redis_url,
            "EVETRADER_REDIS_PREFIX": redis_prefix,
            "EVETRADER_DATA_DIR": str(tmp_path),
            "ESI_BASE_URL": "http://127.0.0.1:9",
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": telegram.url,
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": "webhook-secret-123",
            "WEB_PORT": str(port),
        }
        env.pop("DISCORD_TOKEN", None)
        proc = await serve_bot(env)
        try:
            (hook,) = await telegram.wait_for("setWebhook", timeout=60)
            assert hook.params["secret_token"] == "webhook-secret-123"
            await listening(port)  # the webhook listener starts right after setWebhook
            telegram.push_message("/help", chat_id=42, user_id=7)
            (sent,) = await telegram.wait_for("sendMessage", timeout=30)
            assert "/price" in sent.params["text"]
            assert telegram.calls_of("getUpdates") == []  # no polling in webhook mode
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "webhook-secret-123" not in (out + err).decode()


async def listening(port: int) -> None:
    """Wait until something accepts connections on 127.0.0.1:port."""
    async with asyncio.timeout(30):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return
