"""/trade haul driven through dispatch: both books walked within cargo and budget, fees worked out by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from core.chat import Footer, Reply, SourceAge
from core.commands.market_trade import trade_haul
from tests.core.commands.fake_market import FakeMarket
from tests.core.commands.market_helpers import (
    AMARR,
    AMARR_SNAPSHOT,
    AMARR_STATION,
    BROKER,
    CATALOG,
    DC2,
    JITA,
    JITA_SNAPSHOT,
    JITA_STATION,
    LSE2,
    PASTE,
    TAX,
    TRIT,
    UNKNOWN_TYPE,
    WEB,
    context,
    run,
)

# ---------------------------------------------------------------------------------------------------- /trade haul
#
# Jita -> Amarr, sales tax 4.2% (keep 95.8% of a sale), immediate mode sells into Amarr's buy orders:
#   Large Shield Extender II (15 m3): Jita sells 1,000,000 x 10, 1,050,000 x 10, 1,300,000 x 10;
#     Amarr buys 1,200,000 x 5, 1,150,000 x 20. Walking both books, unit profit after tax:
#     5 @ 1,000,000 -> 1,200,000: 1,149,600 - 1,000,000 = 149,600
#     5 @ 1,000,000 -> 1,150,000: 1,101,700 - 1,000,000 = 101,700
#     10 @ 1,050,000 -> 1,150,000: 51,700; then 1,300,000 -> 1,150,000 loses: stop.
#     All of it: 20 units, 300 m3, cost 20,500,000, revenue 23,250,000, profit 1,773,500.
#   Tritanium (0.01 m3): Jita sells 4.00 x 1,000,000; Amarr buys 5.00 x 500,000: 0.79 a unit, 500,000 units,
#     5,000 m3, cost 2,000,000, profit 395,000.
# "order" mode lists one tick under Amarr's best sell (broker 1.8% too: keep 94%), capped at a day's volume:
#   LSE II: ask 1,299,000, 12 a day: 10 @ 1,000,000 and 2 @ 1,050,000: cost 12,100,000, revenue 15,588,000,
#     broker 280,584, profit 15,588,000 x 0.958 - 280,584 - 12,100,000 = 2,552,720.
#   Tritanium: ask 5.49, 100,000 a day: cost 400,000, revenue 549,000, broker 9,882, profit 116,060.

KEEP = 1 - TAX


def haul_market() -> FakeMarket:
    market = FakeMarket()
    jita, amarr = (JITA.region_id, JITA.station_id), (AMARR.region_id, AMARR.station_id)
    market.add_book(*jita, LSE2, sells=[(1_300_000, 10), (1_000_000, 10), (1_050_000, 10)])
    market.add_book(*jita, TRIT, buys=[(3.5, 1_000)], sells=[(4.0, 1_000_000)])
    market.add_book(*amarr, LSE2, buys=[(1_150_000, 20), (1_200_000, 5)], sells=[(1_300_000, 5)])
    market.add_book(*amarr, TRIT, buys=[(5.0, 500_000)], sells=[(5.5, 100_000)])
    # not haulable: no Jita sells; only at Jita; unknown to the catalog; sells for less at Amarr
    market.add_book(*jita, WEB, buys=[(100_000, 10)])
    market.add_book(*amarr, WEB, buys=[(200_000, 10)])
    market.add_book(*jita, DC2, sells=[(1_000_000, 10)])
    market.add_book(*jita, UNKNOWN_TYPE, sells=[(1.0, 10)])
    market.add_book(*amarr, UNKNOWN_TYPE, buys=[(100.0, 10)])
    market.add_book(*jita, PASTE, sells=[(10_000, 100)])
    market.add_book(*amarr, PASTE, buys=[(10_000, 100)])
    market.set_daily_volume(AMARR.region_id, LSE2, 12).set_daily_volume(AMARR.region_id, TRIT, 100_000)
    market.set_snapshot(JITA.region_id, JITA_SNAPSHOT).set_snapshot(AMARR.region_id, AMARR_SNAPSHOT)
    return market


def plans(reply: Reply) -> dict[int, dict[str, Any]]:
    return {plan["type_id"]: plan for plan in reply.data["plans"]}


def test_hand_computed_haul_profits():
    assert math.isclose(1_200_000 * KEEP - 1_000_000, 149_600)
    assert math.isclose(1_150_000 * KEEP - 1_000_000, 101_700)
    assert math.isclose(1_150_000 * KEEP - 1_050_000, 51_700)
    assert math.isclose(5.0 * KEEP - 4.0, 0.79)
    assert math.isclose(15_588_000 * KEEP - BROKER * 15_588_000 - 12_100_000, 2_552_720)
    assert math.isclose(549_000 * KEEP - BROKER * 549_000 - 400_000, 116_060)


async def test_haul_walks_both_books():
    market = haul_market()
    reply = await run("/trade haul jita amarr", market)
    assert not reply.is_error
    assert reply.title == f"Hauling {JITA_STATION} → {AMARR_STATION}"
    assert reply.data["source_id"] == JITA.station_id and reply.data["destination_id"] == AMARR.station_id
    assert [p["type_id"] for p in reply.data["plans"]] == [LSE2, TRIT]  # by profit
    lse, trit = plans(reply)[LSE2], plans(reply)[TRIT]
    assert lse == {
        "type_id": LSE2,
        "name": "Large Shield Extender II",
        "quantity": 20,
        "cost": 20_500_000,
        "revenue": 23_250_000,
        "profit": pytest.approx(1_773_500),
        "roi": pytest.approx(1_773_500 / 20_500_000),
        "isk_per_m3": pytest.approx(1_773_500 / 300),
        "max_buy_price": 1_050_000,
        "min_sell_price": 1_150_000,
        "isk_per_jump": None,  # no route planner wired here
    }
    assert trit["quantity"] == 500_000 and trit["cost"] == pytest.approx(2_000_000)
    assert trit["profit"] == pytest.approx(395_000) and trit["max_buy_price"] == 4.0 and trit["min_sell_price"] == 5.0
    assert reply.data["total_profit"] == pytest.approx(2_168_500)
    [table] = reply.tables
    assert table.headers == ["Item", "Units", "m3", "Cost", "Profit", "ROI", "ISK/m3"]
    assert table.rows == [
        ["Large Shield Extender II", "20", "300", "20.50M", "1.77M", "8.7%", "5,911.67"],
        ["Tritanium", "500,000", "5,000", "2.00M", "395,000.00", "19.8%", "79.00"],
    ]
    assert reply.text == "Total: 22.50M in, 2.17M profit after tax, 5,300 of 10,000 m3."
    assert reply.footer == Footer(
        "ESI market data",
        AMARR_SNAPSHOT,
        False,
        (
            SourceAge("Jita orders", JITA_SNAPSHOT),
            SourceAge("Amarr orders", AMARR_SNAPSHOT),
            SourceAge("history", None),
        ),
    )  # as_of: the older region
    [volumes_call] = [call for call in market.calls if call[0] == "daily_volumes"]
    assert volumes_call[1] == AMARR.region_id  # volumes where we sell


async def test_haul_cargo_limited():
    # 200 m3: profit per m3 decides; LSE II's chunks (9,973, 6,780, 3,447 ISK/m3) before Tritanium (79 ISK/m3):
    # 5 + 5 units (150 m3), 3 of the third chunk (45 m3), then 500 Tritanium fill the last 5 m3.
    reply = await run("/trade haul jita amarr 200", haul_market())
    lse, trit = plans(reply)[LSE2], plans(reply)[TRIT]
    assert lse["quantity"] == 13 and lse["cost"] == 13_150_000
    assert lse["profit"] == pytest.approx(5 * 149_600 + 5 * 101_700 + 3 * 51_700)
    assert trit["quantity"] == 500 and trit["profit"] == pytest.approx(395)
    assert reply.text == "Total: 13.15M in, 1.41M profit after tax, 200 of 200 m3."


async def test_haul_budget_limited():
    # 12m ISK: profit per ISK decides; Tritanium (19.75%) first, then LSE II's 14.96% and 10.17% chunks use the
    # remaining 10m; the 4.9% chunk no longer fits.
    reply = await run("/trade haul jita amarr 10000 12m", haul_market())
    lse, trit = plans(reply)[LSE2], plans(reply)[TRIT]
    assert trit["quantity"] == 500_000
    assert lse["quantity"] == 10 and lse["cost"] == 10_000_000 and lse["max_buy_price"] == 1_000_000
    assert lse["profit"] == pytest.approx(5 * 149_600 + 5 * 101_700)
    assert sum(p["cost"] for p in reply.data["plans"]) == pytest.approx(12_000_000)
    assert reply.text == "Total: 12.00M in, 1.65M profit after tax, 5,150 of 10,000 m3."


async def test_haul_order_mode():
    reply = await run("/trade haul jita amarr 10000 1b order", haul_market())
    lse, trit = plans(reply)[LSE2], plans(reply)[TRIT]
    assert lse["quantity"] == 12 and lse["cost"] == 12_100_000
    assert lse["revenue"] == pytest.approx(15_588_000) and lse["min_sell_price"] == 1_299_000
    assert lse["profit"] == pytest.approx(2_552_720)
    assert trit["quantity"] == 100_000 and trit["min_sell_price"] == 5.49
    assert trit["profit"] == pytest.approx(116_060)
    assert reply.data["total_profit"] == pytest.approx(2_552_720 + 116_060)
    named = await run("/trade haul jita amarr mode=ord", haul_market())  # a unique prefix of a choice
    assert named.data == reply.data


async def test_haul_results_limit_and_direct_call():
    reply = await run("/trade haul jita amarr results=1", haul_market())
    assert [p["type_id"] for p in reply.data["plans"]] == [LSE2]
    reply = await trade_haul(
        context(haul_market(), simulated=True), CATALOG.location("jita"), CATALOG.location("amarr"), cargo=200
    )
    assert plans(reply)[LSE2]["quantity"] == 13
    assert reply.footer == Footer(
        "simulated ESI (demo)",
        AMARR_SNAPSHOT,
        True,
        (
            SourceAge("Jita orders", JITA_SNAPSHOT),
            SourceAge("Amarr orders", AMARR_SNAPSHOT),
            SourceAge("history", None),
        ),
    )


async def test_haul_nothing_profitable():
    reply = await run("/trade haul amarr jita", haul_market())  # the other way round loses money
    assert not reply.is_error and reply.text == "No profitable haul after fees right now."
    assert reply.tables == [] and reply.footer == Footer(
        "ESI market data",
        AMARR_SNAPSHOT,
        False,
        (
            SourceAge("Amarr orders", AMARR_SNAPSHOT),
            SourceAge("Jita orders", JITA_SNAPSHOT),
        ),  # no candidate: no history read
    )


@pytest.mark.parametrize(
    "text",
    [
        "/trade haul jita jita",
        f'/trade haul jita "{JITA_STATION}"',  # the hub and its station are the same place
        "/trade haul amarr Amarr",
    ],
)
async def test_haul_same_place_is_an_error(text: str):
    market = haul_market()
    reply = await run(text, market)
    assert reply.is_error and reply.ephemeral
    assert reply.text == "source and destination are the same place\nusage: /trade haul <source> <destination>"
    assert not [call for call in market.calls if call[0] == "books_at"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/trade haul jita amarr 0", "cargo: must be at least 1 (got 0)"),
        ("/trade haul jita amarr 100 lots", "budget: 'lots' is not a number"),
        ("/trade haul jita amarr 100 1b sideways", "mode: 'sideways' is not one of immediate, order"),
        ("/trade haul jita", "missing <destination>"),
    ],
)
async def test_haul_argument_errors(text: str, message: str):
    reply = await run(text, haul_market())
    assert reply.is_error
    usage = "/trade haul <source> <destination> [cargo] [budget] [mode] [results] [accounting=…] "
    assert reply.text == f"{message}\nusage: {usage}[broker-relations=…] [standing=…] [group=…] [category=…] [route=…]"


async def test_trade_places_without_hub_never_leak():
    """A region without a hub is an error reply (wording tested in test_market_price.py), never a trace."""
    for text in ("/trade station delve", "/trade haul jita delve", "/trade"):
        reply = await run(text, haul_market())
        assert reply.is_error


async def test_immediate_haul_sells_into_region_range_buy_orders_reaching_the_destination():
    market = haul_market()
    # a region-range order elsewhere in Domain buys 10 LSE II at 1,250,000: before, only Amarr's own orders counted
    market.add_reaching_buys(AMARR.region_id, AMARR.station_id, LSE2, [(1_250_000, 10)])
    lse = plans(await run("/trade haul jita amarr", market))[LSE2]
    # 10 @ 1,000,000 -> 1,250,000, 5 @ 1,050,000 -> 1,200,000, 5 @ 1,050,000 -> 1,150,000
    assert (lse["quantity"], lse["revenue"]) == (20, 12_500_000 + 6_000_000 + 5_750_000)
