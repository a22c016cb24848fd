"""The daily digest's trading sections on real Postgres: the previous UTC day's realised profit after fees and the
orders needing attention (undercut, or ending within a day)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import asyncpg

from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.wallet import PgWalletStore
from core.accounts.route_fetches import FetchMeta
from core.alerts.orders import CharacterOrder, OrderState
from core.trading.model import WalletTransaction
from evetrader.bootstrap.scheduler import digest_service
from scheduler.jobs import send_digests

CHAR = 93000001
NOW = datetime.now(UTC)
TODAY = NOW.date()
YESTERDAY_NOON = datetime.combine(TODAY - timedelta(days=1), time(12), tzinfo=UTC)


async def trader(pool: asyncpg.Pool) -> int:
    account = int(await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id"))
    await pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, 'Trader One', 'h')",
        CHAR,
        account,
    )
    await pool.execute(
        "INSERT INTO digest_preferences (account_id, hour, target_platform, target_kind, target_address)"
        " VALUES ($1, 0, 'telegram', 'dm', '4242')",
        account,
    )
    return account


async def digest_text(pool: asyncpg.Pool, account: int) -> tuple[str, dict[str, Any]]:
    assert await send_digests(digest_service(pool, "Jita", {34: "Tritanium", 638: "Raven"}.get)) == 1
    payload = await pool.fetchval("SELECT payload FROM alert_outbox WHERE account_id = $1", account)
    return payload["text"], payload


async def test_the_digest_tells_yesterdays_profit_and_the_orders_needing_attention(pg_pool: asyncpg.Pool) -> None:
    account = await trader(pg_pool)
    wallet = PgWalletStore(pg_pool)
    await wallet.save_transactions(
        CHAR,
        [
            WalletTransaction(1, YESTERDAY_NOON - timedelta(days=3), 34, 1000, 4.0, True, 60003760, 0, CHAR),
            WalletTransaction(2, YESTERDAY_NOON, 34, 1000, 5.0, False, 60003760, 0, CHAR),
            WalletTransaction(3, YESTERDAY_NOON - timedelta(days=1), 35, 10, 5.0, False, 60003760, 0, CHAR),
        ],
    )  # no journal rows: no fees, so yesterday's profit is 1,000 x (5 - 4); the day before's sale is not counted
    await wallet.save_meta(CHAR, "transactions", FetchMeta(None, None, None))
    undercut = CharacterOrder(7, 638, 10000002, 60003760, False, 185.3e6, 3, 3, NOW - timedelta(days=2), 90)
    ending = CharacterOrder(8, 34, 10000002, 60003760, True, 4.0, 10, 10, NOW - timedelta(days=89, hours=20), 90)
    states = [OrderState(undercut, on_top=False, best_competitor=185.2e6), OrderState(ending, on_top=True)]
    await PgCharacterOrderStore(pg_pool).save(CHAR, states, {}, [])
    text, payload = await digest_text(pg_pool, account)
    day = (TODAY - timedelta(days=1)).isoformat()
    assert f"Realised profit on {day} (UTC): 1.0k ISK after fees on 1,000 units sold; best Tritanium (1.0k)" in text
    assert payload["profit"] == [text.splitlines()[1]]
    assert "2 open, 1 undercut, 1 expiring within a day, 0 filled since the last digest" in text
    lines = text.splitlines()
    raven = next(i for i, line in enumerate(lines) if "Raven" in line)
    trit = next(i for i, line in enumerate(lines) if "buy Tritanium" in line)
    assert raven < trit and "undercut (best 185,200,000.00)" in lines[raven] and "expires" in lines[trit]


async def test_no_profit_line_before_the_wallet_was_ever_fetched(pg_pool: asyncpg.Pool) -> None:
    account = await trader(pg_pool)
    ending = CharacterOrder(8, 34, 10000002, 60003760, True, 4.0, 10, 10, NOW - timedelta(days=89, hours=20), 90)
    await PgCharacterOrderStore(pg_pool).save(CHAR, [OrderState(ending, on_top=True)], {}, [])
    text, payload = await digest_text(pg_pool, account)
    assert payload["profit"] == [] and "Realised profit" not in text
