"""PgMarketReader.fillable_books against real Postgres: buy orders whose range reaches the station, min_volume."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import pytest

from adapters.postgres.market_reader import PgMarketReader
from core.market.finders import BookLevel, best_fillable
from tests.adapters.postgres.test_market_reader import stage
from tests.adapters.postgres.test_orderbook import JITA, OTHER, REGION
from tests.core.market.order_rows import OrderRow

pytestmark = pytest.mark.integration

JITA_SYSTEM, PERIMETER = 30000142, 30000144
FAR_STATION = 60000004
_ids = iter(range(10**6, 10**9))


def row(
    price: float, volume: int, *, buy: bool = True, where: tuple[int, int] = (JITA, JITA_SYSTEM), reach: str = "station"
) -> OrderRow:
    """One order of type 34 at (station, system) with its range; min_volume in volume_total's place below."""
    return (
        next(_ids),
        34,
        where[0],
        where[1],
        buy,
        price,
        volume,
        volume,
        1,
        90,
        datetime(2026, 7, 30, tzinfo=UTC),
        reach,
    )


def with_min(order: OrderRow, min_volume: int) -> OrderRow:
    return (*order[:8], min_volume, *order[9:])


async def test_buy_orders_that_reach_the_station_count_and_keep_their_min_volume(pg_pool: asyncpg.Pool) -> None:
    await stage(
        pg_pool,
        [
            with_min(row(5.0, 10), 4),  # at the station, wants 4 or more
            row(4.0, 7),  # at the station
            row(9.0, 3, where=(OTHER, JITA_SYSTEM), reach="station"),  # another station: never reachable here
            row(8.0, 5, where=(FAR_STATION, PERIMETER), reach="region"),  # reaches the whole region
            row(7.0, 6, where=(OTHER, JITA_SYSTEM), reach="solarsystem"),  # same system
            row(7.5, 2, where=(FAR_STATION, PERIMETER), reach="solarsystem"),  # another system
            row(6.0, 1, where=(OTHER, JITA_SYSTEM), reach="5"),  # 0 jumps away
            row(6.5, 1, where=(FAR_STATION, PERIMETER), reach="40"),  # one jump away: no stargate graph stored
            row(3.0, 20, buy=False),  # station sell
            row(2.0, 20, buy=False, where=(OTHER, JITA_SYSTEM)),  # a sell elsewhere cannot be bought here
        ],
    )
    books = await PgMarketReader(pg_pool).fillable_books(REGION, JITA, [34, 99])
    assert list(books) == [34]
    assert list(books[34].buys) == [
        BookLevel(8.0, 5),
        BookLevel(7.0, 6),
        BookLevel(6.0, 1),
        BookLevel(5.0, 10, 4),
        BookLevel(4.0, 7),
    ]
    assert list(books[34].sells) == [BookLevel(3.0, 20)]
    assert await PgMarketReader(pg_pool).fillable_books(REGION, JITA, []) == {}


async def test_best_buy_in_range_is_the_best_fillable_buy_of_that_book(pg_pool: asyncpg.Pool) -> None:
    """/price reads one number instead of the whole book: the same answer as best_fillable over fillable_books."""
    await stage(
        pg_pool,
        [
            with_min(row(9.0, 10, where=(FAR_STATION, PERIMETER), reach="region"), 5),  # reaches, wants 5 or more
            with_min(row(8.5, 1, where=(OTHER, JITA_SYSTEM), reach="solarsystem"), 3),  # 1 left: takes the last unit
            row(8.0, 5, where=(FAR_STATION, PERIMETER), reach="solarsystem"),  # another system: not reachable
            with_min(row(7.0, 10), 2),  # at the station, wants 2 or more
            row(6.0, 7),  # at the station
            row(3.0, 20, buy=False),  # a sell is no buy
        ],
    )
    reader = PgMarketReader(pg_pool)
    book = (await reader.fillable_books(REGION, JITA, [34]))[34]
    for quantity, expected in ((1, 8.5), (2, 8.5), (4, 8.5), (5, 9.0), (50, 9.0), (0, None)):
        assert await reader.best_buy_in_range(REGION, JITA, 34, quantity) == expected, quantity
        assert best_fillable(book.buys, quantity, ascending=False) == expected, quantity
    assert await reader.best_buy_in_range(REGION, JITA, 99) is None  # nobody buys it
