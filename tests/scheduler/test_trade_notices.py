"""Sales notices: one outbox message per character and refresh with its profit, never twice, none on backfill."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import asyncpg

from adapters.postgres.wallet import PgWalletStore
from adapters.postgres.watchlist import PgTypeNames
from core.accounts.tokens import TokenSubject
from core.chat import Caller, CommandContext, Invocation, dispatch
from core.commands.default import build_registry
from core.trading.model import WalletTransaction
from core.usecases.accounts import AccountServices
from scheduler.wallet import WalletRefreshSummary, notify_trades
from tests.web.helpers import create_account

NOW = datetime.now(UTC).replace(microsecond=0)
CHAR = 95000001


async def test_new_sales_are_announced_once_with_their_profit(pg_pool: asyncpg.Pool) -> None:
    await pg_pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (638, 'Raven', 27) ON CONFLICT DO NOTHING"
    )
    account = await create_account(pg_pool, identities=(("telegram", "4242", "Trader"), ("web", "w", "Browser")))
    await pg_pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, 'Trader One', 'h')",
        CHAR,
        account,
    )
    store, names = PgWalletStore(pg_pool, ("discord", "telegram")), PgTypeNames(pg_pool).names
    buy = WalletTransaction(1, NOW - timedelta(days=2), 638, 3, 173.2e6, True, 60003760, 0, CHAR)
    sell = WalletTransaction(2, NOW - timedelta(minutes=5), 638, 3, 185.3e6, False, 60003760, 0, CHAR)
    await store.save_transactions(CHAR, [buy])
    subjects = [TokenSubject(CHAR, account, "h")]
    backfill = WalletRefreshSummary(new_transactions={CHAR: [1]}, backfilled={CHAR})
    assert await notify_trades(names, store, backfill, subjects) == 0  # history fetched the first time: no news
    new = await store.save_transactions(CHAR, [sell])
    summary = WalletRefreshSummary(new_transactions={CHAR: new})
    assert await notify_trades(names, store, summary, subjects) == 1
    assert await notify_trades(names, store, summary, subjects) == 0  # the same transactions: no second message
    rows = await pg_pool.fetch("SELECT * FROM alert_outbox WHERE account_id = $1", account)
    assert len(rows) == 1
    row = rows[0]
    assert (row["target_platform"], row["target_kind"], row["target_address"]) == ("telegram", "dm", "4242")
    assert row["payload"]["text"] == "Trader One: Sold 3 × Raven for 555.9M in Jita (profit 36.3M after fees)"


async def test_notices_can_be_turned_off_or_also_announce_buys_to_a_chosen_chat(pg_pool: asyncpg.Pool) -> None:
    await pg_pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (638, 'Raven', 27) ON CONFLICT DO NOTHING"
    )
    account = await create_account(pg_pool, identities=(("telegram", "4242", "Trader"),))
    await pg_pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, 'Trader One', 'h')",
        CHAR,
        account,
    )
    store, names = PgWalletStore(pg_pool, ("discord", "telegram")), PgTypeNames(pg_pool).names
    subjects = [TokenSubject(CHAR, account, "h")]
    services = AccountServices(None, None, "https://panel", notices=store)  # type: ignore[arg-type]

    async def settings(text: str, caller: Caller) -> str:
        reply = await dispatch(build_registry(), Invocation.from_text(text, caller), CommandContext(accounts=services))
        assert not reply.is_error, reply.text
        return reply.text

    dm = Caller("telegram", "4242", "Trader", chat_id="4242", is_dm=True, account_id=account)
    assert await settings("/settings notices off", dm) == "Sales notices are off."
    buy = WalletTransaction(11, NOW - timedelta(minutes=9), 638, 2, 170e6, True, 60003760, 0, CHAR)
    new = await store.save_transactions(CHAR, [buy, replace(buy, transaction_id=12, is_buy=False, unit_price=180e6)])
    assert await notify_trades(names, store, WalletRefreshSummary(new_transactions={CHAR: new}), subjects) == 0
    group = Caller("telegram", "4242", "Trader", chat_id="-100777", roles=frozenset({"chat_admin"}), account_id=account)
    assert "chat -100777" in await settings("/settings notices all here", group)
    later = replace(buy, transaction_id=13, date=NOW - timedelta(minutes=1))
    new = await store.save_transactions(CHAR, [later])
    assert await notify_trades(names, store, WalletRefreshSummary(new_transactions={CHAR: new}), subjects) == 1
    row = await pg_pool.fetchrow("SELECT * FROM alert_outbox WHERE account_id = $1", account)
    assert (row["target_kind"], row["target_address"]) == ("chat", "-100777")
    assert row["payload"]["text"] == "Trader One: Bought 2 × Raven for 340.0M in Jita"
    assert await store.notice_mode(account) == "all"
