"""/browse through dispatch over the sample market groups, and the finders' group= and category= filters."""

from __future__ import annotations

from dataclasses import replace

from core.catalog import Catalog, CatalogItem
from core.catalog_groups import MarketTree
from core.chat import Footer, Invocation, SourceAge, dispatch
from tests.core.commands.fake_market import FakeMarket
from tests.core.commands.market_helpers import (
    AMARR,
    CALLER,
    DC2,
    JITA,
    JITA_SNAPSHOT,
    LSE2,
    REGISTRY,
    TRIT,
    WEB,
    assert_clean,
    context,
    run,
    trit_market,
)
from tests.core.commands.test_market_haul import haul_market
from tests.core.commands.test_market_trade import station_market


async def test_browse_starts_at_the_top_with_counts() -> None:
    reply = await run("/browse", FakeMarket())
    assert not reply.is_error and reply.title == "Market"
    [table] = reply.tables
    assert table.headers == ["Group", "Items"]
    assert ["Ships", "4"] in table.rows and ["Manufacture & Research", "15"] in table.rows
    assert all(row[0] != "Blueprints & Reactions" for row in table.rows)  # no sample item under it
    assert reply.data["group"] is None and reply.data["items"] == []
    assert {"market_group_id": 4, "name": "Ships", "type_count": 4} in reply.data["children"]


async def test_browse_a_group_lists_its_children_and_a_leaf_its_items_priced_at_the_hub() -> None:
    reply = await run("/browse frigats", FakeMarket())  # fuzzy, like items
    assert reply.title == "Ships > Frigates"
    assert reply.tables[0].rows == [["Standard Frigates", "1"]]

    market = trit_market()
    market.set_snapshot(JITA.region_id, JITA_SNAPSHOT)
    reply = await run("/browse minerals", market)
    assert reply.title == "Manufacture & Research > Materials > Minerals" and reply.text == "8 items."
    [table] = reply.tables
    assert table.headers == ["Item", "Buy (Jita)", "Sell"]
    assert table.rows[0] == ["Isogen", "—", "—"] and ["Tritanium", "4.50", "4.90"] in table.rows
    assert reply.data["group"] == {"market_group_id": 1857, "name": "Minerals", "path": reply.title}
    assert {"type_id": TRIT, "name": "Tritanium", "best_buy": 4.5, "best_sell": 4.9} in reply.data["items"]
    assert reply.data["location_id"] == JITA.station_id and (reply.data["page"], reply.data["pages"]) == (1, 1)
    assert reply.footer == Footer("ESI market data", JITA_SNAPSHOT, False, (SourceAge("Jita orders", JITA_SNAPSHOT),))
    assert reply.data["sources"] == [
        {"kind": "market_orders", "id": JITA.region_id, "name": "Jita orders", "as_of": JITA_SNAPSHOT.isoformat()}
    ]


async def test_browse_prices_at_the_callers_default_hub() -> None:
    market = FakeMarket()
    market.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(4.2, 10)], sells=[(5.5, 10)])
    ctx = replace(context(market), default_hub="Amarr")
    reply = await dispatch(REGISTRY, Invocation.from_text("/browse minerals", CALLER), ctx)
    assert reply.tables[0].headers[1] == "Buy (Amarr)" and reply.data["location_id"] == AMARR.station_id
    assert {"type_id": TRIT, "name": "Tritanium", "best_buy": 4.2, "best_sell": 5.5} in reply.data["items"]


async def test_browse_pages_long_groups() -> None:
    items = [CatalogItem(1000 + n, f"Widget {n:02d}", "Widget", 1.0) for n in range(45)]
    tree = MarketTree([(1, None, "Widgets")], [(item.type_id, 1, "Commodity") for item in items])
    catalog = Catalog(items, groups=tree)
    first = await run("/browse widgets", FakeMarket(), catalog)
    assert len(first.tables[0].rows) == 20 and first.tables[0].rows[0][0] == "Widget 00"
    assert first.text == "45 items, page 1 of 3." and (first.data["page"], first.data["pages"]) == (1, 3)
    assert [b.action for b in first.buttons] == ["browse Widgets page=2"]
    assert first.buttons[0].action is not None
    last = await run(first.buttons[0].action.replace("page=2", "page=3"), FakeMarket(), catalog)
    assert [row[0] for row in last.tables[0].rows] == [f"Widget {n}" for n in range(40, 45)] and not last.buttons
    beyond = await run("/browse widgets page=4", FakeMarket(), catalog)
    assert beyond.is_error and "Widgets has 3 pages of items" in beyond.text


async def test_browse_unknown_ambiguous_and_missing_groups() -> None:
    reply = await run("/browse frigatez", FakeMarket())
    assert reply.is_error and "unknown market group 'frigatez'; did you mean Frigates" in reply.text
    reply = await run("/browse caldari", FakeMarket())
    assert reply.is_error and "'Ships > Cruisers > Standard Cruisers > Caldari'" in reply.text
    reply = await run("/browse", FakeMarket(), Catalog([CatalogItem(34, "Tritanium", "Mineral", 0.01)]))
    assert reply.is_error and "No market groups are imported yet" in reply.text


async def test_station_finder_takes_group_and_category_filters() -> None:
    market = station_market()
    unfiltered = await run("/trade station jita", market)
    assert [c["type_id"] for c in unfiltered.data["candidates"]] == [WEB, DC2]
    webs = await run("/trade station jita group=webifiers", market)
    assert [c["type_id"] for c in webs.data["candidates"]] == [WEB]
    modules = await run("/trade station jita category=modules group=hull", market)
    assert [c["type_id"] for c in modules.data["candidates"]] == [DC2]
    ships = await run("/trade station jita category=ships", market)
    assert ships.data.get("candidates", []) == [] and not ships.is_error
    bad = await run("/trade station jita group=frigatez", market)
    assert bad.is_error and "group: unknown market group 'frigatez'; did you mean Frigates" in bad.text


async def test_haul_finder_takes_group_and_category_filters() -> None:
    everything = await run("/trade haul jita amarr", haul_market())
    assert [p["type_id"] for p in everything.data["plans"]] == [LSE2, TRIT]
    minerals = await run("/trade haul jita amarr category=material", haul_market())
    assert [p["type_id"] for p in minerals.data["plans"]] == [TRIT]
    equipment = await run("/trade haul jita amarr group=ship>equipment", haul_market())
    assert equipment.is_error and "unknown market group 'ship>equipment'" in equipment.text  # Ships > no such group
    shields = await run("/trade haul jita amarr group=shield", haul_market())
    assert [p["type_id"] for p in shields.data["plans"]] == [LSE2]
    bad = await run("/trade haul jita amarr category=starships", haul_market())
    assert bad.is_error and "category: unknown category 'starships'" in bad.text
    assert_clean(bad)


async def test_group_of_several_words_quoted_or_last() -> None:
    """group= takes a quoted name (straight, single or a phone's typographic quotes) or runs on to the end."""
    market = station_market()
    for typed in (
        "group=stasis webifiers",
        'group="Stasis Webifiers"',
        "group=“stasis webifiers” category=modules",
        "category=modules group=‘stasis webifiers’",
    ):
        webs = await run(f"/trade station jita {typed}", market)
        assert not webs.is_error, (typed, webs.text)
        assert [c["type_id"] for c in webs.data["candidates"]] == [WEB], typed
    shields = await run("/trade haul jita amarr group=shield extenders", haul_market())
    assert [p["type_id"] for p in shields.data["plans"]] == [LSE2]
    browsed = await run("/browse group=stasis webifiers", FakeMarket())
    assert not browsed.is_error and browsed.title == "Ship Equipment > Electronic Warfare > Stasis Webifiers"
    unclosed = await run('/trade station jita group="stasis webifiers', market)
    assert unclosed.is_error and 'group: close the quotes around the value (group="two words")' in unclosed.text
