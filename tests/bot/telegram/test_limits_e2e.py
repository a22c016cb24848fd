"""Telegram through the production gateway parts: a Redis rate limit with its wait message, and account rows."""

from __future__ import annotations

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.postgres.accounts import PgIdentityStore
from adapters.redis.interaction_state import RedisInteractionState
from adapters.redis.ratelimit import RedisRateLimiter
from bot.telegram.adapter import build_application, start, stop
from core.chat.gateway import CommandGateway
from core.chat.model import Caller
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from fakes.telegram import TelegramFake
from tests.bot.telegram.harness import BOT, DM, TLS, TOKEN, USER
from tests.core.commands.market_helpers import CATALOG, context, trit_market

pytestmark = pytest.mark.e2e


async def test_a_user_over_the_limit_gets_the_wait_message_and_has_one_account(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str, interaction_state: RedisInteractionState
):
    market = trit_market()

    async def context_for(caller: Caller) -> CommandContext:
        return context(market)

    limiter = RedisRateLimiter(redis_client, redis_prefix, per_minute=1, burst=2)
    gateway = CommandGateway(
        build_registry(), context_for, completer=CATALOG, identities=PgIdentityStore(pg_pool), limiter=limiter
    )
    async with TelegramFake(TOKEN, bot_username=BOT) as fake:
        app = build_application(
            TOKEN, gateway, interaction_state, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot", tls=TLS
        )
        await start(app, poll_timeout=1.0)
        try:
            for sent in range(1, 4):
                fake.push_message("/price tritanium jita", DM, USER)
                await fake.wait_for("sendMessage", sent, timeout=10)
        finally:
            await stop(app)
        texts = [call.params["text"] for call in fake.calls_of("sendMessage")]
    assert "4.90" in texts[0] and "4.90" in texts[1]
    assert "try again in" in texts[2] and "4.90" not in texts[2]
    rows = await pg_pool.fetch("SELECT platform, external_id FROM account_identities")
    assert [(r["platform"], r["external_id"]) for r in rows] == [("telegram", str(USER))]
