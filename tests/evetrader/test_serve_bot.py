"""`evetrader serve bot` as a process: answers Telegram commands from the fake, never logs the token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from fakes.telegram import TelegramFake

pytestmark = pytest.mark.e2e
TOKEN = "123456:TEST-token"


async def test_serve_bot_answers_and_keeps_the_token_secret(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    async with TelegramFake(TOKEN) as fake:
        env = os.environ | {
            "DATABASE_URL": pg_dsn,
            "REDIS_URL": redis_url,
            "EVETRADER_REDIS_PREFIX": redis_prefix,
            "EVETRADER_DATA_DIR": str(tmp_path),
            "ESI_BASE_URL": "http://127.0.0.1:9",
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": fake.url,
            "EVETRADER_LOG_LEVEL": "DEBUG",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "evetrader.cli",
            "serve",
            "bot",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await fake.wait_for("setMyCommands", timeout=60)
            fake.push_message("/help", chat_id=42, user_id=7)
            (sent,) = await fake.wait_for("sendMessage", timeout=30)
            assert "/price" in sent.params["text"] and sent.params["chat_id"] in (42, "42")
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "TEST-token" not in (out + err).decode()  # not even at DEBUG


async def test_serve_bot_without_a_token_says_what_to_set(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_TOKEN"} | {"EVETRADER_DATA_DIR": str(tmp_path)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "evetrader.cli",
        "serve",
        "bot",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode != 0 and "set TELEGRAM_TOKEN" in err.decode()
