"""Integration tests of the ESI client against the protocol fake (fakes.esi.EsiFake)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
import pytest_asyncio

from adapters.esi import EsiClient, EsiNotFound, InconsistentSnapshot, NotExpired
from fakes.esi import PAGE_SIZE, EsiFake
from tests.adapters.esi.conftest import MakeClient
from tests.adapters.esi.helpers import COMPATIBILITY_DATE, USER_AGENT

FORGE = 10000002
ORDERS_PATH = f"/markets/{FORGE}/orders"
FORGE_ORDERS = 5 * PAGE_SIZE + 321
MakeFake = Callable[..., Awaitable[EsiFake]]


@pytest_asyncio.fixture
async def make_fake() -> AsyncIterator[MakeFake]:
    """Start EsiFakes (small books by default); all are closed afterwards."""
    fakes: list[EsiFake] = []

    async def build(**options: Any) -> EsiFake:
        fake = EsiFake(**({"regions": {FORGE: FORGE_ORDERS}} | options))
        await fake.start()
        fakes.append(fake)
        return fake

    yield build
    for fake in fakes:
        await fake.close()


class OrderCollector:
    """on_page callback parsing each page's orders."""

    def __init__(self) -> None:
        self.orders_by_page: dict[int, list[dict[str, Any]]] = {}

    async def __call__(self, page_no: int, body: bytes) -> None:
        self.orders_by_page[page_no] = orjson.loads(body)

    @property
    def order_ids(self) -> list[int]:
        return [order["order_id"] for page in self.orders_by_page.values() for order in page]


async def fetch_forge(client: EsiClient, etag: str | None = None) -> tuple[Any, OrderCollector]:
    """Fetch all Forge orders; the result and the collected pages."""
    collected = OrderCollector()
    result = await client.fetch_pages(ORDERS_PATH, {"order_type": "all"}, collected, etag=etag)
    return result, collected


async def test_full_region_fetch_is_consistent_and_polite(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake(weak_etags=True)
    client = await make_client(fake.base_url, max_concurrency=3)
    result, collected = await fetch_forge(client)

    assert result.pages == 6 and not result.not_modified
    assert sorted(collected.orders_by_page) == [1, 2, 3, 4, 5, 6]
    assert len(collected.order_ids) == len(set(collected.order_ids)) == FORGE_ORDERS
    assert result.etag is not None and result.etag.startswith('W/"')
    assert result.bytes == sum(len(orjson.dumps(page)) for page in collected.orders_by_page.values())
    assert len(fake.requests) == 6
    for request in fake.requests:
        assert request.headers["User-Agent"] == USER_AGENT
        assert request.headers["X-Compatibility-Date"] == COMPATIBILITY_DATE
        assert "gzip" in request.headers["Accept-Encoding"]
        assert request.status == 200
    assert "page" not in fake.requests[0].query
    with pytest.raises(NotExpired):
        await fetch_forge(client)
    assert len(fake.requests) == 6

    restarted = await make_client(fake.base_url)  # e.g. a new process holding the persisted ETag
    again, nothing = await fetch_forge(restarted, etag=result.etag)
    assert again.not_modified and nothing.orders_by_page == {}
    assert fake.requests[-1].headers["If-None-Match"] == result.etag
    assert fake.requests[-1].status == 304


async def test_snapshot_flip_mid_fetch_is_detected(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake()
    fake.faults.flip_snapshot_after(page=1, region_id=FORGE)
    client = await make_client(fake.base_url)
    with pytest.raises(InconsistentSnapshot) as raised:
        await fetch_forge(client)
    assert raised.value.page >= 2
    assert raised.value.got_last_modified != raised.value.expected_last_modified

    retry_client = await make_client(fake.base_url)  # the guard of the first client holds page 1
    result, collected = await fetch_forge(retry_client)
    assert len(set(collected.order_ids)) == len(collected.order_ids)
    assert result.pages == len(collected.orders_by_page)


async def test_5xx_burst_is_recovered(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake()
    fake.faults.server_errors(3, status=502, path="/orders")
    fake.faults.server_errors(2, status=504, path="/orders", page=4)
    client = await make_client(fake.base_url, max_attempts=5)
    result, collected = await fetch_forge(client)
    assert len(collected.order_ids) == FORGE_ORDERS
    statuses = [r.status for r in fake.requests]
    assert statuses.count(502) == 3 and statuses.count(504) == 2 and statuses.count(200) == result.pages


async def test_timeouts_are_recovered(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake()
    fake.faults.timeouts(2, delay_s=3.0, path="/orders")
    client = await make_client(fake.base_url, timeout_s=0.3)
    started = time.monotonic()
    _, collected = await fetch_forge(client)
    assert len(collected.order_ids) == FORGE_ORDERS
    assert time.monotonic() - started < 2.5


async def test_truncated_page_is_refetched(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake()
    fake.faults.truncated(1, path="/orders", page=3)
    client = await make_client(fake.base_url)
    _, collected = await fetch_forge(client)
    assert len(collected.order_ids) == FORGE_ORDERS
    assert [r.query.get("page") for r in fake.requests].count("3") == 2


@pytest.mark.parametrize("with_headers", [True, False])
async def test_429_is_waited_out(make_fake: MakeFake, make_client: MakeClient, with_headers: bool) -> None:
    fake = await make_fake()
    fake.faults.rate_limited(1, retry_after=1, path="/orders", ratelimit_headers=with_headers)
    client = await make_client(fake.base_url)
    started = time.monotonic()
    _, collected = await fetch_forge(client)
    assert len(collected.order_ids) == FORGE_ORDERS
    assert time.monotonic() - started >= 0.95
    assert [r.status for r in fake.requests].count(429) == 1


async def test_error_limit_lockout_is_waited_out(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake()
    fake.faults.error_limited(reset_s=1)
    client = await make_client(fake.base_url)
    _, collected = await fetch_forge(client)
    assert len(collected.order_ids) == FORGE_ORDERS
    assert [r.status for r in fake.requests].count(420) == 1


async def test_unknown_type_history_is_not_found_and_not_retried(make_fake: MakeFake, make_client: MakeClient) -> None:
    fake = await make_fake()
    client = await make_client(fake.base_url)
    with pytest.raises(EsiNotFound) as raised:
        await client.get(f"/markets/{FORGE}/history", {"type_id": 999999999})
    assert raised.value.error == "Type not found!"
    assert len(fake.requests) == 1
