"""/compare driven through dispatch against hand-computed books at several hubs; no reply leaks a traceback."""

from __future__ import annotations

from datetime import timedelta

from core.chat import Field, Footer, Reply, SourceAge
from core.market.hubs import HUBS
from tests.core.commands.fake_market import AS_OF, FakeMarket
from tests.core.commands.market_helpers import AMARR, DODIXIE, HEK, RENS, TRIT, run, trit_market

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
    assert reply.footer is not None and reply.footer.as_of == AS_OF - timedelta(minutes=20)  # the oldest data
    # every hub's trade station was asked, in its own region
    asked = [call[1:3] for call in market.calls if call[0] == "quote"]
    assert asked == [(hub.region_id, hub.station_id) for hub in HUBS]


async def test_compare_footer_and_data_give_each_hubs_orders_age():
    """Each hub's region is its own snapshot: the footer names every one with its age, not only the oldest."""
    market = three_hub_market().set_snapshot(RENS.region_id, AS_OF - timedelta(hours=2))  # Rens: no Tritanium
    reply = await run("/compare tritanium", market)
    assert reply.footer == Footer(
        "ESI market data",
        AS_OF - timedelta(minutes=20),
        False,
        (
            SourceAge("Jita orders", AS_OF),
            SourceAge("Amarr orders", AS_OF),
            SourceAge("Dodixie orders", AS_OF - timedelta(minutes=20)),
            SourceAge("Rens orders", AS_OF - timedelta(hours=2)),  # read, nothing found: the snapshot's age
            SourceAge("Hek orders", None),  # never ingested
        ),
    )
    assert [(s["name"], s["as_of"]) for s in reply.data["sources"]] == [
        ("Jita orders", "2025-05-20T11:30:00+00:00"),
        ("Amarr orders", "2025-05-20T11:30:00+00:00"),
        ("Dodixie orders", "2025-05-20T11:10:00+00:00"),
        ("Rens orders", "2025-05-20T09:30:00+00:00"),
        ("Hek orders", None),
    ]
    assert {(s["kind"], s["id"]) for s in reply.data["sources"]} == {("market_orders", h.region_id) for h in HUBS}
    assert list(reply.data["hubs"]) == ["Jita", "Amarr", "Dodixie"]  # the existing keys stay


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
    assert not reply.is_error and reply.text.startswith("No hub with market data trades it right now. ")
    assert reply.tables == [] and reply.footer is not None and reply.footer.as_of is None
    assert [s.name for s in reply.footer.sources] == [f"{hub.name} orders" for hub in HUBS]


async def test_compare_usage_errors():
    reply = await run("/compare", three_hub_market())
    assert reply.is_error and reply.text.endswith("usage: /compare <item>")


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
