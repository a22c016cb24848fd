"""Whole-book quotes with numpy agree with the one-book reference (core/market/quotes.py) on every book."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from core.market.book_quotes import BookColumns
from core.market.model import Quote
from core.market.quotes import side_stats
from tests.core.market.order_rows import OrderRow, order_page

AS_OF = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
REGION, JITA, AMARR, CITADEL = 10000002, 60003760, 60008494, 1035466617946


def order(order_id: int, type_id: int, location: int, buy: bool, price: float, volume: int) -> OrderRow:
    """An order row (in ORDER_COLUMNS order)."""
    return (order_id, type_id, location, 30000142, buy, price, volume, 10_000, 1, 90, AS_OF, "region")


def quotes_of(rows: list[OrderRow], page: int = 777) -> dict[tuple[int, int], Quote]:
    """The quotes of `rows` gathered page by page, by (location, type)."""
    columns = BookColumns()
    for start in range(0, len(rows), page):
        columns.add(order_page(rows[start : start + page]))
    return {(q.location_id, q.type_id): q for q in map(lambda row: Quote(*row), columns.quotes().rows(REGION, AS_OF))}


def random_book(seed: int, size: int, first_type: int = 34) -> list[OrderRow]:
    """Ties, integer prices, zero volumes, one-order sides and three locations."""
    rnd = random.Random(seed)
    return [
        order(
            i,
            rnd.randint(first_type, first_type + 26),
            rnd.choice([JITA, AMARR, CITADEL]),
            rnd.random() < 0.5,
            rnd.choice([round(rnd.uniform(1, 100), 2), rnd.randint(1, 50), 10.0]),
            rnd.choice([0, 1, 7, rnd.randint(1, 100_000)]),
        )
        for i in range(size)
    ]


@pytest.mark.parametrize(("seed", "first_type"), [(1, 34), (2, 34), (3, 34), (4, -13)])
def test_every_side_matches_the_reference(seed: int, first_type: int) -> None:
    rows = random_book(seed, 4000, first_type)  # a negative type id takes the four-key sort instead of the packed key
    books: dict[tuple[int, int, bool], list[tuple[float, int]]] = defaultdict(list)
    for row in rows:
        books[(row[2], row[1], row[4])].append((float(row[5]), row[6]))
    quotes = quotes_of(rows)
    assert set(quotes) == {(loc, typ) for (loc, typ, _), book in books.items() if any(v > 0 for _, v in book)}
    for (location, type_id), quote in quotes.items():
        assert (quote.region_id, quote.as_of) == (REGION, AS_OF)
        for side in ("buy", "sell"):
            want = side_stats(books.get((location, type_id, side == "buy"), []), is_buy=side == "buy")
            got = tuple(
                getattr(quote, name)
                for name in (f"best_{side}", f"{side}_volume", f"{side}_orders", f"{side}_depth", f"{side}_percentile")
            )
            if want is None:
                assert got == (None, 0, 0, 0, None) and getattr(quote, f"{side}_top5_avg") is None
            else:
                assert got == (want.best, want.volume, want.orders, want.depth, want.percentile)
                assert getattr(quote, f"{side}_top5_avg") == pytest.approx(want.top5_avg, rel=1e-12)


def test_a_hand_computed_book() -> None:
    rows = [
        order(1, 34, JITA, False, 5.0, 1),
        order(2, 34, JITA, False, 10, 99),
        order(3, 34, JITA, False, 20.0, 900),
        order(4, 34, JITA, True, 100.0, 10),
        order(5, 34, JITA, True, 96.0, 40),
        order(6, 34, JITA, True, 50.0, 950),
        order(7, 34, JITA, True, 101.0, 0),  # no volume left: not part of the book
    ]
    quote = quotes_of(rows)[(JITA, 34)]
    assert (quote.best_buy, quote.buy_volume, quote.buy_orders, quote.buy_depth) == (100.0, 1000, 3, 50)
    assert (quote.best_sell, quote.sell_volume, quote.sell_orders, quote.sell_depth) == (5.0, 1000, 3, 1)
    assert (quote.buy_percentile, quote.sell_percentile) == (100.0, 10.0)  # 1% of 1000 is reached at the 2nd order
    assert quote.buy_top5_avg == pytest.approx((100 * 10 + 96 * 40) / 50)
    assert quote.sell_top5_avg == pytest.approx((5 * 1 + 10 * 49) / 50)


def test_an_empty_book_and_a_book_of_empty_orders_have_no_quotes() -> None:
    assert quotes_of([]) == {}
    assert quotes_of([order(1, 34, JITA, False, 5.0, 0)]) == {}


def test_quotes_at_one_location_come_ordered_by_type() -> None:
    rows = [
        order(i, type_id, location, False, 5.0, 1)
        for i, (type_id, location) in enumerate([(36, JITA), (34, AMARR), (35, JITA), (34, JITA)])
    ]
    columns = BookColumns()
    columns.add(order_page(rows))
    quotes = columns.quotes()
    assert [(q.location_id, q.type_id) for q in quotes.at(REGION, JITA, AS_OF)] == [(JITA, 34), (JITA, 35), (JITA, 36)]
    assert quotes.at(REGION, CITADEL, AS_OF) == []
    assert len(quotes) == 4
