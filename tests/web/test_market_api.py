"""The public market API: /price, /compare and /history data over HTTP, anonymous, cached by ETag until expiry."""

from __future__ import annotations

from datetime import UTC, datetime

from core.chat import Caller, Invocation, dispatch
from core.commands.default import build_registry
from evetrader.app import App
from evetrader.bootstrap.chat import command_context
from evetrader.bootstrap.market import history_refresher
from tests.web.market_helpers import JITA_REGION, MarketClient, market_app, market_client, traded_item
from tests.web.schema_check import problems

__all__ = ["market_app", "market_client"]  # fixtures used by the tests below


async def test_price_is_the_price_commands_data_with_etag_and_expiry(
    market_client: MarketClient, market_app: App
) -> None:
    client = await market_client()
    item = await traded_item(market_app)
    response = await client.get(f"/api/v1/market/price?type_id={item['type_id']}&hub=Jita")
    assert response.status == 200, await response.text()
    assert "Set-Cookie" not in response.headers
    body = await response.json()
    reply = await dispatch(
        build_registry(),
        Invocation("price", {"item": item["name"], "where": "Jita"}, Caller("console", "t", "T")),
        await command_context(market_app),
    )
    assert body == {"hub": "Jita", **reply.data}
    assert (body["best_sell"], body["best_buy"]) == (item["best_sell"], item["best_buy"])
    expires = await market_app.pool.fetchval("SELECT expires FROM market_snapshots WHERE region_id = $1", JITA_REGION)
    max_age = int(response.headers["Cache-Control"].removeprefix("public, max-age="))
    assert abs(max_age - (expires - datetime.now(UTC)).total_seconds()) <= 5
    etag = response.headers["ETag"]
    again = await client.get(
        f"/api/v1/market/price?type_id={item['type_id']}&hub=Jita", headers={"If-None-Match": etag}
    )
    assert again.status == 304 and again.headers["ETag"] == etag and await again.read() == b""
    other = await client.get(
        f"/api/v1/market/price?type_id={item['type_id']}&hub=Amarr", headers={"If-None-Match": etag}
    )
    assert other.status == 200 and other.headers["ETag"] != etag


async def test_compare_and_history(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    item = await traded_item(market_app)
    compared = await (await client.get(f"/api/v1/market/compare?type_id={item['type_id']}")).json()
    assert compared["hubs"]["Jita"]["best_sell"] == item["best_sell"] and compared["buy_at"] is not None
    await history_refresher(market_app).refresh(JITA_REGION, [item["type_id"]])
    history = await client.get(f"/api/v1/market/history?type_id={item['type_id']}&region_id={JITA_REGION}&days=30")
    body = await history.json()
    assert history.status == 200 and body["region_id"] == JITA_REGION and body["days"] == 30
    assert body["rows"] and all(row["day"] >= body["rows"][0]["day"] for row in body["rows"])
    assert body["median_5d"] is not None and "ETag" in history.headers
    document = await (await client.get("/api/openapi.json")).json()
    for path, payload in (("/api/v1/market/compare", compared), ("/api/v1/market/history", body)):
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert problems(document, schema, payload) == [], path


async def test_bad_queries_get_clear_4xx(market_client: MarketClient) -> None:
    client = await market_client()
    cases = {
        "/api/v1/market/price": 400,
        "/api/v1/market/price?type_id=abc": 400,
        "/api/v1/market/price?type_id=999999999": 404,
        "/api/v1/market/price?type_id=34&hub=Perimeter": 422,
        "/api/v1/market/history?type_id=34&region_id=1": 422,
        "/api/v1/market/history?type_id=34&days=3": 422,
        "/api/v1/market/compare?type_id=-5": 400,
    }
    for url, status in cases.items():
        response = await client.get(url)
        assert response.status == status, (url, await response.text())
        assert (await response.json())["error"]["message"]


async def test_without_market_data_the_api_says_so(make_client) -> None:
    client = await make_client()  # a panel started without the market context
    response = await client.get("/api/v1/market/price?type_id=34")
    assert response.status == 503 and "not available" in (await response.json())["error"]["message"]
