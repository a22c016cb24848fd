"""PgOrderBookStore against real Postgres: exact quotes, atomic swaps, failures, orphans, concurrent readers."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.snapshot_tables import region_tables
from core.market.model import Quote, SnapshotCommit, SnapshotStatus
from core.market.quotes import side_stats
from tests.core.market.order_rows import OrderRow, order_page

pytestmark = pytest.mark.integration

REGION, JITA, OTHER = 10000002, 60003760, 60003761
LAST_MODIFIED = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
_ids = iter(range(1, 10**9))


def order(type_id: int, price: float, volume: int, *, buy: bool = False, location: int = JITA) -> OrderRow:
    """One order row as the ESI parser produces it."""
    return (
        next(_ids),
        type_id,
        location,
        30000142,
        buy,
        price,
        volume,
        volume + 10,
        1,
        90,
        datetime(2026, 7, 30, tzinfo=UTC),
        "region" if buy else "station",
    )


def commit_info(pages: int = 1, *, last_modified: datetime | None = LAST_MODIFIED) -> SnapshotCommit:
    """A commit as the ingest use case would pass it."""
    now = datetime.now(UTC)
    return SnapshotCommit(REGION, last_modified, now + timedelta(minutes=5), '"etag-1"', pages, 1234, now)


async def ingest(store: PgOrderBookStore, rows: list[OrderRow], **kw: object) -> object:
    """Stage, add rows in pages of 3, commit."""
    async with store.stage(REGION) as stage:
        for start in range(0, len(rows), 3):
            await stage.add_page(order_page(rows[start : start + 3]))
        return await stage.commit(commit_info(**kw))  # type: ignore[arg-type]


def assert_quote(got: Quote, want: Quote) -> None:
    """Field by field: exact for ints, None and times; floats to 1e-12 relative (summation order differs)."""
    for name, value in vars(want).items():
        if isinstance(value, float):
            assert getattr(got, name) == pytest.approx(value, rel=1e-12), name
        else:
            assert getattr(got, name) == value, name


BOOK = [
    order(34, 5.0, 1),
    order(34, 10.0, 99),
    order(34, 10.4, 100),
    order(34, 20.0, 800),
    order(34, 100.0, 10, buy=True),
    order(34, 96.0, 40, buy=True),
    order(34, 94.0, 50, buy=True),
    order(34, 50.0, 900, buy=True),
    order(34, 1.0, 0, buy=True),  # zero volume: ignored
    order(35, 10.0, 2),
    order(35, 20.0, 98),  # sells only
    order(36, 7.5, 3, buy=True),  # one buy order
    order(34, 1.0, 1000, location=OTHER),
]


async def test_quotes_match_hand_computed_books(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    meta = await ingest(store, BOOK)
    assert (meta.status, meta.orders, meta.quotes, meta.pages) == (SnapshotStatus.OK, 13, 4, 1)  # type: ignore[attr-defined]
    quotes = {q.type_id: q for q in await store.quotes_at(REGION, [JITA])}
    assert set(quotes) == {34, 35, 36}
    assert_quote(
        quotes[34], Quote(REGION, JITA, 34, 100.0, 5.0, 1000, 1000, 4, 4, 50, 1, 100.0, 10.0, 96.8, 9.9, LAST_MODIFIED)
    )
    assert_quote(
        quotes[35], Quote(REGION, JITA, 35, None, 10.0, 0, 100, 0, 2, 0, 2, None, 10.0, None, 16.0, LAST_MODIFIED)
    )
    assert_quote(quotes[36], Quote(REGION, JITA, 36, 7.5, None, 3, 0, 1, 0, 3, 0, 7.5, None, 7.5, None, LAST_MODIFIED))
    other = await store.quotes_at(REGION, [OTHER])
    assert [(q.type_id, q.best_sell, q.sell_volume) for q in other] == [(34, 1.0, 1000)]


async def test_as_of_falls_back_to_fetch_time(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    await ingest(store, [order(34, 5.0, 1)], last_modified=None)
    (quote,) = await store.quotes_at(REGION, [JITA])
    assert abs((datetime.now(UTC) - quote.as_of).total_seconds()) < 60


async def test_stored_quotes_and_python_agree_on_a_random_book(pg_pool: asyncpg.Pool) -> None:
    rnd = random.Random(20260801)
    rows = [
        order(
            rnd.randint(1, 40),
            round(rnd.choice([100.0, 101.0, 99.5]) * rnd.uniform(0.8, 1.3), 2),
            rnd.choice([0, 1, 5, 50, 1000, rnd.randint(1, 100000)]),
            buy=rnd.random() < 0.5,
            location=rnd.choice([JITA, OTHER]),
        )
        for _ in range(3000)
    ]
    store = PgOrderBookStore(pg_pool)
    await ingest(store, rows)
    quotes = await store.quotes_at(REGION, [JITA, OTHER])
    assert quotes
    for q in quotes:
        for is_buy in (True, False):
            book = [(r[5], r[6]) for r in rows if (r[2], r[1], r[4]) == (q.location_id, q.type_id, is_buy)]
            stats = side_stats(book, is_buy=is_buy)
            side = "buy" if is_buy else "sell"
            got = (
                getattr(q, f"best_{side}"),
                getattr(q, f"{side}_volume"),
                getattr(q, f"{side}_orders"),
                getattr(q, f"{side}_depth"),
                getattr(q, f"{side}_percentile"),
                getattr(q, f"{side}_top5_avg"),
            )
            if stats is None:
                assert got == (None, 0, 0, 0, None, None)
            else:
                want = (stats.best, stats.volume, stats.orders, stats.depth, stats.percentile, stats.top5_avg)
                assert got == pytest.approx(want, rel=1e-12)
    expected_keys = {(r[2], r[1]) for r in rows if r[6] > 0}
    assert {(q.location_id, q.type_id) for q in quotes} == expected_keys


async def test_the_stage_hands_back_exactly_the_quotes_it_stored(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    async with store.stage(REGION) as stage:
        await stage.add_page(order_page(BOOK))
        with pytest.raises(RuntimeError):
            stage.quotes_at(JITA)
        await stage.commit(dataclasses.replace(commit_info(), quoted_locations=(JITA, 60008494)))
        for location in (JITA, OTHER, 60008494):  # computed beside the index build, and (OTHER) when asked
            assert stage.quotes_at(location) == await store.quotes_at(REGION, [location])


async def test_second_snapshot_replaces_the_first(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    await ingest(store, BOOK)
    meta = await ingest(store, [order(37, 3.0, 5), order(37, 2.0, 6, buy=True)], pages=2)
    assert (meta.orders, meta.quotes, meta.pages) == (2, 1, 2)  # type: ignore[attr-defined]
    types = await pg_pool.fetch("SELECT DISTINCT type_id FROM market_orders WHERE region_id = $1", REGION)
    assert [r["type_id"] for r in types] == [37]
    assert [q.type_id for q in await store.quotes_at(REGION, [JITA, OTHER])] == [37]
    row = await pg_pool.fetchrow(
        "SELECT orders, quotes, pages, status FROM market_snapshots WHERE region_id = $1", REGION
    )
    assert tuple(row) == (2, 1, 2, "ok")
    async with pg_pool.acquire() as conn:
        tables = await region_tables(conn, REGION)
    assert len(tables) == 2 and all(attached for _, attached in tables)


async def test_failure_inside_the_stage_keeps_the_live_snapshot(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    await ingest(store, BOOK)
    before = await store.quotes_at(REGION, [JITA])
    with pytest.raises(RuntimeError, match="page 7 malformed"):
        async with store.stage(REGION) as stage:
            await stage.add_page(order_page([order(99, 1.0, 1)] * 3))
            raise RuntimeError("page 7 malformed")
    await store.record_failure(REGION, "page 7 malformed")
    assert await store.quotes_at(REGION, [JITA]) == before
    assert await pg_pool.fetchval("SELECT count(*) FROM market_orders WHERE region_id = $1", REGION) == 13
    meta = await store.snapshot_meta(REGION)
    assert meta is not None
    assert (meta.status, meta.last_error, meta.orders, meta.etag) == (
        SnapshotStatus.FAILED,
        "page 7 malformed",
        13,
        '"etag-1"',
    )
    async with pg_pool.acquire() as conn:
        assert all(attached for _, attached in await region_tables(conn, REGION))


async def test_a_row_postgres_refuses_fails_the_commit_and_drops_the_staging_tables(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    await ingest(store, BOOK)
    bad = (*order(99, 1.0, 1)[:11], "sta\x00tion")  # valid JSON, but text in Postgres cannot hold NUL
    with pytest.raises(asyncpg.CharacterNotInRepertoireError):
        async with store.stage(REGION) as stage:
            await stage.add_page(order_page([order(99, 2.0, 1), bad]))
            await stage.commit(commit_info())
    assert await pg_pool.fetchval("SELECT count(*) FROM market_orders WHERE region_id = $1", REGION) == 13
    async with pg_pool.acquire() as conn:
        assert len(await region_tables(conn, REGION)) == 2


async def test_mark_unchanged_and_meta(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    assert await store.snapshot_meta(REGION) is None
    await ingest(store, BOOK)
    expires = datetime(2026, 8, 1, 12, 10, tzinfo=UTC)
    meta = await store.mark_unchanged(REGION, expires=expires, etag='"etag-2"')
    assert (meta.status, meta.expires, meta.etag, meta.orders, meta.last_modified) == (
        SnapshotStatus.UNCHANGED,
        expires,
        '"etag-2"',
        13,
        LAST_MODIFIED,
    )


async def test_orphaned_staging_tables_are_dropped(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    for region in (REGION, 10000043):  # what a killed ingest leaves behind
        await pg_pool.execute(f"CREATE TABLE market_orders_{region}_999 (LIKE market_orders)")
        await pg_pool.execute(f"CREATE TABLE market_quotes_{region}_999 (LIKE market_quotes)")
    await ingest(store, BOOK)
    async with pg_pool.acquire() as conn:
        assert all(attached for _, attached in await region_tables(conn, REGION))
        assert len(await region_tables(conn, 10000043)) == 2
        assert await store.cleanup_orphans() == 2
        assert await region_tables(conn, 10000043) == []


async def test_concurrent_add_rows(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    async with store.stage(REGION) as stage:
        await asyncio.gather(
            *(stage.add_page(order_page([order(t, 1.0 + i, 1) for i in range(50)])) for t in range(1, 41))
        )
        meta = await stage.commit(commit_info(40))
    assert (meta.orders, meta.quotes) == (2000, 40)
    assert await pg_pool.fetchval("SELECT count(*) FROM market_orders") == 2000


async def test_readers_never_see_a_mixed_snapshot(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    swaps, reads, done = 12, [0], asyncio.Event()

    async def writer() -> None:
        for n in range(1, swaps + 1):
            rows = [order(34, float(n), 1 + i) for i in range(40)] + [order(35, float(n), 1)]
            await ingest(store, rows)
        done.set()

    async def reader() -> None:
        async with pg_pool.acquire() as conn:
            while not done.is_set():
                row = await conn.fetchrow(
                    """SELECT (SELECT array_agg(DISTINCT price) FROM market_orders WHERE region_id = $1) AS prices,
                              (SELECT count(*) FROM market_orders WHERE region_id = $1) AS n,
                              (SELECT array_agg(DISTINCT best_sell) FROM market_quotes
                               WHERE region_id = $1) AS quoted""",
                    REGION,
                )
                if row["prices"] is not None:
                    assert len(row["prices"]) == 1 and row["n"] == 41
                    assert row["quoted"] == row["prices"]
                reads[0] += 1
                await asyncio.sleep(0)

    await asyncio.gather(writer(), reader(), reader())
    assert reads[0] > swaps
    assert await pg_pool.fetchval("SELECT max(price) FROM market_orders") == float(swaps)


async def test_commit_for_another_region_is_refused(pg_pool: asyncpg.Pool) -> None:
    store = PgOrderBookStore(pg_pool)
    with pytest.raises(ValueError, match="region"):
        async with store.stage(10000043) as stage:
            await stage.commit(commit_info())
    async with pg_pool.acquire() as conn:
        assert await region_tables(conn, 10000043) == []
