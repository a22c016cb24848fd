"""Consistent paged fetches against a local server: one generation, flips, 304, Expires margin."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest
from aiohttp import web

from adapters.esi import InconsistentSnapshot, MalformedResponse, NotExpired
from tests.adapters.esi.conftest import Handler, MakeClient, Serve
from tests.adapters.esi.helpers import LAST_MODIFIED, cache_headers

PATH = "/markets/10000002/orders"
PARAMS = {"order_type": "all"}
LATER = "Wed, 01 Jan 2025 12:05:00 GMT"


def page_body(page: int) -> bytes:
    """Three orders unique to `page`."""
    return orjson.dumps([{"order_id": page * 10 + n} for n in range(3)])


class Collector:
    """An on_page callback that keeps what it was given."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.pages: dict[int, bytes] = {}
        self.delay_s = delay_s

    async def __call__(self, page_no: int, body: bytes) -> None:
        await asyncio.sleep(self.delay_s)
        self.pages[page_no] = body


def paged_server(pages: int, last_modified_of_page: dict[int, str] | None = None) -> tuple[list[str], Handler]:
    """A paged route; `last_modified_of_page` overrides Last-Modified per page."""
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.path_qs)
        page = int(request.query.get("page", "1"))
        last_modified = (last_modified_of_page or {}).get(page, LAST_MODIFIED)
        headers = cache_headers(etag=f'"p{page}"', last_modified=last_modified, pages=pages)
        return web.Response(body=page_body(page), headers=headers)

    return seen, handler


async def test_fetches_every_page_of_one_generation(serve: Serve, make_client: MakeClient) -> None:
    seen, handler = paged_server(pages=7)
    client = await make_client(await serve(handler), max_concurrency=3)
    collected = Collector()
    result = await client.fetch_pages(PATH, PARAMS, collected)
    assert sorted(collected.pages) == list(range(1, 8))
    assert all(collected.pages[n] == page_body(n) for n in range(1, 8))
    assert (result.not_modified, result.pages, result.etag) == (False, 7, '"p1"')
    assert result.bytes == sum(len(page_body(n)) for n in range(1, 8))
    assert result.last_modified is not None and result.expires is not None
    assert seen[0] == f"{PATH}?order_type=all"  # page 1 is the resource URL itself
    assert sorted(seen[1:]) == sorted(f"{PATH}?order_type=all&page={n}" for n in range(2, 8))
    with pytest.raises(NotExpired):  # the guard covers page 1, i.e. the resource
        await client.fetch_pages(PATH, PARAMS, Collector())


async def test_last_modified_mismatch_raises_and_cancels(serve: Serve, make_client: MakeClient) -> None:
    seen, handler = paged_server(pages=40, last_modified_of_page={3: LATER})
    client = await make_client(await serve(handler), max_concurrency=2)
    collected = Collector(delay_s=0.01)
    with pytest.raises(InconsistentSnapshot) as raised:
        await client.fetch_pages(PATH, PARAMS, collected)
    assert raised.value.page == 3
    assert raised.value.expected_last_modified != raised.value.got_last_modified
    assert "page 3" in str(raised.value)
    await asyncio.sleep(0.05)
    assert len(seen) < 40  # the rest was cancelled, not fetched


async def test_page_1_not_modified(serve: Serve, make_client: MakeClient) -> None:
    async def handler(request: web.Request) -> web.Response:
        assert request.headers["If-None-Match"] == '"p1"'
        return web.Response(status=304, headers=cache_headers(etag='"p1"', pages=5))

    client = await make_client(await serve(handler))
    collected = Collector()
    result = await client.fetch_pages(PATH, PARAMS, collected, etag='"p1"')
    assert (result.not_modified, result.pages, result.etag, result.bytes) == (True, 5, '"p1"', 0)
    assert collected.pages == {}


async def test_missing_x_pages_is_malformed(serve: Serve, make_client: MakeClient) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=page_body(1), headers=cache_headers())

    client = await make_client(await serve(handler))
    with pytest.raises(MalformedResponse, match="X-Pages"):
        await client.fetch_pages(PATH, PARAMS, Collector())


async def test_truncated_page_is_refetched(serve: Serve, make_client: MakeClient) -> None:
    truncated_once = False

    async def handler(request: web.Request) -> web.Response:
        nonlocal truncated_once
        page = int(request.query.get("page", "1"))
        body = page_body(page)
        if page == 2 and not truncated_once:
            truncated_once, body = True, body[: len(body) // 2]
        return web.Response(body=body, headers=cache_headers(pages=2))

    client = await make_client(await serve(handler))
    collected = Collector()
    await client.fetch_pages(PATH, PARAMS, collected)
    assert collected.pages[2] == page_body(2)


async def test_page_1_close_to_expiry_waits_for_the_next_generation(serve: Serve, make_client: MakeClient) -> None:
    page_1_fetches: list[float] = []

    async def handler(request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        if page == 1:
            page_1_fetches.append(time.monotonic())
        fresh = len(page_1_fetches) > 1
        headers = cache_headers(
            expires_in=300 if fresh else 0, last_modified=LATER if fresh else LAST_MODIFIED, pages=3
        )
        return web.Response(body=page_body(page), headers=headers)

    client = await make_client(await serve(handler), expiry_margin_s=5.0)
    collected = Collector()
    result = await client.fetch_pages(PATH, PARAMS, collected)
    assert len(page_1_fetches) == 2 and page_1_fetches[1] - page_1_fetches[0] >= 0.9
    assert sorted(collected.pages) == [1, 2, 3]
    assert result.last_modified is not None and result.last_modified.minute == 5


async def test_on_page_error_propagates(serve: Serve, make_client: MakeClient) -> None:
    _, handler = paged_server(pages=4)
    client = await make_client(await serve(handler))

    async def failing(page_no: int, body: bytes) -> None:
        if page_no == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        await client.fetch_pages(PATH, PARAMS, failing)


async def test_page_param_is_refused(make_client: MakeClient) -> None:
    client = await make_client("http://127.0.0.1:9")
    with pytest.raises(ValueError, match="page"):
        await client.fetch_pages(PATH, {"order_type": "all", "page": 2}, Collector())
