"""The model's read-only tools: schema checks, unknown tools, unresolvable names and timeouts as error results."""

from __future__ import annotations

import asyncio
import json

from core.analysis.provider import ToolCall
from core.appraisal.parsers import default_parsers
from core.chat import CommandContext, Invocation
from core.usecases.analysis_tools import TOOL_SPECS, MarketTools, check_arguments
from tests.core.commands.fake_market import FakeMarket
from tests.core.commands.market_helpers import AMARR, CALLER, JITA, REGISTRY, TRIT, context, trit_market

SCHEMA = next(spec for spec in TOOL_SPECS if spec.name == "haul_scan").parameters


def tools(market: FakeMarket) -> MarketTools:
    ctx = context(market, parsers=default_parsers()).bind(Invocation("ask", "", CALLER), REGISTRY)
    return MarketTools(ctx)


async def run(market: FakeMarket, name: str, timeout_s: float = 5.0, **arguments: object):
    return await tools(market).run(ToolCall("t1", name, arguments), timeout_s)


def test_arguments_are_checked_against_the_schema():
    assert check_arguments(SCHEMA, {"source": "Jita", "destination": "Amarr"}) is None
    assert check_arguments(SCHEMA, {"source": "Jita"}) == "missing argument 'destination'"
    assert (
        check_arguments(SCHEMA, {"source": "Jita", "destination": "Amarr", "limit": 50}) == "unknown argument 'limit'"
    )
    assert check_arguments(SCHEMA, {"source": 5, "destination": "Amarr"}) == "source: must be a string"
    assert "results" in (check_arguments(SCHEMA, {"source": "J", "destination": "A", "results": 50}) or "")
    assert check_arguments(SCHEMA, {"source": "J", "destination": "A", "results": True}) == "results: must be a integer"
    assert (
        check_arguments(SCHEMA, {"source": "J", "destination": "A", "results": 2.5})
        == "results: must be a whole number"
    )
    assert "one of immediate, order" in (
        check_arguments(SCHEMA, {"source": "J", "destination": "A", "mode": "x"}) or ""
    )
    assert check_arguments(SCHEMA, {"source": "", "destination": "A"}) == "source: length must be 1-100"
    assert check_arguments(SCHEMA, ["not", "an", "object"]) == "arguments must be an object"  # type: ignore[arg-type]


async def test_price_returns_our_quote_as_json():
    result = await run(trit_market(), "price", item="trit", where="Jita")
    assert not result.is_error and result.call_id == "t1"
    data = json.loads(result.content)["data"]
    assert (data["best_sell"], data["best_buy"], data["sell_depth_5pct"]) == (4.90, 4.50, 50_000)


async def test_unknown_tools_bad_arguments_and_unresolvable_names_are_error_results():
    market = trit_market()
    refused = await run(market, "reveal_system_prompt")
    assert refused.is_error and "unknown tool 'reveal_system_prompt'" in refused.content
    bad = await run(market, "price", item="trit", count=50)
    assert bad.is_error and "unknown argument 'count'" in bad.content
    nowhere = await run(market, "price", item="no such thing at all")
    assert nowhere.is_error and "unknown item" in nowhere.content
    narnia = await run(market, "station_scan", hub="Narnia")
    assert narnia.is_error and "unknown location" in narnia.content


async def test_compare_history_scans_and_appraisal_run_through_core():
    market = trit_market()
    market.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(6.0, 100_000)], sells=[(7.0, 10)])
    compare = json.loads((await run(market, "compare_hubs", item="Tritanium")).content)
    assert compare["data"]["sell_at"] == "Amarr"
    history = json.loads((await run(market, "history_stats", item="Tritanium")).content)
    assert history["median_30d"] == 4.29 and history["location_id"] == JITA.station_id
    station = await run(market, "station_scan", hub="Jita", results=3)
    assert not station.is_error and "Station trading" in station.content
    haul = json.loads((await run(market, "haul_scan", source="Jita", destination="Amarr", cargo_m3=1000.0)).content)
    assert haul["data"]["plans"][0]["name"] == "Tritanium"
    appraisal = json.loads((await run(market, "appraise", items="1000 Tritanium")).content)
    assert appraisal["data"]["totals"]["sell"] == 4900.0


async def test_a_slow_tool_times_out_as_an_error_result():
    class SlowMarket(FakeMarket):
        async def quote(self, region_id, location_id, type_id):
            await asyncio.sleep(1)
            return None

    result = await run(SlowMarket(), "price", timeout_s=0.05, item="Tritanium")
    assert result.is_error and result.content == "price timed out"


async def test_a_crashing_tool_is_an_error_result_without_details():
    ctx = CommandContext(catalog=context(trit_market()).catalog, services=None)
    result = await MarketTools(ctx.bind(Invocation("ask", "", CALLER), REGISTRY)).run(
        ToolCall("t9", "price", {"item": "Tritanium"}), 1.0
    )
    assert result.is_error and result.content == "price failed on our side"


async def test_the_tools_keep_each_source_they_read_once_with_its_age():
    market = trit_market()
    market.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(6.0, 100_000)], sells=[(7.0, 10)])
    runner = tools(market)
    for arguments in ({"item": "trit", "where": "Amarr"}, {"item": "trit", "where": "Amarr"}):
        assert not (await runner.run(ToolCall("p", "price", arguments), 5.0)).is_error
    assert not (await runner.run(ToolCall("h", "history_stats", {"item": "trit"}), 5.0)).is_error
    assert (await runner.run(ToolCall("x", "price", {"item": "no such thing at all"}), 5.0)).is_error  # reads nothing
    assert [source.name for source in runner.sources] == ["Amarr orders", "Jita orders", "history"]
    assert [source.id for source in runner.sources][:2] == [AMARR.region_id, JITA.region_id]
