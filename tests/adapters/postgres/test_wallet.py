"""PgWalletStore on real Postgres: idempotent saves per character, caching headers, history up to a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import asyncpg

from adapters.postgres.wallet import PgWalletStore
from core.accounts.route_fetches import FetchMeta
from core.alerts.model import AlertTarget, TargetKind
from core.trading.model import BROKERS_FEE, TRANSACTION_TAX, JournalEntry, WalletTransaction

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def linked(pool: asyncpg.Pool, *character_ids: int) -> int:
    account = await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
    for character_id in character_ids:
        await pool.execute(
            "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, $3, 'h')",
            character_id,
            account,
            f"Pilot {character_id}",
        )
    return int(account)


def sale(transaction_id: int, character_id: int, when: datetime = T0) -> WalletTransaction:
    return WalletTransaction(transaction_id, when, 34, 10, 5.5, False, 60003760, 900 + transaction_id, character_id)


async def test_saves_are_idempotent_per_character(pg_pool: asyncpg.Pool) -> None:
    """Saving a page twice stores it once; the other side of the same trade is stored for its own character."""
    await linked(pg_pool, 1, 2)
    store = PgWalletStore(pg_pool)
    assert await store.save_transactions(1, [sale(11, 1), sale(10, 1)]) == [10, 11]
    assert await store.save_transactions(1, [sale(11, 1), sale(12, 1)]) == [12]
    assert await store.save_transactions(2, [sale(11, 2)]) == [11]
    assert await store.newest_transaction_id(1) == 12
    assert await store.newest_transaction_id(3) is None
    fee = JournalEntry(5, T0, BROKERS_FEE, -1.5, 1, description="Market order commission")
    tax = JournalEntry(6, T0, TRANSACTION_TAX, -2.0, 1, context_id=11, context_id_type="market_transaction_id")
    other = JournalEntry(7, T0, "player_donation", 100.0, 1, reason="gift")
    assert await store.save_journal(1, [fee, tax, other]) == 3
    assert await store.save_journal(1, [fee, tax]) == 0
    txs, journal = await store.history([1], date(2026, 3, 1))
    assert sorted(t.transaction_id for t in txs) == [10, 11, 12]
    assert sorted(journal, key=lambda e: e.id) == [fee, tax]  # fees only, every field round-tripped
    assert sorted(txs, key=lambda t: t.transaction_id)[0] == sale(10, 1)


async def test_history_stops_at_the_end_of_the_day(pg_pool: asyncpg.Pool) -> None:
    """Rows after the last day asked for are left out."""
    await linked(pg_pool, 1)
    store = PgWalletStore(pg_pool)
    await store.save_transactions(1, [sale(1, 1), sale(2, 1, T0 + timedelta(hours=12))])
    txs, _ = await store.history([1], date(2026, 3, 1))
    assert [t.transaction_id for t in txs] == [1]


async def test_meta_round_trip_and_characters(pg_pool: asyncpg.Pool) -> None:
    """Caching headers are remembered per route; the account's characters are listed with names."""
    account = await linked(pg_pool, 1, 2)
    store = PgWalletStore(pg_pool)
    assert await store.fetch_meta(1, "journal") is None
    assert not await store.ever_fetched([1, 2])
    meta = FetchMeta('"abc"', T0 + timedelta(hours=1), T0)
    await store.save_meta(1, "journal", meta)
    await store.save_meta(1, "journal", meta)
    assert await store.fetch_meta(1, "journal") == meta
    assert await store.ever_fetched([2, 1])
    assert await store.account_characters(account) == {1: "Pilot 1", 2: "Pilot 2"}


async def test_unlinking_deletes_the_wallet(pg_pool: asyncpg.Pool) -> None:
    """A character whose link is removed takes its wallet rows with it."""
    await linked(pg_pool, 1)
    store = PgWalletStore(pg_pool)
    await store.save_transactions(1, [sale(1, 1)])
    await pg_pool.execute("DELETE FROM characters WHERE character_id = 1")
    assert (await store.history([1], date(2026, 3, 1)))[0] == []


async def test_notices_fall_back_to_the_latest_chat_on_the_platforms_the_caller_names(pg_pool: asyncpg.Pool) -> None:
    """The latest chat among the platforms passed in, a third one too; other identities (the panel's) never."""
    account = await linked(pg_pool)
    seen = [("telegram", "7", T0), ("matrix", "@me:example.org", T0 + timedelta(hours=1))]
    seen.append(("web", "browser", T0 + timedelta(hours=2)))
    await pg_pool.executemany(
        "INSERT INTO account_identities (platform, external_id, account_id, display_name, last_seen_at)"
        " VALUES ($1, $2, $3, 'Trader', $4)",
        [(platform, external_id, account, at) for platform, external_id, at in seen],
    )
    matrix = AlertTarget("matrix", TargetKind.DM, "@me:example.org")
    assert await PgWalletStore(pg_pool, ("discord", "telegram", "matrix")).notice_target(account) == matrix
    assert await PgWalletStore(pg_pool, ("discord", "telegram")).notice_target(account) == AlertTarget(
        "telegram", TargetKind.DM, "7"
    )
    assert await PgWalletStore(pg_pool).notice_target(account) is None  # no chat platform named: no fallback
