"""A sales notice end to end: the ESI fake's wallet gains a sell -> wallet refresh -> outbox -> dispatcher -> Redis
stream -> DeliveryWorker with python-telegram-bot -> the Telegram fake; exactly once, a later refresh sends nothing.
The row names the item sold; its character may only read its wallet, so the message has no "Open in game" button."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis
import telegram

from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.outbox import PgOutbox
from adapters.postgres.profile import PgCharacterProfiles
from adapters.postgres.wallet import PgWalletStore
from adapters.postgres.watchlist import PgTypeNames
from adapters.redis.alert_stream import AlertStream
from adapters.redis.keys import RedisKeys
from bot.delivery import DeliveryWorker
from bot.telegram.deliver import TelegramAlertSender
from core.accounts.sso import SCOPE_WALLET
from core.trading.windows import can_open_windows
from evetrader.bootstrap.alerts import alert_dispatcher
from evetrader.config import PLATFORM_NAMES
from fakes.esi.wallet import set_wallet
from fakes.telegram import TelegramFake
from scheduler.wallet import notify_trades, refresh_wallets
from tests.scheduler.test_wallet import JOE, world  # noqa: F401  (the ESI and SSO fakes with JOE linked)

pytestmark = pytest.mark.e2e
TELEGRAM_TOKEN = "123456:TEST-token"
RAVEN = 638


def _tx(transaction_id: int, at: datetime, is_buy: bool, unit_price: float) -> dict[str, object]:
    """One ESI wallet transaction of 3 Ravens in Jita 4-4."""
    return {
        "transaction_id": transaction_id, "date": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "type_id": RAVEN, "quantity": 3,
        "unit_price": unit_price, "is_buy": is_buy, "location_id": 60003760, "journal_ref_id": 10 * transaction_id,
        "client_id": 1000, "is_personal": True,
    }  # fmt: skip


async def test_a_new_sale_reaches_telegram_once(
    world: Any,  # noqa: F811
    pg_pool: asyncpg.Pool,
    redis_client: aioredis.Redis,
    redis_prefix: str,
) -> None:
    clock, esi, tokens, wallet, transport = world
    await pg_pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES ($1, 'Raven', 27) ON CONFLICT DO NOTHING", RAVEN
    )
    subjects = await PgCharacterOrderStore(pg_pool).characters_with_scope(SCOPE_WALLET)
    [subject] = subjects
    await pg_pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id, display_name)"
        " VALUES ('telegram', '4242', $1, 'Trader')",
        subject.account_id,
    )
    store, keys = PgWalletStore(pg_pool, PLATFORM_NAMES), RedisKeys(redis_prefix)  # as the bootstrap wires it
    now = clock()
    bought = _tx(1, now - timedelta(days=2), True, 150e6)
    sold = _tx(2, now - timedelta(minutes=30), False, 185.3e6)

    async def refresh() -> int:
        """The scheduler's wallet job for the linked characters, then the notices it writes (as refresh_app_wallets)."""
        clock.offset += 3700  # past ESI's Expires
        transport.expiry.forget(f"/characters/{JOE}/wallet/transactions/")
        transport.expiry.forget(f"/characters/{JOE}/wallet/journal/")
        summary = await refresh_wallets(tokens, wallet, store, subjects, clock=clock)
        assert summary.failed == {}
        return await notify_trades(PgTypeNames(pg_pool).names, store, summary, subjects)

    async with TelegramFake(TELEGRAM_TOKEN) as fake, telegram.Bot(TELEGRAM_TOKEN, base_url=f"{fake.url}/bot") as bot:
        stream = AlertStream(redis_client, keys, "telegram")
        profiles = PgCharacterProfiles(pg_pool)
        worker = DeliveryWorker(
            stream,
            PgOutbox(pg_pool),
            TelegramAlertSender(bot),
            consumer="one",
            can_open=lambda account_id: can_open_windows(profiles, account_id),
        )

        async def deliver() -> None:
            await alert_dispatcher(pg_pool, redis_client, keys).dispatch_due()
            await worker.process_once()

        set_wallet(esi, JOE, transactions=[bought])
        assert await refresh() == 0  # the first fetch is history, not news
        await deliver()
        assert fake.calls_of("sendMessage") == []

        set_wallet(esi, JOE, transactions=[bought, sold])
        assert await refresh() == 1
        await deliver()
        await deliver()  # nothing left to send
        [sent] = fake.calls_of("sendMessage")
        assert sent.params["chat_id"] == "4242"
        assert "Sold 3 × Raven for 555.9M in Jita (profit 105.9M after fees)" in sent.params["text"]
        assert "reply_markup" not in sent.params  # no character may open windows: no button
        payload = await pg_pool.fetchval("SELECT payload FROM alert_outbox WHERE account_id = $1", subject.account_id)
        assert payload["type_ids"] == [RAVEN]

        assert await refresh() == 0  # ESI has nothing new (304)
        set_wallet(esi, JOE, transactions=[sold, bought])  # ESI serves the same rows again
        assert await refresh() == 0
        await deliver()
        assert len(fake.calls_of("sendMessage")) == 1
        rows = await pg_pool.fetch("SELECT status FROM alert_outbox WHERE account_id = $1", subject.account_id)
        assert [row["status"] for row in rows] == ["sent"]
        assert await stream.pending() == 0
