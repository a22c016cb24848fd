"""CCP's average prices end to end: the real client and the ESI fake into Postgres, replaced whole, politely."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from adapters.postgres.prices import PgPriceStore
from core.market.prices import PricesRefresher, parse_prices
from fakes.esi import EsiFake
from tests.integration.esi import client_for

pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={10000002: 500}) as server:
        yield server


async def test_prices_are_stored_then_left_alone_then_revalidated(fake: EsiFake, pg_pool: asyncpg.Pool) -> None:
    store = PgPriceStore(pg_pool)
    async with client_for(fake) as client:
        stored = await PricesRefresher(client, store).refresh()
    assert stored and stored == await pg_pool.fetchval("SELECT count(*) FROM market_prices")
    averages = await store.averages([34, 35, 123456789])
    assert 34 in averages and averages[34] > 0 and 123456789 not in averages
    before = len(fake.requests)
    async with client_for(fake) as client:
        assert await PricesRefresher(client, store).refresh() is None  # fresh: nothing asked
    assert len(fake.requests) == before
    later = datetime.now(UTC) + timedelta(hours=2)
    async with client_for(fake) as client:
        assert await PricesRefresher(client, store, clock=lambda: later).refresh() == 0  # 304: unchanged
    assert fake.requests[-1].status == 304 and fake.requests[-1].headers.get("If-None-Match")
    assert await pg_pool.fetchval("SELECT count(*) FROM market_prices") == stored


def test_malformed_prices_are_refused() -> None:
    with pytest.raises(ValueError, match="malformed"):
        parse_prices(b'[{"type_id": 34, "average_price": "cheap"}]')
    assert parse_prices(b'[{"type_id": 34}]')[0].average is None
