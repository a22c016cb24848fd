"""/trade station driven through dispatch against hand-made books, with fees worked out by hand."""

from __future__ import annotations

import math

import pytest

from core.chat import Footer, Invocation, Reply, SourceAge, dispatch
from core.commands.market_trade import trade_station
from core.market.fees import broker_fee_rate, sales_tax_rate
from core.market.finders import BookLevel
from core.market.finders_station import StationInput, StationRules, station_candidates
from tests.core.commands.fake_market import FakeMarket
from tests.core.commands.market_helpers import (
    BROKER,
    CALLER,
    CARACAL,
    CATALOG,
    DC2,
    HAND_FEES,
    JITA,
    JITA_SNAPSHOT,
    JITA_STATION,
    LSE2,
    MPL1,
    MPL2,
    PASTE,
    RAVEN,
    REGISTRY,
    TAX,
    TRIT,
    UNKNOWN_TYPE,
    WEB,
    context,
    run,
)


def test_default_fee_rates():
    assert math.isclose(sales_tax_rate(schedule=HAND_FEES), TAX) and math.isclose(TAX, 0.042)
    assert math.isclose(broker_fee_rate(), BROKER) and math.isclose(BROKER, 0.018)


# ---------------------------------------------------------------------------------------------------- /trade station
#
# (a) genuinely profitable, all at Jita:
#   Stasis Webifier II: buys 100,000 x 500, 99,000 x 500; sells 120,000 x 400, 121,000 x 300; 3,000 traded a day.
#     bid 100,100 (tick 100), ask 119,900; depth min(1,000, 700) = 700; units/day min(10% x 3,000, 700) = 300.
#     fees per unit: buy 1.8% x 100,100 = 1,801.80; sell 1.8% x 119,900 = 2,158.20; tax 4.2% x 119,900 = 5,035.80
#     profit 119,900 - 100,100 - 8,995.80 = 10,804.20; margin 10,804.20 / 101,901.80; per day x 300 = 3,241,260.
#   Damage Control II: buys 1,000,000 x 50, 990,000 x 40; sells 1,200,000 x 30, 1,210,000 x 20; 200 a day.
#     bid 1,001,000 (tick 1,000), ask 1,199,000; depth min(90, 50) = 50; units/day min(20, 50) = 20.
#     fees: 18,018 + 21,582 + tax 50,358 -> profit 198,000 - 89,958 = 108,042; per day x 20 = 2,160,840.
#   Nanite Repair Paste (no history): buys 10,000 x 1,000, 9,990 x 1,000; sells 11,300 x 1,000, 11,310 x 1,000.
#     bid 10,010, ask 11,290; depth 2,000, units/day 10% x 2,000 = 200 (a guess without history).
#     fees 180.18 + 203.22 + 474.18 = 857.58 -> profit 422.42 = 4.1% on cost 10,190.18 (below the default 5%).
# (b) Mega Pulse Laser II: the real book is one buy at 1,000,000 and one sell at 1,500,000 (a 38% margin); a 0.01
#     ISK bait buy and a 100x scam sell make both sides look two orders deep. The outlier filter drops them and
#     the item is too thin. Mega Pulse Laser I: only 0.01 ISK buys, a too-good-to-be-true spread (> 100%).
# (c) thin books: Caracal (one order a side), Raven (two orders a side but 4 units within 5%).
# Plus a type the catalog does not know, and one-sided books (Large Shield Extender II, Tritanium).

JITA_SOURCES = (SourceAge("Jita orders", JITA_SNAPSHOT), SourceAge("history", None))  # no history wired
WEB_PROFIT = 119_900 - 100_100 - BROKER * 100_100 - BROKER * 119_900 - TAX * 119_900
DC2_PROFIT = 1_199_000 - 1_001_000 - BROKER * 1_001_000 - BROKER * 1_199_000 - TAX * 1_199_000
PASTE_PROFIT = 11_290 - 10_010 - BROKER * 10_010 - BROKER * 11_290 - TAX * 11_290


def test_hand_computed_station_profits():
    assert math.isclose(WEB_PROFIT, 10_804.20)
    assert math.isclose(DC2_PROFIT, 108_042.0)
    assert math.isclose(PASTE_PROFIT, 422.42)


def station_market() -> FakeMarket:
    market = FakeMarket()
    add = market.add_book
    region, station = JITA.region_id, JITA.station_id
    add(region, station, WEB, buys=[(100_000, 500), (99_000, 500)], sells=[(120_000, 400), (121_000, 300)])
    add(region, station, DC2, buys=[(1_000_000, 50), (990_000, 40)], sells=[(1_200_000, 30), (1_210_000, 20)])
    add(region, station, PASTE, buys=[(10_000, 1_000), (9_990, 1_000)], sells=[(11_300, 1_000), (11_310, 1_000)])
    add(region, station, MPL2, buys=[(1_000_000, 100), (0.01, 5)], sells=[(1_500_000, 100), (150_000_000, 2)])
    add(region, station, MPL1, buys=[(0.01, 1_000), (0.01, 1_000)], sells=[(20_000_000, 20), (20_100_000, 20)])
    add(region, station, CARACAL, buys=[(10_000_000, 1)], sells=[(12_000_000, 1)])
    add(region, station, RAVEN, buys=[(100e6, 2), (99e6, 2)], sells=[(120e6, 2), (121e6, 2)])
    add(region, station, UNKNOWN_TYPE, buys=[(100, 1_000), (99, 1_000)], sells=[(200, 1_000), (201, 1_000)])
    add(region, station, LSE2, sells=[(1_000_000, 10)])
    add(region, station, TRIT, buys=[(4.0, 1_000_000)])
    market.set_daily_volume(region, WEB, 3_000).set_daily_volume(region, DC2, 200)
    market.set_snapshot(region, JITA_SNAPSHOT)
    return market


def candidates(reply: Reply) -> list[int]:
    return [c["type_id"] for c in reply.data["candidates"]]


async def test_station_candidates_hand_computed():
    market = station_market()
    reply = await run("/trade station jita", market)
    assert not reply.is_error
    assert reply.title == f"Station trading at {JITA_STATION}"
    assert reply.text == (  # of the 10, two thin books are left out from their quotes, before any book is read
        "10 items scanned, 4 deep enough to clear 5% after fees; prices one tick inside the best orders,"
        " fees at your skills."
    )
    assert reply.data["location_id"] == JITA.station_id
    web, dc2 = reply.data["candidates"]  # ordered by daily profit: 3.24M before 2.16M (though DC II earns more/unit)
    assert web == {
        "type_id": WEB,
        "name": "Stasis Webifier II",
        "buy_price": 100_100.0,
        "sell_price": 119_900.0,
        "profit_per_unit": pytest.approx(10_804.20),
        "margin": pytest.approx(10_804.20 / (100_100 + BROKER * 100_100)),
        "daily_units": 300.0,
        "daily_profit": pytest.approx(3_241_260.0),
    }
    assert dc2 == {
        "type_id": DC2,
        "name": "Damage Control II",
        "buy_price": 1_001_000.0,
        "sell_price": 1_199_000.0,
        "profit_per_unit": pytest.approx(108_042.0),
        "margin": pytest.approx(108_042 / (1_001_000 + 18_018)),
        "daily_units": 20.0,
        "daily_profit": pytest.approx(2_160_840.0),
    }
    [table] = reply.tables
    assert table.headers == ["Item", "Buy at", "Sell at", "Profit/unit", "Margin", "Units/day", "Profit/day"]
    assert table.rows == [
        ["Stasis Webifier II", "100,100.00", "119,900.00", "10,804.20", "10.6%", "300", "3.24M"],
        ["Damage Control II", "1.00M", "1.20M", "108,042.00", "10.6%", "20", "2.16M"],
    ]
    assert reply.footer == Footer("ESI market data", JITA_SNAPSHOT, False, JITA_SOURCES)
    # daily volumes are asked only for the types the catalog knows, in the hub's region
    [volumes_call] = [call for call in market.calls if call[0] == "daily_volumes"]
    assert volumes_call[1] == JITA.region_id
    assert isinstance(volumes_call[2], tuple) and UNKNOWN_TYPE not in volumes_call[2]


async def test_station_scam_thin_and_one_sided_items_never_appear():
    reply = await run("/trade station jita 0", station_market())
    shown = candidates(reply)
    assert set(shown) == {WEB, DC2, PASTE}
    for absent in (MPL2, MPL1, CARACAL, RAVEN, UNKNOWN_TYPE, LSE2, TRIT):
        assert absent not in shown


def test_station_outlier_filter_is_what_drops_the_bait_and_scam():
    """Without the outlier filter the baited book passes as a 38% trade at the real top of book; with it, it is thin."""
    bait = StationInput(
        MPL2,
        "Mega Pulse Laser II",
        [BookLevel(1_000_000, 100), BookLevel(0.01, 5)],
        [BookLevel(1_500_000, 100), BookLevel(150_000_000, 2)],
    )
    no_filter = StationRules(bait_ratio=0.0, scam_ratio=float("inf"))
    [plan] = station_candidates([bait], rules=no_filter, schedule=HAND_FEES)
    assert plan.margin.buy_order_price == 1_001_000 and plan.margin.sell_order_price == 1_499_000
    assert plan.margin.margin_on_cost == pytest.approx(0.383, abs=0.001) and plan.outliers == 0
    assert station_candidates([bait]) == []
    # the filter counts what it dropped: with min_orders=1 the item survives on its real orders only
    [plan] = station_candidates([bait], rules=StationRules(min_orders=1))
    assert plan.outliers == 2 and plan.buy_orders == 1 and plan.sell_orders == 1


async def test_station_min_margin_filter():
    market = station_market()
    reply = await run("/trade station jita 3", market)
    assert candidates(reply) == [WEB, DC2, PASTE]
    paste = reply.data["candidates"][2]
    assert paste["buy_price"] == 10_010 and paste["sell_price"] == 11_290
    assert paste["profit_per_unit"] == pytest.approx(422.42)
    assert paste["margin"] == pytest.approx(422.42 / 10_190.18)
    assert paste["daily_units"] == 200 and paste["daily_profit"] == pytest.approx(84_484.0)
    assert reply.tables[0].rows[2] == [
        "Nanite Repair Paste",
        "10,010.00",
        "11,290.00",
        "422.42",
        "4.1%",
        "200",
        "84,484.00",
    ]
    reply = await run("/trade station jita min-margin=4.2", market)
    assert candidates(reply) == [WEB, DC2]
    reply = await run("/trade station jita 11", market)  # both 10.6% trades fall under it
    assert not reply.is_error and reply.tables == [] and "candidates" not in reply.data
    assert reply.text == "Nothing clears your margin after fees right now."
    assert reply.footer == Footer("ESI market data", JITA_SNAPSHOT, False, JITA_SOURCES[:1])  # no history read


async def test_station_min_volume_filter():
    reply = await run("/trade station jita 3 1000", station_market())
    # Damage Control II trades 200 a day; the paste has no history, so the volume rule cannot judge it
    assert candidates(reply) == [WEB, PASTE]


async def test_station_results_limit():
    market = station_market()
    reply = await run("/trade station jita 3 0 1", market)
    assert candidates(reply) == [WEB] and len(reply.tables[0].rows) == 1
    reply = await run("/trade station jita results=2 min-margin=0", market)
    assert candidates(reply) == [WEB, DC2]
    ctx = context(market)
    reply = await dispatch(REGISTRY, Invocation("trade station", {"hub": "jita", "results": "1"}, CALLER), ctx)
    assert candidates(reply) == [WEB]


async def test_station_direct_call_and_simulated_footer():
    market = station_market()
    reply = await trade_station(context(market, simulated=True), CATALOG.location("jita"), min_margin=3.0, results=2)
    assert candidates(reply) == [WEB, DC2]
    assert reply.footer == Footer("simulated ESI (demo)", JITA_SNAPSHOT, True, JITA_SOURCES)


async def test_station_empty_hub():
    reply = await run("/trade station amarr", station_market())
    assert reply.text.startswith("Domain has no market data yet: run `evetrader seed`")
    assert reply.footer == Footer("ESI market data", None, False)  # Amarr was never ingested


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/trade station jita abc", "min-margin: 'abc' is not a number"),
        ("/trade station jita 5 0 26", "results: must be between 1 and 25 (got 26)"),
        ("/trade station jita 5 0 0", "results: must be between 1 and 25 (got 0)"),
        ("/trade station jita 5 -1", "min-volume: must be at least 0 (got -1)"),
        ("/trade station", "missing <hub>"),
    ],
)
async def test_station_argument_errors(text: str, message: str):
    reply = await run(text, station_market())
    assert reply.is_error and reply.ephemeral
    usage = "/trade station <hub> [min-margin] [min-volume] [results] [max-margin=…] [accounting=…] "
    assert reply.text == f"{message}\nusage: {usage}[broker-relations=…] [standing=…] [group=…] [category=…]"


async def test_station_skills_and_margin_band_are_named_options():
    market = station_market()
    default = await run("/trade station jita", market)
    skilled = await run("/trade station jita accounting=5 broker-relations=5", market)
    assert not default.is_error and not skilled.is_error
    first, better = default.data["candidates"][0], skilled.data["candidates"][0]
    assert first["type_id"] == better["type_id"]
    assert better["profit_per_unit"] > first["profit_per_unit"]  # lower tax and broker fee at level V
    capped = await run("/trade station jita max-margin=1", market)
    assert capped.text.startswith("Nothing clears your margin")
    bad = await run("/trade station jita accounting=6", market)
    assert bad.is_error and bad.text.startswith("accounting: must be between 0 and 5 (got 6)")
