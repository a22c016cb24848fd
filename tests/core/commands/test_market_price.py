"""/price driven through dispatch, as a user types it, against hand-computed books."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.chat import Footer, Invocation, SourceAge, dispatch
from core.commands.market_price import price
from core.market.hubs import PLEX_REGION_ID
from tests.core.commands.fake_market import AS_OF, TODAY, FakeMarket, daily_rows, history_row
from tests.core.commands.market_helpers import (
    AMARR,
    AVERAGES,
    CALLER,
    CATALOG,
    JITA,
    JITA_STATION,
    PYERITE,
    REGISTRY,
    TRIT,
    TRIT_BUYS,
    TRIT_SELLS,
    context,
    fields,
    plex_market,
    run,
    trit_market,
)
from tests.core.commands.sample_catalog import sample_catalog

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


async def test_price_best_buy_in_range_counts_region_orders_and_min_volume():
    market = trit_market()
    assert (await run("/price tritanium jita", market)).data["best_buy_in_range"] == 4.50  # the station's own
    market.add_reaching_buys(JITA.region_id, JITA.station_id, TRIT, [(4.8, 100, 10), (4.6, 5)])
    reply = await run("/price tritanium jita", market)
    # 4.8 wants 10 units at least: one unit sells at best into the region-range 4.6; best_buy stays the station's
    assert (reply.data["best_buy"], reply.data["best_buy_in_range"]) == (4.50, 4.6)
    assert fields(reply)["Best buy reaching the station"] == "4.60"


async def test_price_footer_source_age_and_simulated_flag():
    older = AS_OF - timedelta(minutes=4)
    reply = await run("/price tritanium jita", trit_market(as_of=older))
    sources = (SourceAge("Jita orders", older), SourceAge("history", None))  # history's age: not wired here
    assert reply.footer == Footer("ESI market data", older, False, sources)
    reply = await run("/price tritanium jita", trit_market(as_of=older), simulated=True)
    assert reply.footer == Footer("simulated ESI (demo)", older, True, sources)
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
    assert reply.text.startswith("Domain has no market data yet")  # Amarr's region was never ingested
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


async def test_price_plex_uses_the_global_market():
    reply = await run("/price plex jita", plex_market())
    assert reply.title == "PLEX — Global PLEX Market"
    assert reply.data["best_buy"] == 4_050_000 and reply.data["best_sell"] == 4_150_000
    assert reply.data["sell_volume"] == 55 and reply.data["buy_orders"] == 2
    assert reply.data["location_id"] == PLEX_REGION_ID
    plex_source = SourceAge("PLEX market orders", AS_OF - timedelta(minutes=2))
    assert reply.footer == Footer("ESI market data", AS_OF - timedelta(minutes=2), False, (plex_source,))
    reply = await run("/compare plex", plex_market())
    assert reply.text == "PLEX trades only in the global PLEX market: one price everywhere."
    assert reply.data["best_sell"] == 4_150_000
