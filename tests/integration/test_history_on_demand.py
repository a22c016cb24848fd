"""History on demand end to end: /history and /price through dispatch, the real ESI client and fake, real Postgres."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from adapters.postgres.history import PgHistoryStore
from adapters.postgres.market_reader import PgMarketReader
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache
from bot.console.json_output import reply_to_json
from bot.console.render import footer_line
from core.chat import Caller, CommandContext, Invocation, Reply, SourceAge, dispatch
from core.commands.default import build_registry
from core.market.history import HistoryRefresher
from core.market.history_demand import HistoryOnDemand
from core.market.ingest import RegionRefresher
from core.usecases.market_services import MarketServices
from fakes.esi import EsiFake
from tests.core.commands.sample_catalog import sample_catalog
from tests.integration.esi import client_for

pytestmark = pytest.mark.e2e
JITA, PLEX_REGION = 10000002, 19000001
TRITANIUM, PYERITE, MEXALLON, ISOGEN, PLEX = 34, 35, 36, 37, 44992
CALLER = Caller("console", "u1", "Tester", is_dm=True)
REGISTRY = build_registry()
CATALOG = sample_catalog()


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    types = [TRITANIUM, PYERITE, MEXALLON, ISOGEN, PLEX]
    async with EsiFake(regions={JITA: 500, PLEX_REGION: 20}, type_ids=types) as server:
        yield server


def history_requests(fake: EsiFake, type_id: int) -> int:
    """How many history requests for `type_id` reached the fake."""
    return sum(1 for r in fake.requests if "/history" in r.path and r.query.get("type_id") == str(type_id))


async def ask(text: str, ctx: CommandContext) -> Reply:
    return await dispatch(REGISTRY, Invocation.from_text(text, CALLER), ctx)


def context(pool: asyncpg.Pool, on_demand: HistoryOnDemand) -> CommandContext:
    return CommandContext(catalog=CATALOG, services=MarketServices(reader=PgMarketReader(pool), history=on_demand))


def on_demand(client, pool: asyncpg.Pool, wait_s: float = 5.0) -> HistoryOnDemand:
    store = PgHistoryStore(pool)
    return HistoryOnDemand(HistoryRefresher(client, store), store, wait_s=wait_s)


async def test_unwatched_type_gets_its_history_on_first_ask_then_is_left_alone(fake, pg_pool) -> None:
    async with client_for(fake) as client:
        ctx = context(pg_pool, on_demand(client, pg_pool))
        assert await pg_pool.fetchval("SELECT count(*) FROM watched_types") == 0
        reply = await ask("/history pyerite jita 30", ctx)
        assert not reply.is_error and reply.text == "", reply.text
        assert reply.data["days"] >= 28 and reply.data["median_30d"] is not None
        [history] = reply.footer.sources if reply.footer else []
        assert history.name == "history" and history.as_of is not None
        assert datetime.now(UTC) - history.as_of < timedelta(minutes=5)
        again = await ask("/history pyerite jita 90", ctx)
        assert again.data["days"] > reply.data["days"]
    assert history_requests(fake, PYERITE) == 1  # fresh until ESI's next daily refresh: not asked again


async def test_plex_history_comes_from_the_global_plex_market(fake, pg_pool) -> None:
    async with client_for(fake) as client:
        reply = await ask("/history plex jita", context(pg_pool, on_demand(client, pg_pool)))
    assert not reply.is_error and reply.data["region_id"] == PLEX_REGION and reply.data["days"] > 0
    assert [r.path for r in fake.requests if "/history" in r.path] == [f"/markets/{PLEX_REGION}/history"]


async def test_concurrent_asks_share_one_esi_request(fake, pg_pool) -> None:
    async with client_for(fake) as client:
        ctx = context(pg_pool, on_demand(client, pg_pool))
        replies = await asyncio.gather(*(ask("/history mexallon jita", ctx) for _ in range(3)))
    assert all(not r.is_error and r.data["days"] > 0 for r in replies)
    assert history_requests(fake, MEXALLON) == 1


async def test_esi_down_answers_within_the_bound_saying_history_is_unavailable(fake, pg_pool) -> None:
    fake.faults.server_errors(100, status=503)
    async with client_for(fake, max_attempts=2) as client:
        ctx = context(pg_pool, on_demand(client, pg_pool))
        reply = await ask("/history isogen jita", ctx)
        assert not reply.is_error and "History is unavailable right now" in reply.text
        assert reply.footer is not None and reply.footer.sources == (SourceAge("history", None),)
        price = await ask("/price isogen jita", ctx)  # no snapshot either: it says so, without a traceback
        assert not price.is_error
    fake.faults.clear()


async def test_esi_hanging_answers_after_the_bound_with_what_is_stored(fake, pg_pool) -> None:
    fake.faults.timeouts(1, delay_s=60, path=f"/markets/{JITA}/history")
    async with client_for(fake, max_attempts=1, timeout_s=60) as client:
        ctx = context(pg_pool, on_demand(client, pg_pool, wait_s=0.5))
        started = time.monotonic()
        reply = await ask("/history isogen jita", ctx)
        assert time.monotonic() - started < 30  # unbounded, it would wait out the 60 s hang
        assert reply.text == "History is still being fetched from ESI; ask again in a moment for the chart and figures."
        await ctx.services.history.close()
    fake.faults.clear()


async def test_price_footer_lists_the_orders_and_the_history_ages(fake, pg_pool, redis_client, redis_prefix) -> None:
    async with client_for(fake) as client:
        cache = RedisQuoteCache(redis_client, RedisKeys(redis_prefix))
        await RegionRefresher(client, PgOrderBookStore(pg_pool), cache).refresh(JITA)
        ctx = context(pg_pool, on_demand(client, pg_pool))
        reply = await ask("/price tritanium jita", ctx)
    assert not reply.is_error and reply.data["median_30d"] is not None
    assert reply.footer is not None
    orders, history = reply.footer.sources
    assert orders.name == "Jita orders" and orders.as_of == reply.footer.as_of
    assert history.name == "history" and history.as_of is not None
    now = datetime.now(UTC)
    line = footer_line(reply.footer, now + timedelta(hours=5))
    assert line.startswith("ESI market data · Jita orders ") and line.endswith(" · history 5 h ago")
    sources = reply_to_json(reply, [])["footer"]["sources"]
    assert [s["name"] for s in sources] == ["Jita orders", "history"]
    assert datetime.fromisoformat(sources[1]["as_of"]) == history.as_of
