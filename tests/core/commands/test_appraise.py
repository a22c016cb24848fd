"""/appraise through dispatch: hub prices, CCP-average fallback, PLEX's global market, copies, unread lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.appraisal.parse import DEFAULT_MAX_BYTES
from core.appraisal.parsers import default_parsers
from core.chat.dispatch import dispatch
from core.chat.model import Invocation, SourceAge
from core.market.hubs import PLEX_REGION_ID, find_hub
from tests.core.commands.fake_market import AS_OF, FakeMarket
from tests.core.commands.market_helpers import CALLER, REGISTRY, assert_clean, context

JITA, AMARR = find_hub("jita"), find_hub("amarr")
TRIT, RIFTER, PLEX = 34, 587, 44992


PRICES_FETCHED = AS_OF - timedelta(minutes=40)


class Averages:
    def __init__(self, prices: dict[int, float], fetched: datetime | None = PRICES_FETCHED) -> None:
        self.prices = prices
        self.fetched = fetched

    async def averages(self, type_ids: Sequence[int]) -> dict[int, float]:
        return {t: p for t, p in self.prices.items() if t in type_ids}

    async def fetched_at(self) -> datetime | None:
        return self.fetched


def market() -> FakeMarket:
    fake = FakeMarket()
    fake.add_book(JITA.region_id, JITA.station_id, TRIT, buys=[(4.0, 1_000_000)], sells=[(5.0, 2_000_000)])
    fake.add_book(JITA.region_id, JITA.station_id, RIFTER, buys=[(400_000.0, 5)], sells=[(500_000.0, 3)])
    fake.add_book(AMARR.region_id, AMARR.station_id, TRIT, buys=[(4.2, 1_000)], sells=[(5.5, 100_000)])
    fake.add_book(PLEX_REGION_ID, 60003760, PLEX, buys=[(5_000_000.0, 500)], sells=[(5_200_000.0, 800)])
    return fake


async def appraise(paste: str, where: str | None = None):
    args = {"paste": paste} | ({"where": where} if where else {})
    ctx = context(market(), parsers=default_parsers(), averages=Averages({RIFTER: 450_000.0}))
    reply = await dispatch(REGISTRY, Invocation("appraise", args, CALLER), ctx)
    assert_clean(reply)
    return reply


async def test_items_are_priced_at_the_hub_with_fallbacks_and_unread_lines_listed() -> None:
    reply = await appraise("1,000 Tritanium\n2 Rifter\nPLEX 2\nnot a thing\n500 Tritanium")
    assert not reply.is_error
    items = {i["name"]: i for i in reply.data["items"]}
    assert (items["Tritanium"]["quantity"], items["Tritanium"]["sell"], items["Tritanium"]["price_source"]) == (
        1500,
        5.0,
        "hub",
    )
    rifter = items["Rifter"]  # 3 on sale: only the thin sell side takes CCP's average, the real best buy stays
    assert (rifter["sell"], rifter["buy"], rifter["price_source"]) == (450_000.0, 400_000.0, "ccp_average")
    assert (rifter["sell_price_source"], rifter["buy_price_source"]) == ("ccp_average", "hub")
    assert items["Tritanium"]["buy_price_source"] == items["Tritanium"]["sell_price_source"] == "hub"
    assert (items["PLEX"]["sell"], items["PLEX"]["buy"], items["PLEX"]["price_source"]) == (
        5_200_000.0,
        5_000_000.0,
        "hub",
    )
    totals = reply.data["totals"]
    assert totals["sell"] == 1500 * 5.0 + 2 * 450_000.0 + 2 * 5_200_000.0
    assert totals["buy"] == 1500 * 4.0 + 2 * 400_000.0 + 2 * 5_000_000.0  # before: 2 x 450,000 (12.5% too high)
    assert [(u["line"], u["text"]) for u in reply.data["unparsed"]] == [(4, "not a thing")]
    assert "Lines I could not read" in reply.text and "line 4: not a thing" in reply.text


async def test_footer_and_data_name_each_source_with_its_age() -> None:
    """Jita's orders, PLEX's global market and, for the thin Rifter, CCP's average prices, each with its own age."""
    fake = market()
    fake.add_book(JITA.region_id, JITA.station_id, TRIT, sells=[(5.0, 100)], as_of=AS_OF - timedelta(minutes=5))
    fake.add_book(PLEX_REGION_ID, 60003760, PLEX, sells=[(5_200_000.0, 800)])
    fake.set_snapshot(PLEX_REGION_ID, AS_OF - timedelta(minutes=2))
    ctx = context(fake, parsers=default_parsers(), averages=Averages({RIFTER: 450_000.0}))
    reply = await dispatch(REGISTRY, Invocation("appraise", {"paste": "10 Tritanium\n2 Rifter\nPLEX 1"}, CALLER), ctx)
    assert reply.footer is not None and reply.footer.sources == (
        SourceAge("Jita orders", AS_OF - timedelta(minutes=5)),  # the oldest quote priced at the hub
        SourceAge("PLEX market orders", AS_OF - timedelta(minutes=2)),
        SourceAge("CCP average prices", PRICES_FETCHED),
    )
    assert reply.data["sources"] == [
        {"kind": "market_orders", "id": 10000002, "name": "Jita orders", "as_of": "2025-05-20T11:25:00+00:00"},
        {"kind": "market_orders", "id": 19000001, "name": "PLEX market orders", "as_of": "2025-05-20T11:28:00+00:00"},
        {"kind": "average_prices", "id": None, "name": "CCP average prices", "as_of": "2025-05-20T10:50:00+00:00"},
    ]
    plain = await appraise("10 Tritanium")  # no fallback, no PLEX: the hub's orders only
    assert plain.footer is not None and [s.name for s in plain.footer.sources] == ["Jita orders"]
    plex = await appraise("PLEX 1")  # only PLEX: only its global market was read
    assert plex.footer is not None and [s.name for s in plex.footer.sources] == ["PLEX market orders"]
    fake = market().set_snapshot(AMARR.region_id, AS_OF - timedelta(hours=1))
    ctx = context(fake, parsers=default_parsers(), averages=Averages({}))
    unpriced = await dispatch(
        REGISTRY, Invocation("appraise", {"paste": "1 Rifter\nPLEX 1", "where": "amarr"}, CALLER), ctx
    )
    assert unpriced.footer is not None and unpriced.footer.sources[0] == SourceAge(
        "Amarr orders", AS_OF - timedelta(hours=1)
    )  # no Rifter at Amarr: the region snapshot's age


async def test_where_names_the_hub() -> None:
    reply = await appraise("10 Tritanium", where="amarr")
    assert reply.data["location_id"] == AMARR.station_id and reply.data["items"][0]["sell"] == 5.5


async def test_a_paste_with_nothing_known_says_so_and_lists_the_lines() -> None:
    reply = await appraise("hello\nworld")
    assert not reply.is_error and reply.data["items"] == []
    assert reply.text.startswith("Nothing in that paste is an item I know.")
    assert [u["line"] for u in reply.data["unparsed"]] == [1, 2]


async def test_an_oversized_paste_is_refused_with_usage() -> None:
    reply = await appraise("1 Tritanium\n" * (DEFAULT_MAX_BYTES // 12 + 1))  # 12 bytes a line: just over 1 MB
    assert reply.is_error and "paste too large" in reply.text and "usage: /appraise <paste>" in reply.text


async def test_the_size_limit_comes_from_the_services() -> None:
    ctx = context(market(), parsers=default_parsers(), appraisal_max_bytes=2048)
    paste = "1 Tritanium\n" * 200  # 2,400 bytes
    reply = await dispatch(REGISTRY, Invocation("appraise", {"paste": paste}, CALLER), ctx)
    assert reply.is_error and "paste too large: 2.3 KB (at most 2.0 KB)" in reply.text
    assert not (await appraise(paste)).is_error  # under the default 1 MB


async def test_buy_values_use_only_orders_the_quantity_can_fill_including_region_range_ones() -> None:
    fake = market()
    # at the station: 4.5 wants 4 units or more; a region-range order from another station (4.3) reaches it
    fake.add_book(JITA.region_id, JITA.station_id, TRIT, buys=[(4.5, 100, 4), (4.0, 10)], sells=[(5.0, 20), (6.0, 30)])
    fake.add_reaching_buys(JITA.region_id, JITA.station_id, TRIT, [(4.3, 5)])
    ctx = context(fake, parsers=default_parsers(), averages=Averages({}))

    async def item(paste: str) -> dict[str, object]:
        reply = await dispatch(REGISTRY, Invocation("appraise", {"paste": paste}, CALLER), ctx)
        assert_clean(reply)
        found: dict[str, object] = reply.data["items"][0]
        return found

    one = await item("1 Tritanium")  # before: 4.5, from an order that takes no fewer than 4
    assert (one["buy"], one["sell"], one["buy_fill"], one["sell_fill"]) == (4.3, 5.0, 4.3, 5.0)
    four = await item("4 Tritanium")
    assert (four["buy"], four["buy_fill"]) == (4.5, 4.5)
    many = await item("110 Tritanium")  # 100 @ 4.5, then the 5 @ 4.3 and 5 of the 10 @ 4.0; 20 @ 5 + 30 @ 6 sold
    assert many["buy"] == 4.5 and many["buy_fill"] == (100 * 4.5 + 5 * 4.3 + 5 * 4.0) / 110
    assert many["sell_fill"] is None  # 50 on sale: the book cannot fill 110
    forty = await item("40 Tritanium")
    assert forty["sell_fill"] == (20 * 5.0 + 20 * 6.0) / 40
