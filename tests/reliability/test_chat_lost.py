"""`serve bot` when its chat connection dies: a Discord gateway outage is waited out (readiness names the platform
disconnected meanwhile, then it reconnects); a revoked token (Discord's close 4004, Telegram's 401 from getUpdates)
ends the process non-zero with one clear line and the token in no log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from fakes.discord import DiscordFake
from fakes.telegram import TelegramFake
from tests.reliability.conftest import Service, free_port, service_env

DISCORD_TOKEN, TELEGRAM_TOKEN = "discord-TEST-token", "123456:TEST-token"
NO_ESI = "http://127.0.0.1:9"  # the bot asks ESI nothing here


async def readyz(port: int) -> tuple[int, dict[str, Any]]:
    """The ops listener's /readyz status and body."""
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
        http.get(f"http://127.0.0.1:{port}/readyz") as response,
    ):
        return response.status, await response.json()


async def until_check(port: int, role: str, detail: str, bot: Service, limit_s: float = 60) -> int:
    """Wait until /readyz reports `role` as `detail` (failing early if the bot dies); the status it answered."""
    async with asyncio.timeout(limit_s):
        while True:
            assert bot.alive, bot.tail()
            try:
                status, body = await readyz(port)
            except aiohttp.ClientError:
                status, body = 0, {}
            if body.get("checks", {}).get(role) == detail:
                return status
            await asyncio.sleep(0.3)


async def exit_code(bot: Service, limit_s: float = 60) -> int:
    """Wait for the process to end by itself; its exit code."""
    assert bot.proc is not None
    async with asyncio.timeout(limit_s):
        return await bot.proc.wait()


def lost_lines(bot: Service) -> list[str]:
    """The log's messages saying a chat platform was lost."""
    messages = []
    for line in bot.log.read_text(errors="replace").splitlines():
        try:
            messages.append(str(json.loads(line).get("event", "")))
        except json.JSONDecodeError:
            messages.append(line)  # the exit message on stderr
    return [message for message in messages if "chat platform lost" in message]


async def test_discord_gateway_outage_is_waited_out_and_a_reset_token_ends_the_bot(
    pg_dsn: str, redis_url: str, tmp_path: Path
) -> None:
    ops_port = free_port()
    async with DiscordFake(DISCORD_TOKEN) as discord:
        env = service_env(pg_dsn, redis_url, NO_ESI, tmp_path / "data", OPS_PORT=str(ops_port))
        env |= {"DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_BASE": discord.api_base,
                "DISCORD_GATEWAY_URL": discord.gateway_url, "DISCORD_GUILD_IDS": "[9001]"}  # fmt: skip
        bot = await Service("bot", ["serve", "bot"], env, tmp_path).start()
        try:
            assert await until_check(ops_port, "discord", "connected", bot) == 200

            await discord.gateway.outage()  # sessions closed with 4000, reconnects refused
            assert await until_check(ops_port, "discord", "disconnected", bot) == 503
            await asyncio.sleep(3)  # a few refused reconnects
            assert bot.alive, bot.tail()
            assert (await readyz(ops_port))[0] == 503

            discord.gateway.down = False
            assert await until_check(ops_port, "discord", "connected", bot) == 200

            await discord.reset_token("discord-NEW-token")  # close 4004: the token is no good any more
            code = await exit_code(bot)
        finally:
            await bot.stop()
    assert code != 0, bot.tail()
    assert len(lost_lines(bot)) == 1 and "discord gateway" in lost_lines(bot)[0], bot.tail()
    assert "TEST-token" not in bot.log.read_text(errors="replace")


async def test_telegram_token_revoked_ends_the_bot_with_one_clear_line(
    pg_dsn: str, redis_url: str, tmp_path: Path
) -> None:
    ops_port = free_port()
    async with TelegramFake(TELEGRAM_TOKEN) as telegram:
        env = service_env(pg_dsn, redis_url, NO_ESI, tmp_path / "data", OPS_PORT=str(ops_port))
        env |= {"TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_API_BASE": telegram.url}
        bot = await Service("bot", ["serve", "bot"], env, tmp_path).start()
        try:
            assert await until_check(ops_port, "telegram", "connected", bot) == 200
            telegram.token = "123456:NEW-token"  # revoked with BotFather: the old token gets 401 Unauthorized
            code = await exit_code(bot)
        finally:
            await bot.stop()
    assert code != 0, bot.tail()
    assert len(lost_lines(bot)) == 1 and "telegram polling" in lost_lines(bot)[0], bot.tail()
    assert "TEST-token" not in bot.log.read_text(errors="replace")
