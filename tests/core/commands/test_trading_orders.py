"""/orders and /assets on real Postgres: position against the stored book, tick-grid reprice, relist fee at the
character's own skills, expiry; assets valued at a hub with the appraisal's pricing. Figures worked by hand."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.profile import PgCharacterProfiles
from adapters.postgres.trader import PgTrader
from core.accounts.route_fetches import FetchMeta
from core.alerts.orders import CharacterOrder, OrderState
from core.chat import Caller, CommandContext, Invocation, dispatch
from core.chat.model import SourceAge
from core.trading.profile import ACCOUNTING, ADVANCED_BROKER_RELATIONS, BROKER_RELATIONS, Asset, SkillLevel
from core.usecases.accounts import AccountServices
from core.usecases.market_services import MarketServices
from tests.core.commands.fake_market import AS_OF, FakeMarket
from tests.core.commands.market_helpers import CATALOG, REGISTRY, assert_clean

NOW = AS_OF
REGION, JITA = 10000002, 60003760
RAVEN, TRIT = 638, 34
CHAR, OTHER = 91000001, 91000002
# Sell 3 Ravens at 185.3M; a competitor sells at 185.2M: one tick (10^(8-3) = 100,000 ISK) better, so the reprice
# is 185.1M. Relist at BR V (1.5% broker rate) and ABR V (discount 50% + 30%): 0.2 x 1.5% x 3 x 185.1M = 1,665,900.
SELL = CharacterOrder(1, RAVEN, REGION, JITA, False, 185.3e6, 3, 3, NOW - timedelta(days=10), 90)
# Buy 1,000 Tritanium at 4.00, best other buy 3.99: on top; it was issued 89.5 days ago: expiring within a day.
BUY = CharacterOrder(2, TRIT, REGION, JITA, True, 4.00, 1000, 1000, NOW - timedelta(days=89, hours=12), 90)


async def account_with(pool: asyncpg.Pool, character_id: int, name: str) -> int:
    account = await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
    await pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, $3, 'h')",
        character_id,
        account,
        name,
    )
    return int(account)


async def seed(pool: asyncpg.Pool) -> int:
    account = await account_with(pool, CHAR, "Trader One")
    stranger = await account_with(pool, OTHER, "Someone Else")
    assert stranger != account
    orders = PgCharacterOrderStore(pool)
    await orders.save(CHAR, [OrderState(SELL), OrderState(BUY)], {}, [])
    await orders.save(
        OTHER, [OrderState(CharacterOrder(3, RAVEN, REGION, JITA, False, 185.2e6, 1, 1, NOW, 90))], {}, []
    )
    await pool.execute(f"CREATE TABLE market_orders_t PARTITION OF market_orders FOR VALUES IN ({REGION})")
    public = [(1, RAVEN, False, 185.3e6), (3, RAVEN, False, 185.2e6), (2, TRIT, True, 4.00), (4, TRIT, True, 3.99)]
    await pool.executemany(
        "INSERT INTO market_orders (region_id, order_id, type_id, location_id, is_buy_order, price, volume_remain,"
        " volume_total, min_volume, duration, issued, range)"
        " VALUES ($1, $2, $3, $4, $5, $6, 5, 5, 1, 90, $7, 'region')",
        [(REGION, oid, type_id, JITA, buy, price, NOW) for oid, type_id, buy, price in public],
    )
    await pool.execute(
        "INSERT INTO market_snapshots (region_id, status, last_modified, generation) VALUES ($1, 'ok', $2, 1)",
        REGION,
        NOW,
    )
    profiles = PgCharacterProfiles(pool)
    await profiles.save_skills(
        CHAR, [SkillLevel(skill, 5, 5) for skill in (ACCOUNTING, BROKER_RELATIONS, ADVANCED_BROKER_RELATIONS)]
    )
    await profiles.save_meta(CHAR, "skills", FetchMeta(None, None, None))
    return account


def context(pool: asyncpg.Pool, market: FakeMarket | None = None) -> CommandContext:
    accounts = AccountServices(None, None, "https://panel", trader=PgTrader(pool))  # type: ignore[arg-type]
    services = MarketServices(reader=market or FakeMarket(), clock=lambda: NOW)
    return CommandContext(catalog=CATALOG, services=services, accounts=accounts)


async def run(pool: asyncpg.Pool, text: str, account: int, market: FakeMarket | None = None):
    caller = Caller("discord", "1001", "Alice", account_id=account)
    reply = await dispatch(REGISTRY, Invocation.from_text(text, caller), context(pool, market))
    assert_clean(reply)
    return reply


async def test_orders_position_reprice_relist_fee_and_expiry(pg_pool: asyncpg.Pool) -> None:
    account = await seed(pg_pool)
    reply = await run(pg_pool, "/orders", account)
    assert reply.private and not reply.is_error
    sell, buy = reply.data["orders"]  # undercut first
    assert (sell["order_id"], sell["position"], sell["ticks"], sell["competitor"]) == (1, "undercut", 1, 185.2e6)
    assert sell["reprice"] == 185.1e6 and sell["relist_fee"] == 1_665_900.0
    assert not sell["expiring"]
    assert (buy["order_id"], buy["position"], buy["reprice"], buy["relist_fee"]) == (2, "top", None, None)
    assert buy["expiring"] and buy["expires"] == (BUY.issued + timedelta(days=90)).isoformat()
    shown = str(reply.tables[0].rows)
    assert "Raven" in shown and "185.10M" in shown and "1.67M" in shown
    assert {f.name: f.value for f in reply.fields}["Undercut"] == "1"


async def test_orders_footer_gives_the_age_of_every_source(pg_pool: asyncpg.Pool) -> None:
    account = await seed(pg_pool)
    fetched = NOW - timedelta(minutes=4)
    await PgCharacterOrderStore(pg_pool).save(
        CHAR, [OrderState(SELL), OrderState(BUY)], {"orders": FetchMeta(None, None, fetched)}, []
    )
    reply = await run(pg_pool, "/orders", account)
    assert reply.footer is not None and reply.footer.source == "ESI market data"
    assert reply.footer.sources == (SourceAge("Trader One's orders", fetched), SourceAge("Jita orders", NOW))
    assert reply.data["sources"] == [
        {"kind": "character_orders", "id": CHAR, "name": "Trader One's orders", "as_of": fetched.isoformat()},
        {"kind": "market_orders", "id": REGION, "name": "Jita orders", "as_of": NOW.isoformat()},
    ]


async def test_orders_of_one_character_and_a_stranger_refused(pg_pool: asyncpg.Pool) -> None:
    account = await seed(pg_pool)
    assert len((await run(pg_pool, "/orders trader one", account)).data["orders"]) == 2
    refused = await run(pg_pool, "/orders Someone Else", account)  # another account's character
    assert refused.is_error and refused.private and "Trader One" in refused.text and "orders" not in refused.data


async def test_assets_valued_at_the_hub(pg_pool: asyncpg.Pool) -> None:
    account = await seed(pg_pool)
    assert "No assets stored yet" in (await run(pg_pool, "/assets", account)).text
    profiles = PgCharacterProfiles(pg_pool)
    await profiles.save_assets(
        CHAR,
        [
            Asset(10, TRIT, 600, JITA, "station", "Hangar", False),
            Asset(11, TRIT, 400, JITA, "station", "Hangar", False),
            Asset(12, RAVEN, 1, JITA, "station", "Hangar", True),
            Asset(13, 999_999_999, 5, JITA, "station", "Hangar", False),  # not a market type
        ],
    )
    await profiles.save_meta(CHAR, "assets", FetchMeta(None, None, None))
    market = FakeMarket()
    market.add_book(REGION, JITA, TRIT, buys=[(4.0, 1_000_000)], sells=[(5.0, 2_000_000)])
    market.add_book(REGION, JITA, RAVEN, buys=[(180e6, 10)], sells=[(190e6, 20)])
    reply = await run(pg_pool, "/assets jita", account, market)
    assert reply.private and not reply.is_error
    items = {i["name"]: (i["quantity"], i["buy"], i["sell"]) for i in reply.data["items"]}
    assert items == {"Tritanium": (1000, 4.0, 5.0), "Raven": (1, 180e6, 190e6)}
    totals = reply.data["totals"]
    assert (totals["buy"], totals["sell"], totals["split"]) == (180_004_000.0, 190_005_000.0, 185_004_500.0)
    assert reply.data["unpriced_units"] == 5 and "not traded on the market" in reply.text
    assert reply.footer is not None and [s.name for s in reply.footer.sources] == ["Trader One's assets", "Jita orders"]
    assert [(s["kind"], s["id"]) for s in reply.data["sources"]] == [("assets", CHAR), ("market_orders", REGION)]
