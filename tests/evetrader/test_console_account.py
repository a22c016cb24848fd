"""The console as a chat platform: `evetrader chat` runs through the command gateway with an account per OS user."""

from __future__ import annotations

import asyncio
import getpass
import io
import os
import sys
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.crypto import TokenCipher
from adapters.redis.ratelimit import RedisRateLimiter
from bot.console.repl import ConsoleChat, console_caller
from core.chat import Caller, CommandContext, Param, Registry, Reply
from core.chat.gateway import CommandGateway

EVETRADER = [sys.executable, "-m", "evetrader.cli"]
NOT_AVAILABLE = "not available right now"
pytestmark = pytest.mark.e2e


async def chat(*args: str, stdin: str, env: dict[str, str]) -> tuple[int, str, str]:
    """`evetrader chat` in a subprocess with lines piped in; (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        *EVETRADER,
        "chat",
        *args,
        env=os.environ | env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate(stdin.encode())
    return proc.returncode or 0, out.decode(), err.decode()


def env_for(pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "ESI_BASE_URL": "http://127.0.0.1:9",
        "EVETRADER_DATA_DIR": str(tmp_path),
        "EVETRADER_LOG_FORMAT": "json",
        "PUBLIC_URL": "http://panel.test",
        "EVE_CLIENT_ID": "console-test-client",  # SSO configured: /link and /characters are on
        "ENCRYPTION_KEYS": TokenCipher.new_key_entry("k1"),
        "SSO_BASE_URL": "http://127.0.0.1:9",
    }


async def test_console_user_gets_an_account_and_its_commands_work(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, tmp_path)
    lines = [
        "/alert add tritanium sell below 4.5 jita",
        "/watch add tritanium",
        "/settings hub amarr",
        "/settings show",
        "/link",
        "/characters",
    ]
    _, out, _ = await chat("--as", "tester", stdin="\n".join(lines) + "\n", env=env)
    assert NOT_AVAILABLE not in out, out
    assert "link a chat first" in out  # nowhere to deliver an alert yet: the reply says how to get one
    assert "Watching Tritanium." in out
    assert "Your default hub is now Amarr." in out and "Your default hub: Amarr" in out
    assert "http://panel.test/link/" in out  # the console is private to its OS user: the link is printed
    assert "No characters linked yet" in out
    conn = await asyncpg.connect(pg_dsn)
    try:
        identity = await conn.fetchrow(
            "SELECT account_id, display_name FROM account_identities WHERE platform = 'console' AND external_id = $1",
            f"{getpass.getuser()}:tester",
        )
        assert identity is not None and identity["display_name"] == "tester"
        assert await conn.fetchval("SELECT count(*) FROM alert_rules") == 0  # the refused alert stored nothing
        assert await conn.fetchval("SELECT count(*) FROM watchlist") == 1
    finally:
        await conn.close()


async def test_console_alerts_go_to_the_accounts_linked_chat(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, tmp_path)
    code, out, err = await chat("--as", "linked", stdin="/settings show\n", env=env)
    assert code == 0, err
    conn = await asyncpg.connect(pg_dsn)
    try:
        account = await conn.fetchval(
            "SELECT account_id FROM account_identities WHERE platform = 'console' AND external_id = $1",
            f"{getpass.getuser()}:linked",
        )
        await conn.execute(  # what /link in Telegram with the same EVE character ends in: one account
            "INSERT INTO account_identities (platform, external_id, account_id, display_name, last_seen_at)"
            " VALUES ('telegram', '4242', $1, 'pilot', now() - interval '1 day')",
            account,
        )
        lines = "/alert add tritanium sell below 4.5 jita\n/watch digest on 8\n"
        code, out, err = await chat("--as", "linked", stdin=lines, env=env)
        assert code == 0, out + err
        assert "Tritanium sell below 4.50 at Jita, to your Telegram DMs." in out
        assert "Daily digest on: every day at 08:00 UTC, to your Telegram DMs." in out
        target = await conn.fetchrow("SELECT target_platform, target_kind, target_address FROM alert_rules")
        assert tuple(target) == ("telegram", "dm", "4242")
    finally:
        await conn.close()


async def test_a_malformed_console_name_is_refused(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, tmp_path)
    code, _, err = await chat("--as", "root bob", "-c", "/settings", stdin="", env=env)
    assert code == 2 and "--as: 'root bob' is not a name" in err


async def test_piped_lines_wait_out_the_rate_limit(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    registry = Registry()

    @registry.command("echo", "Say it back", Param("text", "What to say"))
    async def echo(ctx: CommandContext, text: str) -> Reply:
        return Reply(text=text)

    async def context_for(caller: Caller) -> CommandContext:
        return CommandContext()

    limiter = RedisRateLimiter(redis_client, f"{redis_prefix}rate:", per_minute=600, burst=1)  # one per 0.1 s
    console = ConsoleChat(CommandGateway(registry, context_for, limiter=limiter), console_caller("pilot"))
    out = io.StringIO()
    code = await console.repl(io.StringIO("echo one\necho two\necho three\n"), out)
    assert code == 0 and out.getvalue() == "one\ntwo\nthree\n"  # throttled, not refused
