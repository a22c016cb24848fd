"""The ingest benchmark's floor: fetch a region's pages with the product's ESI client, parse them with orjson, COPY
them into an UNLOGGED table and run one GROUP BY. Run alone (`python -m benchmarks.ingest_floor URL DSN DATE N`) it
is the whole-process floor: a fresh interpreter importing only what that work needs, set beside the whole-process
`evetrader ingest --once`."""

from __future__ import annotations

import asyncio
import gc
import operator
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import orjson

from adapters.esi import EsiClient
from core.market.orders import ORDER_COLUMNS

REGION = 10000002
FLOOR_COLUMNS = ORDER_COLUMNS  # the same columns; the floor stores `issued` as text, unparsed


def esi_client(base_url: str, compatibility_date: str, max_concurrency: int) -> EsiClient:
    """A fresh client (its in-memory Expires guard starts empty), configured as the product's."""
    return EsiClient(
        base_url,
        user_agent="evetrader-benchmark/1 (bench@localhost)",
        compatibility_date=compatibility_date,
        max_concurrency=max_concurrency,
    )


async def floor(conn: asyncpg.Connection, client: EsiClient) -> dict[str, Any]:
    """Fetch + orjson + COPY into an unlogged table + one GROUP BY, on `conn` with `client`."""
    queue: asyncio.Queue[list[tuple[object, ...]] | None] = asyncio.Queue()
    pick = operator.itemgetter(*FLOOR_COLUMNS[:3], *FLOOR_COLUMNS[4:])  # C-speed; system_id is optional in ESI
    await conn.execute("DROP TABLE IF EXISTS bench_floor")
    await conn.execute(
        "CREATE UNLOGGED TABLE bench_floor (order_id bigint, type_id int, location_id bigint, system_id int,"
        " is_buy_order bool, price double precision, volume_remain bigint, volume_total bigint, min_volume bigint,"
        " duration int, issued text, range text)"
    )

    async def records() -> AsyncIterator[tuple[object, ...]]:
        while (rows := await queue.get()) is not None:
            for row in rows:
                yield row

    async def on_page(page: int, body: bytes) -> None:
        await queue.put(list(map(pick, orjson.loads(body))))

    gc.disable()  # the ingest pauses the cyclic GC while it builds a snapshot: the floor gets the same
    started = time.perf_counter()
    copy = asyncio.create_task(
        conn.copy_records_to_table("bench_floor", records=records(), columns=FLOOR_COLUMNS[:3] + FLOOR_COLUMNS[4:])
    )
    async with client:
        result = await client.fetch_pages(f"/markets/{REGION}/orders", {"order_type": "all"}, on_page)
    await queue.put(None)
    await copy
    fetched = time.perf_counter()
    groups = await conn.fetchval(
        "SELECT count(*) FROM (SELECT location_id, type_id, is_buy_order, min(price), max(price),"
        " sum(volume_remain) FROM bench_floor GROUP BY 1, 2, 3) g"
    )
    done = time.perf_counter()
    gc.enable()
    orders = await conn.fetchval("SELECT count(*) FROM bench_floor")
    await conn.execute("DROP TABLE bench_floor")
    return {
        "seconds": done - started,
        "fetch_copy_s": fetched - started,
        "group_by_s": done - fetched,
        "orders": orders,
        "pages": result.pages,
        "groups": groups,
    }


async def _alone(base_url: str, dsn: str, compatibility_date: str, max_concurrency: int) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    try:
        return await floor(conn, esi_client(base_url, compatibility_date, max_concurrency))
    finally:
        await conn.close()


if __name__ == "__main__":
    url, dsn, date, concurrency = sys.argv[1:5]
    print(orjson.dumps(asyncio.run(_alone(url, dsn, date, int(concurrency)))).decode())
