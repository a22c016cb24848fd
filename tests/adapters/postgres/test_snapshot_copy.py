"""The snapshot encoders against real Postgres: orders and quotes COPYed by asyncpg and by them give equal tables."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import asyncpg
import pytest

from adapters.postgres.quotes_sql import QUOTE_COLUMNS
from adapters.postgres.snapshot_copy import COPY_HEADER, COPY_TRAILER, encode_orders, encode_quotes
from core.market.book_quotes import BookColumns
from core.market.orders import ORDER_COLUMNS
from tests.core.market.order_rows import OrderRow, order_page

pytestmark = pytest.mark.integration

INT32_MAX, INT64_MAX = 2**31 - 1, 2**63 - 1
RANGES = ("station", "region", "solarsystem", "1", "2", "3", "4", "5", "10", "20", "30", "40", "système")
EVE_LAUNCH = datetime(2003, 5, 6, tzinfo=UTC)
EDGE_TIMES = (
    datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999998, tzinfo=UTC),
)  # asyncpg: max = infinity
ZONES = (UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-11)))


def random_rows(count: int, seed: int, ranges: tuple[str, ...] = RANGES, null_every: int = 3) -> list[OrderRow]:
    """Rows covering NULL system_ids, integer prices, column edge values, odd time zones and every range value."""
    rnd = random.Random(seed)
    rows: list[OrderRow] = []
    for n in range(count):
        edge = n % 7 == 0
        issued = (
            EDGE_TIMES[n % 2]
            if n % 50 == 1
            else EVE_LAUNCH + timedelta(microseconds=rnd.randrange(100 * 365 * 86400 * 10**6))
        )
        rows.append(
            (
                INT64_MAX - n if edge else rnd.randrange(1, 10**10),
                INT32_MAX if edge else rnd.randrange(18, 90_000),
                0 if edge else rnd.randrange(60_000_000, 1_050_000_000_000),
                None if n % null_every == 0 else (0 if edge else rnd.randrange(30_000_000, 31_000_000)),
                rnd.random() < 0.5,
                rnd.randrange(0, 10**9) if n % 4 == 0 else round(rnd.uniform(0.01, 1e12), 2),
                INT32_MAX if edge else rnd.randrange(1, 10**6),
                INT32_MAX if edge else rnd.randrange(1, 10**6),
                0 if edge else 1,
                rnd.choice((0, 1, 3, 7, 14, 30, 90, 365)),
                issued if n % 50 == 1 else issued.astimezone(ZONES[n % len(ZONES)]),
                ranges[n % len(ranges)],
            )
        )
    return rows


async def copy_both_ways(
    conn: asyncpg.Connection, rows: list[OrderRow]
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """COPY `rows` via asyncpg's record encoder and, parsed as an ESI page, via encode_orders; both tables, sorted."""
    for name in ("via_asyncpg", "via_numpy"):
        await conn.execute(f"CREATE TEMP TABLE {name} (LIKE market_orders); ALTER TABLE {name} DROP COLUMN region_id")
    await conn.copy_records_to_table("via_asyncpg", records=rows, columns=ORDER_COLUMNS)
    data = memoryview(
        COPY_HEADER + encode_orders(order_page(rows)) + COPY_TRAILER
    )  # bytes would be taken for a file path
    await conn.copy_to_table("via_numpy", source=data, columns=ORDER_COLUMNS, format="binary")
    columns = ", ".join(ORDER_COLUMNS)
    expected = await conn.fetch(f"SELECT {columns} FROM via_asyncpg ORDER BY order_id, type_id, range")
    actual = await conn.fetch(f"SELECT {columns} FROM via_numpy ORDER BY order_id, type_id, range")
    return [tuple(r) for r in expected], [tuple(r) for r in actual]


@pytest.mark.parametrize(
    ("ranges", "null_every"),
    [(RANGES, 3), (("region",), 10**9), (("région", "1"), 10**9)],
    ids=["every-shape", "one-shape", "no-nulls"],
)
async def test_encoded_rows_load_exactly_as_asyncpg_loads_them(
    pg_pool: asyncpg.Pool, ranges: tuple[str, ...], null_every: int
) -> None:
    rows = random_rows(3000, seed=17, ranges=ranges, null_every=null_every)
    async with pg_pool.acquire() as conn:
        expected, actual = await copy_both_ways(conn, rows)
    assert len(expected) == len(rows)
    assert actual == expected


@pytest.mark.parametrize("count", [0, 1])
async def test_no_rows_and_a_single_row(pg_pool: asyncpg.Pool, count: int) -> None:
    async with pg_pool.acquire() as conn:
        expected, actual = await copy_both_ways(conn, random_rows(count, seed=3))
    assert actual == expected
    assert len(actual) == count


async def test_encoded_quotes_load_exactly_as_asyncpg_loads_their_rows(pg_pool: asyncpg.Pool) -> None:
    columns = BookColumns()
    columns.add(order_page(random_rows(3000, seed=23)))
    quotes = columns.quotes()
    as_of = datetime(2026, 12, 6, 17, 30, 1, 123456, tzinfo=UTC)
    rows = quotes.rows(10000002, as_of)
    assert any(row[3] is None for row in rows) and any(row[4] is None for row in rows)  # NULL sides are covered
    async with pg_pool.acquire() as conn:
        for name in ("quotes_via_asyncpg", "quotes_via_numpy"):
            await conn.execute(f"CREATE TEMP TABLE {name} (LIKE market_quotes)")
        await conn.copy_records_to_table("quotes_via_asyncpg", records=rows, columns=QUOTE_COLUMNS)
        data = memoryview(COPY_HEADER + encode_quotes(quotes, 10000002, as_of) + COPY_TRAILER)
        await conn.copy_to_table("quotes_via_numpy", source=data, columns=QUOTE_COLUMNS, format="binary")
        expected = await conn.fetch("SELECT * FROM quotes_via_asyncpg ORDER BY location_id, type_id")
        actual = await conn.fetch("SELECT * FROM quotes_via_numpy ORDER BY location_id, type_id")
    assert len(expected) == len(quotes) > 100
    assert [tuple(r) for r in actual] == [tuple(r) for r in expected]
