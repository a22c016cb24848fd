"""Trading use cases on real Postgres: profit with each wallet's age, reprice advice with the age of every source
(characters' orders, each region's and structure's book), notice settings, assets never fetched."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.trader import PgTrader
from adapters.postgres.wallet import PgWalletStore
from core.accounts.route_fetches import FetchMeta
from core.alerts.model import AlertTarget, TargetKind
from core.alerts.orders import CharacterOrder, OrderState
from core.chat.model import SourceAge
from core.trading.book import CharacterError
from core.trading.model import WalletTransaction
from core.usecases.market_services import MarketServices
from core.usecases.trading import wallet_profit
from core.usecases.trading_orders import asset_value, open_orders, set_notices
from tests.core.commands.fake_market import FakeMarket
from tests.core.commands.market_helpers import CATALOG
from tests.core.commands.test_trading_orders import BUY, CHAR, JITA, NOW, RAVEN, REGION, SELL, account_with, seed

TOWER = 1_035_466_617_946
HAULER = 91000003


def services() -> MarketServices:
    return MarketServices(reader=FakeMarket(), clock=lambda: NOW)


async def test_profit_names_each_wallet_and_its_age(pg_pool: asyncpg.Pool) -> None:
    account = await account_with(pg_pool, CHAR, "Trader One")
    await pg_pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, 'Hauler', 'h')",
        HAULER,
        account,
    )
    store = PgWalletStore(pg_pool)
    journal_at, transactions_at = NOW - timedelta(minutes=40), NOW - timedelta(minutes=5)
    await store.save_meta(CHAR, "transactions", FetchMeta(None, None, transactions_at))
    await store.save_meta(CHAR, "journal", FetchMeta(None, None, journal_at))
    await store.save_transactions(
        CHAR,
        [
            WalletTransaction(1, NOW - timedelta(days=2), RAVEN, 1, 150e6, True, JITA, 0, CHAR),
            WalletTransaction(2, NOW - timedelta(hours=1), RAVEN, 1, 160e6, False, JITA, 0, CHAR),
        ],
    )
    answer = await wallet_profit(store, account, NOW.date() - timedelta(days=6), NOW.date())
    assert answer.report.profit == 10e6 and answer.who == "all characters"
    assert [(a.kind, a.id, a.name, a.as_of) for a in answer.ages] == [
        ("wallet", HAULER, "Hauler's wallet", None),  # never fetched: age unknown
        ("wallet", CHAR, "Trader One's wallet", journal_at),  # the older of its journal and transactions
    ]
    assert answer.footer.as_of == journal_at and answer.footer.source == "ESI wallet data"
    assert answer.as_data()["sources"][1] == {
        "kind": "wallet", "id": CHAR, "name": "Trader One's wallet", "as_of": journal_at.isoformat()
    }  # fmt: skip
    one = await wallet_profit(store, account, NOW.date(), NOW.date(), character="trader one", simulated=True)
    assert one.who == "Trader One" and [a.id for a in one.ages] == [CHAR]
    assert one.footer.simulated and one.footer.source == "simulated ESI (demo)"
    with pytest.raises(CharacterError, match="Hauler, Trader One"):
        await wallet_profit(store, account, NOW.date(), NOW.date(), character="Someone Else")


async def test_orders_carry_the_age_of_each_character_and_book(pg_pool: asyncpg.Pool) -> None:
    account = await seed(pg_pool)
    orders_at, tower_at = NOW - timedelta(minutes=3), NOW - timedelta(minutes=20)
    market_id = await pg_pool.fetchval(
        "INSERT INTO structure_markets (structure_id, name, solar_system_id, region_id, account_id, character_id)"
        " VALUES ($1, 'Tower', 30000142, $2, $3, $4) RETURNING market_id",
        TOWER, REGION, account, CHAR,
    )  # fmt: skip
    await pg_pool.execute(f"CREATE TABLE market_orders_s PARTITION OF market_orders FOR VALUES IN ({market_id})")
    await pg_pool.execute(
        "INSERT INTO market_snapshots (region_id, status, last_modified, generation) VALUES ($1, 'ok', $2, 1)",
        market_id,
        tower_at,
    )
    at_tower = CharacterOrder(5, RAVEN, REGION, TOWER, False, 190e6, 1, 1, NOW - timedelta(days=1), 90)
    states = [OrderState(SELL), OrderState(BUY), OrderState(at_tower)]
    await PgCharacterOrderStore(pg_pool).save(CHAR, states, {"orders": FetchMeta(None, None, orders_at)}, [])
    answer = await open_orders(PgTrader(pg_pool), account, services())
    assert [a.owned.order.order_id for a in answer.advice] == [1, 2, 5] and len(answer.undercut) == 1
    assert answer.footer.sources == (
        SourceAge("Trader One's orders", orders_at),
        SourceAge("Jita orders", NOW),
        SourceAge("structure orders", tower_at),
    )
    assert answer.footer.as_of == tower_at and answer.footer.source == "ESI market data"
    assert [(s["kind"], s["id"]) for s in answer.as_data()["sources"]] == [
        ("character_orders", CHAR), ("market_orders", REGION), ("market_orders", market_id)
    ]  # fmt: skip
    with pytest.raises(CharacterError, match="Trader One"):
        await open_orders(PgTrader(pg_pool), account, services(), character="Someone Else")


async def test_no_orders_still_says_when_they_were_fetched(pg_pool: asyncpg.Pool) -> None:
    account = await account_with(pg_pool, HAULER, "Hauler")
    fetched = NOW - timedelta(minutes=9)
    await PgCharacterOrderStore(pg_pool).save(HAULER, [], {"orders": FetchMeta(None, None, fetched)}, [])
    answer = await open_orders(PgTrader(pg_pool), account, services())
    assert answer.advice == () and answer.footer.sources == (SourceAge("Hauler's orders", fetched),)


async def test_notice_settings_and_assets_never_fetched(pg_pool: asyncpg.Pool) -> None:
    account = await account_with(pg_pool, CHAR, "Trader One")
    store = PgWalletStore(pg_pool)
    with pytest.raises(ValueError, match="off, sales, all"):
        await set_notices(store, account, "loud")
    assert await store.notice_mode(account) == "sales"  # nothing saved
    dm = AlertTarget("discord", TargetKind.DM, "1001")
    choice = await set_notices(store, account, "all", dm)
    assert choice.as_data() == {"announce": "all", "target": "dm"} and await store.notice_mode(account) == "all"
    empty = await asset_value(PgTrader(pg_pool), account, services(), CATALOG, CATALOG.location("jita"))
    assert empty.totals is None and empty.footer is None
    assert empty.as_data() == {"characters": {}, "items": [], "totals": None, "sources": []}
