"""The facts block: hand-computed numbers from the fake market, and equal to the quotes in real Postgres."""

from __future__ import annotations

import json
from datetime import timedelta

import asyncpg
import pytest

from adapters.postgres.history import PgHistoryStore
from adapters.postgres.market_reader import PgMarketReader
from adapters.postgres.orderbook import PgOrderBookStore
from core.market.fees import DEFAULT_SKILLS, TradeSkills
from core.market.hubs import PLEX_REGION_ID
from core.usecases.analysis_facts import facts_block, item_facts, mentioned_items
from core.usecases.market_services import MarketServices
from tests.adapters.postgres.test_orderbook import JITA as PG_JITA
from tests.adapters.postgres.test_orderbook import LAST_MODIFIED, REGION, commit_info, order
from tests.core.commands.fake_market import AS_OF, FakeMarket, daily_rows
from tests.core.commands.market_helpers import CATALOG, HAND_FEES, JITA, TRIT, plex_market, trit_market
from tests.core.market.order_rows import order_page

JITA_PLACE = CATALOG.location("Jita")


def services(market: object, **kw: object) -> MarketServices:
    kw.setdefault("fees", HAND_FEES)
    return MarketServices(reader=market, clock=lambda: AS_OF, **kw)  # type: ignore[arg-type]


async def test_tritanium_at_jita_hand_computed():
    facts = await item_facts(services(trit_market()), CATALOG.item("trit"), JITA_PLACE, DEFAULT_SKILLS)
    assert (facts.best_sell, facts.best_buy, facts.sell_orders, facts.buy_orders) == (4.90, 4.50, 5, 4)
    assert (facts.sell_depth_5pct, facts.buy_depth_5pct, facts.sell_volume, facts.buy_volume) == (
        50_000,
        40_000,
        200_000,
        100_000,
    )
    assert facts.spread == pytest.approx(0.40) and facts.spread_pct == pytest.approx(0.40 / 4.90)
    assert facts.sales_tax_rate == pytest.approx(0.042) and facts.broker_fee_rate == pytest.approx(0.018)
    # buy order at 4.51, sell order at 4.89: 4.89 - 4.51 - 1.8% x (4.51 + 4.89) - 4.2% x 4.89 = 0.00542 per unit
    assert facts.station_trade_profit_per_unit == pytest.approx(0.00542)
    assert facts.station_trade_margin == pytest.approx(0.00542 / (4.51 * 1.018))
    assert (facts.median_5d, facts.median_30d, facts.avg_daily_volume_30d) == (5.0, 4.29, 1000.0)
    assert facts.history_days == 30 and facts.risks == ()
    assert facts.snapshot_at == AS_OF and facts.snapshot_version == f"{JITA.region_id}@{AS_OF.isoformat()}"
    skilled = await item_facts(services(trit_market()), CATALOG.item("trit"), JITA_PLACE, TradeSkills(accounting=5))
    assert skilled.sales_tax_rate == pytest.approx(0.075 * (1 - 0.55))


async def test_thin_books_wide_spreads_and_prices_off_the_median_are_risks():
    market = FakeMarket()
    market.add_book(JITA.region_id, JITA.station_id, TRIT, buys=[(2.0, 10)], sells=[(9.0, 5)])
    market.add_history(JITA.region_id, TRIT, daily_rows(AS_OF.date(), [4.0] * 30, volume=0))
    facts = await item_facts(services(market), CATALOG.item("trit"), JITA_PLACE, DEFAULT_SKILLS)
    risks = " | ".join(facts.risks)
    assert "thin book: 1 sell / 1 buy orders" in risks and "wide spread: 78%" in risks
    assert "+125% from the 30-day median" in risks and "under one unit traded per day" in risks
    empty = await item_facts(services(FakeMarket()), CATALOG.item("trit"), JITA_PLACE, DEFAULT_SKILLS)
    assert empty.best_sell is None and empty.risks == ("nobody trades it here right now", "no price history")
    assert empty.snapshot_version == f"{JITA.region_id}@none"


async def test_plex_facts_come_from_the_global_plex_market():
    facts = await item_facts(services(plex_market()), CATALOG.item("plex"), JITA_PLACE, DEFAULT_SKILLS)
    assert (facts.region_id, facts.place, facts.best_sell, facts.best_buy) == (
        PLEX_REGION_ID,
        "Global PLEX Market",
        4_150_000,
        4_050_000,
    )
    assert facts.snapshot_at == AS_OF - timedelta(minutes=2)


def test_questions_name_items_exactly_or_by_alias():
    assert [i.name for i in mentioned_items(CATALOG, "is PLEX cheap right now?")] == ["PLEX"]
    found = mentioned_items(CATALOG, "trit or Large Skill Injector, or mega pulse laser ii?")
    assert [i.name for i in found] == ["Tritanium", "Large Skill Injector", "Mega Pulse Laser II"]
    assert mentioned_items(CATALOG, "what can I haul from Jita to Amarr with 10k m3 and 200M?") == []
    assert mentioned_items(object(), "PLEX") == []


async def test_the_facts_block_numbers_equal_the_quotes_in_the_database(pg_pool: asyncpg.Pool):
    book = [order(TRIT, 5.0, 10), order(TRIT, 4.5, 20), order(TRIT, 4.0, 30, buy=True), order(TRIT, 4.2, 40, buy=True)]
    book += [order(TRIT, 4.6, 1000 + i) for i in range(5)] + [order(35, 11.0, 5)]
    async with PgOrderBookStore(pg_pool).stage(REGION) as staged:
        await staged.add_page(order_page(book))
        await staged.commit(commit_info())
    today = LAST_MODIFIED.date()
    await PgHistoryStore(pg_pool).upsert(
        REGION, TRIT, daily_rows(today, [4.0 + i / 100 for i in range(30)]), etag=None, expires=None
    )
    market = MarketServices(reader=PgMarketReader(pg_pool), clock=lambda: LAST_MODIFIED + timedelta(minutes=1))
    place = CATALOG.location("Jita")
    assert place.station_id == PG_JITA
    facts = await item_facts(market, CATALOG.item("Tritanium"), place, DEFAULT_SKILLS)
    block = json.loads(facts_block([facts], skills=DEFAULT_SKILLS))
    [shown] = block["items"]
    row = await pg_pool.fetchrow(
        "SELECT * FROM market_quotes WHERE region_id = $1 AND location_id = $2 AND type_id = $3", REGION, PG_JITA, TRIT
    )
    assert row is not None
    for ours, theirs in [
        ("best_sell", "best_sell"),
        ("best_buy", "best_buy"),
        ("sell_volume", "sell_volume"),
        ("buy_volume", "buy_volume"),
        ("sell_orders", "sell_orders"),
        ("buy_orders", "buy_orders"),
        ("sell_depth_5pct", "sell_depth"),
        ("buy_depth_5pct", "buy_depth"),
    ]:
        assert shown[ours] == row[theirs], ours
    assert (shown["best_sell"], shown["best_buy"], shown["sell_orders"]) == (4.5, 4.2, 7)
    assert shown["spread"] == pytest.approx(row["best_sell"] - row["best_buy"])
    assert shown["quote_as_of"] == row["as_of"].isoformat()
    assert shown["snapshot_at"] == LAST_MODIFIED.isoformat()
    assert shown["median_30d"] == pytest.approx(statistics_median([4.0 + i / 100 for i in range(30)]))


def statistics_median(values: list[float]) -> float:
    ordered = sorted(values)
    return (ordered[14] + ordered[15]) / 2
