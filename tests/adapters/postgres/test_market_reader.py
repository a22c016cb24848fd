"""PgMarketReader against real Postgres and Redis: quotes (cache, then database), books, history, snapshot meta."""

from __future__ import annotations

import dataclasses
import random
import time
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.postgres.history import PgHistoryStore
from adapters.postgres.market_reader import PgMarketReader
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache
from core.market.finders import BookLevel
from core.market.model import HistoryRow, SnapshotStatus
from core.market.reads import TopOfBook
from tests.adapters.postgres.test_orderbook import JITA, OTHER, REGION, commit_info, order
from tests.core.market.order_rows import OrderRow, order_page

pytestmark = pytest.mark.integration

BOOK = [
    order(34, 5.0, 10),
    order(34, 4.5, 20),
    order(34, 6.0, 0),  # filled: left out everywhere
    order(34, 4.0, 30, buy=True),
    order(34, 4.2, 40, buy=True),
    order(35, 11.0, 5),
    order(36, 7.5, 3, buy=True),
    order(34, 1.0, 1000, location=OTHER),
]


async def stage(pool: asyncpg.Pool, rows: list[OrderRow]) -> None:
    """Stage and commit one region snapshot as the ingest does."""
    async with PgOrderBookStore(pool).stage(REGION) as staged:
        await staged.add_page(order_page(rows))
        await staged.commit(commit_info())


async def test_quotes_from_postgres_then_from_the_redis_cache(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    await stage(pg_pool, BOOK)
    cache = RedisQuoteCache(redis_client, RedisKeys(redis_prefix))
    reader = PgMarketReader(pg_pool, cache)
    quote = await reader.quote(REGION, JITA, 34)
    assert quote is not None and (quote.best_buy, quote.best_sell, quote.sell_orders) == (4.2, 4.5, 2)
    assert await reader.quote(REGION, JITA, 99) is None
    doctored = dataclasses.replace(quote, best_sell=123.0)
    await cache.put_location(JITA, [doctored], ttl_s=60)
    assert await reader.quote(REGION, JITA, 34) == doctored
    assert await PgMarketReader(pg_pool).quote(REGION, JITA, 34) == quote
    both = await reader.quotes(REGION, JITA, [36, 34, 99, 35, 34])
    assert list(both) == [36, 34, 35]  # requested order, misses left out, cache hit kept
    assert both[34] == doctored and both[35].best_sell == 11.0 and both[36].best_buy == 7.5
    other = await reader.quotes(REGION, OTHER, [34])
    assert other[34].best_sell == 1.0
    assert await reader.quotes(REGION, JITA, []) == {}


async def test_an_unreachable_cache_falls_back_to_postgres(pg_pool: asyncpg.Pool) -> None:
    await stage(pg_pool, BOOK)
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    reader = PgMarketReader(pg_pool, RedisQuoteCache(dead, RedisKeys("evt-dead:")))
    quote = await reader.quote(REGION, JITA, 35)
    assert quote is not None and quote.best_sell == 11.0
    await dead.aclose()


async def test_book_orders_each_side_from_its_best_price(pg_pool: asyncpg.Pool) -> None:
    endless = order(34, 6.0, 5)
    await stage(pg_pool, [*BOOK, order(34, 0.0, 5, buy=True), endless])  # BookLevel refuses both
    # no ESI page can carry an infinite price (JSON has none): only a stored one can
    await pg_pool.execute("UPDATE market_orders SET price = 'Infinity' WHERE order_id = $1", endless[0])
    reader = PgMarketReader(pg_pool)
    book = await reader.book(REGION, JITA, 34)
    assert (book.type_id, book.location_id) == (34, JITA)
    assert list(book.buys) == [BookLevel(4.2, 40), BookLevel(4.0, 30)]
    assert list(book.sells) == [BookLevel(4.5, 20), BookLevel(5.0, 10)]
    empty = await reader.book(REGION, JITA, 99)
    assert (list(empty.buys), list(empty.sells)) == ([], [])


async def test_books_at_groups_every_type_at_the_location(pg_pool: asyncpg.Pool) -> None:
    await stage(pg_pool, [*BOOK, order(37, 2.0, 0)])
    books = await PgMarketReader(pg_pool).books_at(REGION, JITA)
    assert sorted(books) == [34, 35, 36]
    assert list(books[34].buys) == [BookLevel(4.2, 40), BookLevel(4.0, 30)]
    assert list(books[34].sells) == [BookLevel(4.5, 20), BookLevel(5.0, 10)]
    assert (list(books[35].buys), list(books[35].sells)) == ([], [BookLevel(11.0, 5)])
    assert (list(books[36].buys), list(books[36].sells)) == ([BookLevel(7.5, 3)], [])
    assert all(book.location_id == JITA for book in books.values())
    assert await PgMarketReader(pg_pool).books_at(10000043, 60008494) == {}


async def test_top_of_book_and_books_of_chosen_types(pg_pool: asyncpg.Pool) -> None:
    await stage(pg_pool, [*BOOK, order(37, 2.0, 0)])
    reader = PgMarketReader(pg_pool)
    assert await reader.top_of_book(REGION, JITA) == {
        34: TopOfBook(4.2, 4.5, buy_orders=2, sell_orders=2, buy_depth=70, sell_depth=20),  # 5.0 is over 5% off
        35: TopOfBook(None, 11.0, 0, 1, 0, 5),
        36: TopOfBook(7.5, None, 1, 0, 3, 0),
    }
    chosen = await reader.books_at(REGION, JITA, [34, 36, 999])
    assert sorted(chosen) == [34, 36]
    assert list(chosen[34].sells) == [BookLevel(4.5, 20), BookLevel(5.0, 10)]
    assert await reader.books_at(REGION, JITA, []) == {}


async def test_history_and_daily_volumes_count_missing_days_as_zero(pg_pool: asyncpg.Pool) -> None:
    store, reader = PgHistoryStore(pg_pool), PgMarketReader(pg_pool)
    today = datetime.now(UTC).date()

    def day(ago: int, volume: int) -> HistoryRow:
        return HistoryRow(today - timedelta(days=ago), 5.5, 6.0, 5.0, volume, 12)

    await store.upsert(REGION, 34, [day(40, 9999), day(10, 300), day(3, 500), day(1, 100)], etag=None, expires=None)
    await store.upsert(REGION, 35, [day(45, 70)], etag=None, expires=None)  # history, none of it recent
    await store.upsert(REGION, 36, [day(0, 777), day(2, 60)], etag=None, expires=None)  # today's row is partial
    await store.upsert(10000043, 37, [day(1, 1000)], etag=None, expires=None)  # another region
    await store.upsert(REGION, 38, [], etag=None, expires=None)  # fetched: ESI knows no trade at all
    rows = await reader.history(REGION, 34)
    assert [(r.day, r.volume) for r in rows] == [
        (today - timedelta(days=n), v) for n, v in ((40, 9999), (10, 300), (3, 500), (1, 100))
    ]
    assert [r.volume for r in await reader.history(REGION, 34, since=today - timedelta(days=5))] == [500, 100]
    volumes = await reader.daily_volumes(REGION, [34, 35, 36, 37, 38, 39, 34], days=30)
    # 37 (history elsewhere) and 39 (never fetched) are unknown, not 0
    assert volumes == {34: pytest.approx(900 / 30), 35: 0.0, 36: pytest.approx(60 / 30), 38: 0.0}
    assert await reader.daily_volumes(REGION, [34], days=5) == {34: pytest.approx(600 / 5)}
    assert await reader.daily_volumes(REGION, []) == {}
    with pytest.raises(ValueError):
        await reader.daily_volumes(REGION, [34], days=0)


async def test_snapshot_meta(pg_pool: asyncpg.Pool) -> None:
    reader = PgMarketReader(pg_pool)
    assert await reader.snapshot(REGION) is None
    await stage(pg_pool, BOOK)
    meta = await reader.snapshot(REGION)
    assert meta is not None
    assert (meta.status, meta.orders, meta.quotes, meta.etag) == (SnapshotStatus.OK, 8, 4, '"etag-1"')


@pytest.mark.slow
async def test_books_at_jita_in_a_forge_sized_snapshot(pg_pool: asyncpg.Pool) -> None:
    rnd = random.Random(7)
    issued = datetime(2026, 7, 30, tzinfo=UTC)
    rows: list[OrderRow] = []
    for n in range(350_000):
        location = JITA if n < 200_000 else 60000000 + rnd.randint(1, 3000)
        buy = rnd.random() < 0.45
        rows.append(
            (
                n + 1,
                rnd.randint(1, 15_000),
                location,
                30000142,
                buy,
                round(rnd.uniform(1, 1e6), 2),
                rnd.randint(1, 10_000),
                10_000,
                1,
                90,
                issued,
                "region" if buy else "station",
            )
        )
    async with PgOrderBookStore(pg_pool).stage(REGION) as staged:
        for start in range(0, len(rows), 50_000):
            await staged.add_page(order_page(rows[start : start + 50_000]))
        await staged.commit(commit_info())
    reader = PgMarketReader(pg_pool)
    await reader.books_at(REGION, JITA)  # warm the plan and the buffer cache
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        books = await reader.books_at(REGION, JITA)
        timings.append(time.perf_counter() - started)
    assert sum(len(b.buys) + len(b.sells) for b in books.values()) == 200_000
    for book in books.values():
        assert all(a.price >= b.price for a, b in zip(book.buys, book.buys[1:], strict=False))
        assert all(a.price <= b.price for a, b in zip(book.sells, book.sells[1:], strict=False))
    print(f"\nbooks_at Jita: 200000 orders, {len(books)} types, best {min(timings) * 1000:.0f} ms")  # figure only
