"""/history driven through dispatch: stats from hand-written history, the chart from a fake renderer."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import timedelta
from itertools import pairwise

import pytest

from core.chat import Footer, Image, SourceAge
from core.market.hubs import PLEX_REGION_ID, PLEX_TYPE_ID
from core.market.model import HistoryRow
from core.market.structures import StructureMarket
from tests.core.commands.fake_market import AS_OF, TODAY, FakeMarket, daily_rows, history_row
from tests.core.commands.market_helpers import AVERAGES, JITA, PYERITE, TRIT, fields, plex_market, run, trit_market
from tests.core.commands.sample_catalog import sample_catalog

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
    assert reply.footer == Footer("ESI market data", None, False, (SourceAge("history", None),))


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
    assert reply.footer == Footer("simulated ESI (demo)", None, True, (SourceAge("history", None),))
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
    market = (
        FakeMarket()
        .add_history(JITA.region_id, PYERITE, [history_row(TODAY, 10.0)])
        .set_snapshot(JITA.region_id, AS_OF)
    )
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


async def test_history_plex_reads_the_plex_region():
    market = plex_market().add_history(PLEX_REGION_ID, PLEX_TYPE_ID, daily_rows(TODAY, [4e6] * 10))
    reply = await run("/history plex amarr", market)
    assert reply.title == "PLEX — Global PLEX Market, 90 days"
    assert reply.data["region_id"] == PLEX_REGION_ID and reply.data["median_5d"] == 4e6


async def test_history_at_a_structure_names_its_region():
    """ESI keeps history per region: at a structure the title and text say the figures are its region's."""
    catalog = sample_catalog()
    name = "Perimeter - Tranquility Trading Tower"
    tower = StructureMarket(1_035_466_617_946, 90_000_001, name, 30000144, None, account_id=1, character_id=2)
    catalog.set_structures([tower])
    charts = FakeCharts()
    reply = await run("/history tritanium tranquility trading tower 30", trit_market(), catalog, charts=charts)
    assert not reply.is_error, reply.text
    assert reply.title == "Tritanium — The Forge (region of Perimeter - Tranquility Trading Tower), 30 days"
    assert reply.text == (
        "ESI keeps market history per region: these are The Forge's figures, "
        "not Perimeter - Tranquility Trading Tower's own."
    )
    assert reply.data["region_id"] == JITA.region_id and reply.data["median_5d"] == 5.0
    [(_, chart_title, _, region_id, _)] = charts.calls
    assert chart_title == "Tritanium — The Forge, 30 days" and region_id == JITA.region_id  # one chart per region
    station = await run("/history tritanium perimeter ii - moon 1 - caldari business tribunal", trit_market())
    assert station.title == (
        "Tritanium — The Forge (region of Perimeter II - Moon 1 - Caldari Business Tribunal), 90 days"
    )
