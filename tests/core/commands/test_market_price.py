"""/price, /compare and /history driven through dispatch, as a user types them, against hand-computed books."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest

from core.catalog import Catalog
from core.commands import Caller, CommandContext, Field, Footer, Image, Invocation, Reply, dispatch
from core.commands.default import build_registry
from core.commands.market_price import price
from core.commands.services import MarketServices
from core.market.hubs import HUBS, PLEX_REGION_ID, PLEX_TYPE_ID
from core.market.model import HistoryRow
from tests.core.commands.fake_market import AS_OF, TODAY, FakeMarket, daily_rows, history_row
from tests.core.commands.sample_catalog import sample_catalog

CALLER = Caller("console", "u1", "Tester")
REGISTRY = build_registry()
CATALOG = sample_catalog()
JITA, AMARR, DODIXIE, RENS, HEK = HUBS
TRIT, PYERITE = 34, 35
JITA_STATION = "Jita IV - Moon 4 - Caldari Navy Assembly Plant"

# The Tritanium book at Jita, and its statistics worked out by hand (core.market.quotes definitions):
# sells 200,000 units in 5 orders; best 4.90; within 5% (<= 5.145): 1,000 + 9,000 + 40,000 = 50,000;
#   1st percentile: 1% of 200,000 = 2,000 units is first reached at 5.00;
#   top 5% (10,000 units): (1,000 x 4.90 + 9,000 x 5.00) / 10,000 = 4.99.
# buys 100,000 units in 4 orders; best 4.50; within 5% (>= 4.275): 500 + 9,500 + 30,000 = 40,000;
#   99th percentile: 1,000 units first reached at 4.40; top 5% (5,000): (500 x 4.50 + 4,500 x 4.40) / 5,000 = 4.41.
# spread 0.40 = 8.2% of the best sell.
TRIT_SELLS = [(5.20, 50_000), (4.90, 1_000), (6.00, 100_000), (5.00, 9_000), (5.10, 40_000)]
TRIT_BUYS = [(4.30, 30_000), (4.50, 500), (4.00, 60_000), (4.40, 9_500)]
# History: 30 days ending yesterday. The 25 oldest averages are 4.00, 4.02, ..., 4.48; the last five 5.0, 5.2, 4.8,
# 5.1, 4.9. Median 5d = 5.00; median 30d = mean of the 15th and 16th smallest (4.28, 4.30) = 4.29.
OLD_AVERAGES = [round(4.00 + 0.02 * i, 2) for i in range(25)]
LAST_FIVE = [5.0, 5.2, 4.8, 5.1, 4.9]
AVERAGES = OLD_AVERAGES + LAST_FIVE


def trit_market(**book: Any) -> FakeMarket:
    market = FakeMarket()
    market.add_book(JITA.region_id, JITA.station_id, TRIT, buys=TRIT_BUYS, sells=TRIT_SELLS, **book)
    market.add_history(JITA.region_id, TRIT, daily_rows(TODAY, AVERAGES))
    return market


def context(market: FakeMarket, catalog: Catalog = CATALOG, **services: Any) -> CommandContext:
    return CommandContext(catalog=catalog, services=MarketServices(reader=market, clock=lambda: AS_OF, **services))


async def run(text: str, market: FakeMarket, catalog: Catalog = CATALOG, **services: Any) -> Reply:
    reply = await dispatch(REGISTRY, Invocation.from_text(text, CALLER), context(market, catalog, **services))
    assert_clean(reply)
    return reply


def assert_clean(reply: Reply) -> None:
    """No traceback or exception class names leak into what the user reads."""
    shown = [reply.text, reply.title or "", *(f.name + f.value for f in reply.fields)]
    shown += [cell for table in reply.tables for row in table.rows for cell in row]
    for text in shown:
        assert "Traceback" not in text and 'File "' not in text and "Error:" not in text, text


def fields(reply: Reply) -> dict[str, str]:
    return {f.name: f.value for f in reply.fields}


# ---------------------------------------------------------------------------------------------------- /price


async def test_price_every_field_hand_computed():
    market = trit_market()
    reply = await run("/price tritanium jita", market)
    assert not reply.is_error
    assert reply.title == f"Tritanium — {JITA_STATION}"
    assert fields(reply) == {
        "Sell": "4.90 (5 orders, 200,000 units)",
        "Buy": "4.50 (4 orders, 100,000 units)",
        "Spread": "0.40 (8.2%)",
        "Depth within 5%": "sell 50,000 · buy 40,000",
        "Percentile (1% sell / 99% buy)": "5.00 / 4.40",
        "Top 5% average": "sell 4.99 · buy 4.41",
        "Median 5d / 30d": "5.00 / 4.29",
    }
    assert reply.fields[0].name == "Sell"  # sell first, medians last
    assert reply.fields[-1].name == "Median 5d / 30d"
    # history is read for the medians' window only (40 days back), in the hub's region
    assert ("history", JITA.region_id, TRIT, TODAY - timedelta(days=40)) in market.calls
    assert ("quote", JITA.region_id, JITA.station_id, TRIT) in market.calls


async def test_price_data_keys_and_values():
    reply = await run("/price tritanium jita", trit_market())
    data = reply.data
    assert {
        k: data[k]
        for k in (
            "type_id",
            "name",
            "location_id",
            "best_sell",
            "best_buy",
            "sell_volume",
            "buy_volume",
            "sell_orders",
            "buy_orders",
        )
    } == {
        "type_id": TRIT,
        "name": "Tritanium",
        "location_id": JITA.station_id,
        "best_sell": 4.90,
        "best_buy": 4.50,
        "sell_volume": 200_000,
        "buy_volume": 100_000,
        "sell_orders": 5,
        "buy_orders": 4,
    }
    assert data["sell_depth_5pct"] == 50_000 and data["buy_depth_5pct"] == 40_000
    assert data["sell_percentile"] == 5.00 and data["buy_percentile"] == 4.40
    assert data["sell_top5_avg"] == pytest.approx(4.99) and data["buy_top5_avg"] == pytest.approx(4.41)
    assert data["spread"] == pytest.approx(0.40)
    assert data["median_5d"] == pytest.approx(5.00) and data["median_30d"] == pytest.approx(4.29)
    assert data["as_of"] == "2025-05-20T11:30:00+00:00"
    assert AS_OF.fromisoformat(data["as_of"]) == AS_OF


async def test_price_footer_source_age_and_simulated_flag():
    older = AS_OF - timedelta(minutes=4)
    reply = await run("/price tritanium jita", trit_market(as_of=older))
    assert reply.footer == Footer("ESI market data", older, False)
    reply = await run("/price tritanium jita", trit_market(as_of=older), simulated=True)
    assert reply.footer == Footer("simulated ESI (demo)", older, True)
    assert reply.footer is not None and reply.footer.simulated


async def test_price_medians_ignore_today_and_old_rows():
    market = trit_market()
    rows = [*daily_rows(TODAY, AVERAGES), history_row(TODAY, 99.0), history_row(TODAY - timedelta(days=60), 99.0)]
    market.add_history(JITA.region_id, TRIT, rows)
    reply = await run("/price trit", market)
    assert fields(reply)["Median 5d / 30d"] == "5.00 / 4.29"


async def test_price_without_history_has_no_median_field():
    market = FakeMarket().add_book(JITA.region_id, JITA.station_id, TRIT, buys=TRIT_BUYS, sells=TRIT_SELLS)
    reply = await run("/price tritanium", market)
    assert "Median 5d / 30d" not in fields(reply)
    assert reply.data["median_5d"] is None and reply.data["median_30d"] is None
    assert fields(reply)["Sell"] == "4.90 (5 orders, 200,000 units)"


async def test_price_one_sided_book():
    market = FakeMarket().add_book(JITA.region_id, JITA.station_id, TRIT, sells=[(4.90, 1_000)])
    reply = await run("/price tritanium jita", market)
    assert fields(reply)["Buy"] == "— (0 orders, 0 units)"
    assert fields(reply)["Spread"] == "— (—)"
    assert reply.data["best_buy"] is None and reply.data["spread"] is None and reply.data["buy_orders"] == 0


async def test_price_nobody_trades_it():
    market = trit_market()
    reply = await run("/price pyerite jita", market)
    assert not reply.is_error
    assert reply.title == f"Pyerite — {JITA_STATION}"
    assert reply.text == "Nobody buys or sells it there right now."
    assert reply.data == {"type_id": PYERITE, "location_id": JITA.station_id}
    assert reply.footer == Footer("ESI market data", None, False)
    assert reply.fields == []


async def test_price_default_hub_when_where_is_omitted():
    market = trit_market()
    market.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(4.60, 100)], sells=[(5.00, 200)])
    reply = await run("/price tritanium", market)
    assert reply.data["location_id"] == JITA.station_id and reply.data["best_sell"] == 4.90
    reply = await run("/price tritanium", market, catalog=sample_catalog(default_hub="Amarr"))
    assert reply.data["location_id"] == AMARR.station_id and reply.data["best_sell"] == 5.00
    assert reply.title is not None and reply.title.endswith("Amarr VIII (Oris) - Emperor Family Academy")


async def test_price_at_a_station_and_at_a_hub_system():
    market = trit_market()
    perimeter = 60000004
    market.add_book(JITA.region_id, perimeter, TRIT, buys=[(4.10, 10)], sells=[(4.20, 20)])
    reply = await run('/price tritanium "Perimeter II - Moon 1 - Caldari Business Tribunal"', market)
    assert reply.data["location_id"] == perimeter and reply.data["best_buy"] == 4.10
    reply = await run("/price tritanium Jita", market)  # the hub (and system) name: its trade station
    assert reply.data["location_id"] == JITA.station_id


async def test_price_direct_handler_call():
    market = trit_market()
    ctx = context(market)
    reply = await price(ctx, CATALOG.item("Tritanium"), CATALOG.location("amarr"))
    assert reply.text == "Nobody buys or sells it there right now."
    reply = await price(ctx, CATALOG.item("Tritanium"))
    assert reply.data["best_sell"] == 4.90


@pytest.mark.parametrize("where", ["delve", "perimeter"])
async def test_price_in_a_place_without_hub_is_a_clear_error(where: str):
    reply = await run(f"/price tritanium {where}", trit_market())
    assert reply.is_error
    assert "has no trade hub" in reply.text and "Incident id" not in reply.text


async def test_price_in_a_place_without_hub_does_not_crash_or_leak():
    """A region without a hub: an error reply only the caller sees, never a traceback."""
    reply = await run("/price tritanium delve", trit_market())
    assert reply.is_error and reply.ephemeral


@pytest.mark.parametrize("where", ['"the forge"', "domain"])
async def test_price_in_a_hub_region_uses_its_hub_station(where: str):
    market = trit_market()
    market.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(4.60, 100)], sells=[(5.00, 200)])
    reply = await run(f"/price tritanium {where}", market)
    assert not reply.is_error
    assert reply.data["location_id"] in (JITA.station_id, AMARR.station_id)


async def test_price_unknown_item_suggests():
    reply = await run("/price tritanum jita", trit_market())  # a typo close enough is accepted
    assert reply.data["name"] == "Tritanium"
    reply = await run("/price mega pulse laser", trit_market())  # ambiguous: I or II
    assert reply.is_error and reply.ephemeral
    assert "did you mean" in reply.text and "Mega Pulse Laser II" in reply.text and "Mega Pulse Laser I" in reply.text
    assert reply.text.endswith("usage: /price <item> [where]")
    reply = await run("/price qqqqxxxx", trit_market())
    assert reply.is_error and "unknown item 'qqqqxxxx'" in reply.text


async def test_price_unknown_hub_lists_valid_hubs_named_option():
    ctx = context(trit_market())
    reply = await dispatch(REGISTRY, Invocation("price", {"item": "tritanium", "where": "narnia"}, CALLER), ctx)
    assert reply.is_error
    assert "unknown location 'narnia'" in reply.text
    assert "valid hubs: Jita, Amarr, Dodixie, Rens, Hek" in reply.text
    assert reply.data["usage"] == "/price <item> [where]"


async def test_price_unknown_hub_lists_valid_hubs_raw_text():
    reply = await run("/price tritanium narnia", trit_market())
    assert reply.is_error
    assert "valid hubs: Jita, Amarr, Dodixie, Rens, Hek" in reply.text


async def test_price_argument_errors_show_usage():
    reply = await run("/price", trit_market())
    assert reply.is_error and reply.text == "missing <item>\nusage: /price <item> [where]"
    ctx = context(trit_market())
    reply = await dispatch(REGISTRY, Invocation("price", {"item": "trit", "colour": "red"}, CALLER), ctx)
    assert reply.is_error and "usage: /price <item> [where]" in reply.text


# ---------------------------------------------------------------------------------------------------- /compare


def three_hub_market() -> FakeMarket:
    market = trit_market()
    market.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(4.70, 2_000), (4.60, 1_000)], sells=[(4.95, 300)])
    market.add_book(
        DODIXIE.region_id, DODIXIE.station_id, TRIT, sells=[(5.00, 500)], as_of=AS_OF - timedelta(minutes=20)
    )
    return market


async def test_compare_three_hubs():
    market = three_hub_market()
    reply = await run("/compare tritanium", market)
    assert not reply.is_error
    assert reply.title == "Tritanium at the hubs"
    assert reply.text == "buy in Jita at 4.90 · sell in Amarr at 4.70"
    [table] = reply.tables
    assert table.headers == ["Hub", "Sell", "Sell vol", "Buy", "Buy vol"]
    assert table.rows == [
        ["Jita", "4.90", "200,000", "4.50", "100,000"],
        ["Amarr", "4.95", "300", "4.70", "3,000"],
        ["Dodixie", "5.00", "500", "—", "0"],
    ]
    assert reply.data["buy_at"] == "Jita" and reply.data["sell_at"] == "Amarr"
    assert reply.data["type_id"] == TRIT and reply.data["name"] == "Tritanium"
    hubs = reply.data["hubs"]
    assert list(hubs) == ["Jita", "Amarr", "Dodixie"]
    assert hubs["Amarr"]["best_buy"] == 4.70 and hubs["Amarr"]["location_id"] == AMARR.station_id
    assert hubs["Dodixie"]["best_buy"] is None and hubs["Jita"]["sell_volume"] == 200_000
    assert reply.footer == Footer("ESI market data", AS_OF - timedelta(minutes=20), False)  # the oldest data
    # every hub's trade station was asked, in its own region
    asked = [call[1:3] for call in market.calls if call[0] == "quote"]
    assert asked == [(hub.region_id, hub.station_id) for hub in HUBS]


async def test_compare_two_hubs_one_side_each():
    market = FakeMarket()
    market.add_book(RENS.region_id, RENS.station_id, TRIT, sells=[(4.00, 100)])
    market.add_book(HEK.region_id, HEK.station_id, TRIT, buys=[(4.20, 50)])
    reply = await run("/compare trit", market)
    assert reply.text == "buy in Rens at 4.00 · sell in Hek at 4.20"
    assert reply.tables[0].rows == [["Rens", "4.00", "100", "—", "0"], ["Hek", "—", "0", "4.20", "50"]]
    assert reply.data["buy_at"] == "Rens" and reply.data["sell_at"] == "Hek"


async def test_compare_nobody_trades_it():
    reply = await run("/compare pyerite", three_hub_market())
    assert not reply.is_error and reply.text == "No hub trades it right now."
    assert reply.tables == [] and reply.footer == Footer("ESI market data", None, False)


async def test_compare_usage_errors():
    reply = await run("/compare", three_hub_market())
    assert reply.is_error and reply.text.endswith("usage: /compare <item>")


# ---------------------------------------------------------------------------------------------------- /history

PNG = b"\x89PNG\r\n\x1a\n fake chart"


class FakeCharts:
    """An async chart renderer that records its calls and returns fixed PNG bytes."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[HistoryRow], str, int, int, int]] = []

    async def __call__(
        self, rows: Sequence[HistoryRow], *, title: str, days: int, region_id: int, type_id: int
    ) -> bytes:
        self.calls.append((list(rows), title, days, region_id, type_id))
        return PNG


def expected_volatility(averages: Sequence[float]) -> float:
    returns = [math.log(b / a) for a, b in pairwise(averages)]
    return statistics.stdev(returns)


async def test_history_chart_and_stats():
    charts = FakeCharts()
    market = trit_market()
    reply = await run("/history tritanium jita", market, charts=charts)
    assert not reply.is_error
    assert reply.title == "Tritanium — The Forge, 90 days"
    assert reply.images == [Image(PNG, "Daily average price and volume of Tritanium, last 90 days", "34-history.png")]
    [(rows, title, days, region_id, type_id)] = charts.calls
    assert len(rows) == 30 and title == reply.title and days == 90
    assert (region_id, type_id) == (JITA.region_id, TRIT)
    assert ("history", JITA.region_id, TRIT, TODAY - timedelta(days=90)) in market.calls
    # trend: VWAP of the last 7 days (4.46, 4.48, 5.0, 5.2, 4.8, 5.1, 4.9; equal volumes) against the 7 before
    # (4.32 .. 4.44): (33.94 / 7 - 4.38) / 4.38 = +10.7%
    recent, previous = sum(AVERAGES[-7:]) / 7, sum(AVERAGES[-14:-7]) / 7
    assert previous == pytest.approx(4.38)
    trend = (recent - previous) / previous * 100
    assert f"{trend:+.1f}%" == "+10.7%"
    volatility = expected_volatility(AVERAGES)
    assert fields(reply) == {
        "Median 5d / 30d": "5.00 / 4.29",
        "Avg daily volume (30d)": "1,000",
        "Trend (7d vs prior 7d)": "+10.7%",
        "Volatility (30d, daily)": f"{volatility * 100:.1f}%",
    }
    assert reply.data == {
        "type_id": TRIT,
        "region_id": JITA.region_id,
        "days": 30,
        "median_5d": pytest.approx(5.0),
        "median_30d": pytest.approx(4.29),
        "avg_volume_30d": pytest.approx(1000.0),
        "trend_7d_pct": pytest.approx(trend),
        "volatility_30d": pytest.approx(volatility),
    }
    assert reply.footer == Footer("ESI market data", None, False)


async def test_history_without_renderer_has_stats_only():
    reply = await run("/history tritanium", trit_market())
    assert reply.images == [] and fields(reply)["Median 5d / 30d"] == "5.00 / 4.29"


async def test_history_days_window_and_simulated_footer():
    charts = FakeCharts()
    market = trit_market()
    reply = await run("/history tritanium jita 7", market, charts=charts, simulated=True)
    assert reply.title == "Tritanium — The Forge, 7 days"
    assert reply.data["days"] == 7  # only the last week's rows were read
    assert reply.images[0].alt.endswith("last 7 days")
    assert ("history", JITA.region_id, TRIT, TODAY - timedelta(days=7)) in market.calls
    assert reply.footer == Footer("simulated ESI (demo)", None, True)
    reply = await run("/history tritanium days=365", market, charts=charts)
    assert not reply.is_error and reply.title == "Tritanium — The Forge, 365 days"


async def test_history_short_trend_unknown():
    market = FakeMarket().add_history(JITA.region_id, TRIT, daily_rows(TODAY, [5.0, 5.0]))
    reply = await run("/history tritanium", market)
    assert fields(reply)["Trend (7d vs prior 7d)"] == "—"
    assert fields(reply)["Volatility (30d, daily)"] == "—"


async def test_history_none_is_friendly():
    charts = FakeCharts()
    reply = await run("/history pyerite jita", trit_market(), charts=charts)
    assert not reply.is_error
    assert reply.text == "No history for it there yet."
    assert reply.images == [] and charts.calls == []
    # only today's (unfinished) row: still no history to summarise
    market = FakeMarket().add_history(JITA.region_id, PYERITE, [history_row(TODAY, 10.0)])
    reply = await run("/history pyerite", market, charts=charts)
    assert reply.text == "No history for it there yet." and charts.calls == []


@pytest.mark.parametrize("days", ["6", "366", "0", "-5"])
async def test_history_days_out_of_bounds(days: str):
    charts = FakeCharts()
    reply = await run(f"/history tritanium jita {days}", trit_market(), charts=charts)
    assert reply.is_error and reply.ephemeral
    assert reply.text.endswith("usage: /history <item> [where] [days]")
    assert charts.calls == []


async def test_history_days_bounds_message_and_wrong_type():
    reply = await run("/history tritanium jita 6", trit_market())
    assert reply.text.startswith("days: must be between 7 and 365 (got 6)")
    reply = await run("/history tritanium jita 30.5", trit_market())
    assert reply.is_error and "days: '30.5' is not a whole number" in reply.text
    reply = await run("/history tritanium jita soon", trit_market())
    assert reply.is_error and "days: 'soon' is not a number" in reply.text
    assert reply.data["usage"] == "/history <item> [where] [days]"


async def test_history_in_a_region_without_hub():
    market = FakeMarket().add_history(10000060, TRIT, daily_rows(TODAY, AVERAGES))
    reply = await run("/history tritanium delve", market)
    assert not reply.is_error and reply.data["region_id"] == 10000060


async def test_no_reply_leaks_a_traceback():
    market = three_hub_market()
    for text in (
        "/price tritanium delve",
        "/price tritanium perimeter",
        "/price tritanium narnia",
        "/price",
        "/compare",
        "/history trit jita 3",
        "/history trit delve",
        "/price plex amarr",
        "/compare plex",
    ):
        reply = await run(text, market)  # run() asserts no traceback text
        assert isinstance(reply, Reply)
        assert all(isinstance(f, Field) for f in reply.fields)


# ---------------------------------------------------------------------------------------------------- PLEX


def plex_market() -> FakeMarket:
    """PLEX orders at two places of the global PLEX market: one book over the whole region."""
    market = FakeMarket()
    market.add_book(PLEX_REGION_ID, 1, PLEX_TYPE_ID, buys=[(4_000_000, 100)], sells=[(4_200_000, 50)])
    market.add_book(PLEX_REGION_ID, 2, PLEX_TYPE_ID, buys=[(4_050_000, 10)], sells=[(4_150_000, 5)])
    market.set_snapshot(PLEX_REGION_ID, AS_OF - timedelta(minutes=2))
    return market


async def test_price_plex_uses_the_global_market():
    reply = await run("/price plex jita", plex_market())
    assert reply.title == "PLEX — Global PLEX Market"
    assert reply.data["best_buy"] == 4_050_000 and reply.data["best_sell"] == 4_150_000
    assert reply.data["sell_volume"] == 55 and reply.data["buy_orders"] == 2
    assert reply.data["location_id"] == PLEX_REGION_ID
    assert reply.footer == Footer("ESI market data", AS_OF - timedelta(minutes=2), False)
    reply = await run("/compare plex", plex_market())
    assert reply.text == "PLEX trades only in the global PLEX market: one price everywhere."
    assert reply.data["best_sell"] == 4_150_000


async def test_history_plex_reads_the_plex_region():
    market = plex_market().add_history(PLEX_REGION_ID, PLEX_TYPE_ID, daily_rows(TODAY, [4e6] * 10))
    reply = await run("/history plex amarr", market)
    assert reply.title == "PLEX — Global PLEX Market, 90 days"
    assert reply.data["region_id"] == PLEX_REGION_ID and reply.data["median_5d"] == 4e6
