"""The client's request path against a local server: headers, caching, ETags, gzip, POST, lifecycle."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import orjson
import pytest
from aiohttp import web

from adapters.esi import EsiClient, MalformedResponse, NotExpired
from tests.adapters.esi.conftest import MakeClient, Serve
from tests.adapters.esi.helpers import COMPATIBILITY_DATE, USER_AGENT, cache_headers, metric

ORDERS = [{"order_id": 1, "price": 5.5}, {"order_id": 2, "price": 6.25}]


async def test_get_sends_required_headers_and_parses_caching_headers(serve: Serve, make_client: MakeClient) -> None:
    seen: list[web.Request] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request)
        return web.json_response(ORDERS, headers=cache_headers(etag='W/"weak-1"', pages=3))

    client = await make_client(await serve(handler))
    response = await client.get("/markets/10000002/orders", {"order_type": "all", "page": 1})

    request = seen[0]
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.headers["X-Compatibility-Date"] == COMPATIBILITY_DATE
    assert request.headers["Accept"] == "application/json"
    assert "gzip" in request.headers["Accept-Encoding"]
    assert "If-None-Match" not in request.headers
    assert request.path_qs == "/markets/10000002/orders?order_type=all&page=1"
    assert response.status == 200
    assert response.json() == ORDERS
    assert response.etag == 'W/"weak-1"'
    assert response.pages == 3
    assert response.last_modified == datetime(2025, 1, 1, 12, tzinfo=UTC)
    assert response.expires is not None and response.expires.tzinfo is not None


async def test_query_order_is_deterministic(serve: Serve, make_client: MakeClient) -> None:
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.query_string)
        return web.json_response([], headers=cache_headers(expires_in=0))

    client = await make_client(await serve(handler))
    await client.get("/markets/10000002/history", {"type_id": 34, "datasource": "tranquility"})
    await client.get("/markets/10000002/history", {"datasource": "tranquility", "type_id": 34})
    assert seen == ["datasource=tranquility&type_id=34"] * 2


async def test_gzip_body_is_decompressed_and_counted(serve: Serve, make_client: MakeClient) -> None:
    raw = orjson.dumps([{"order_id": n} for n in range(2000)])

    async def handler(request: web.Request) -> web.Response:
        assert "gzip" in request.headers["Accept-Encoding"]
        headers = cache_headers() | {"Content-Encoding": "gzip"}
        return web.Response(body=gzip.compress(raw), headers=headers)

    client = await make_client(await serve(handler))
    before = metric("esi_response_bytes_total")
    response = await client.get("/markets/prices")
    assert response.body == raw
    assert metric("esi_response_bytes_total") - before == len(raw)


async def test_etag_sends_if_none_match_and_304_has_empty_body(serve: Serve, make_client: MakeClient) -> None:
    seen: list[str | None] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == 'W/"v7"':
            return web.Response(status=304, headers=cache_headers(etag='W/"v7"'))
        return web.json_response(ORDERS, headers=cache_headers(etag='W/"v8"'))

    client = await make_client(await serve(handler))
    before = metric("esi_not_modified_total")
    response = await client.get("/markets/prices", etag='W/"v7"')
    assert seen == ['W/"v7"']
    assert (response.status, response.body, response.etag) == (304, b"", 'W/"v7"')
    assert metric("esi_not_modified_total") - before == 1
    with pytest.raises(MalformedResponse):
        response.json()
    assert client.expires_at("/markets/prices") is not None  # a 304 also renews the Expires guard


async def test_not_expired_guard_refuses_early_rerequest(serve: Serve, make_client: MakeClient) -> None:
    calls = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        return web.json_response(ORDERS, headers=cache_headers(expires_in=300))

    client = await make_client(await serve(handler))
    assert client.expires_at("/markets/prices") is None
    await client.get("/markets/prices")
    expires = client.expires_at("/markets/prices")
    assert expires is not None and (expires - datetime.now(UTC)).total_seconds() > 290
    with pytest.raises(NotExpired) as raised:
        await client.get("/markets/prices", etag='"v1"')
    assert raised.value.url == "/markets/prices" and raised.value.expires == expires
    assert "cached until" in str(raised.value)
    await client.get("/markets/prices", {"other": 1})  # another query is another URL
    assert calls == 2


async def test_expired_url_may_be_requested_again(serve: Serve, make_client: MakeClient) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response(ORDERS, headers=cache_headers(expires_in=-1))

    client = await make_client(await serve(handler))
    await client.get("/markets/prices")
    await client.get("/markets/prices")


async def test_invalid_json_raises_malformed_response_on_parse(serve: Serve, make_client: MakeClient) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=b'[{"order_id": 1', headers=cache_headers())

    client = await make_client(await serve(handler))
    response = await client.get("/markets/prices")
    with pytest.raises(MalformedResponse, match="not valid JSON"):
        response.json()


async def test_post_sends_json_and_is_not_guarded(serve: Serve, make_client: MakeClient) -> None:
    bodies: list[object] = []

    async def handler(request: web.Request) -> web.Response:
        assert request.method == "POST" and request.content_type == "application/json"
        names = await request.json()
        bodies.append(names)
        return web.json_response({"inventory_types": [{"id": 34, "name": "Tritanium"}]}, headers=cache_headers())

    client = await make_client(await serve(handler))
    first = await client.post("/universe/ids", ["Tritanium"])
    await client.post("/universe/ids", ["Tritanium"])
    assert first.json()["inventory_types"][0]["id"] == 34
    assert bodies == [["Tritanium"], ["Tritanium"]]


async def test_context_manager_and_request_before_start() -> None:
    client = EsiClient("http://127.0.0.1:9", user_agent=USER_AGENT, compatibility_date=COMPATIBILITY_DATE)
    with pytest.raises(RuntimeError, match="start"):
        await client.get("/status")
    async with client as started:
        assert started is client
    await client.close()  # idempotent


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        EsiClient("esi.evetech.net", user_agent=USER_AGENT, compatibility_date=COMPATIBILITY_DATE)
    with pytest.raises(ValueError):
        EsiClient("https://esi.evetech.net", user_agent="", compatibility_date=COMPATIBILITY_DATE)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        EsiClient("https://esi.evetech.net", user_agent=USER_AGENT, compatibility_date="latest")
