"""Item pages: the hubs side by side with the data's age, the history chart as a cached PNG, search and its API."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import orjson

from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.structure_markets import PgStructureMarkets
from core.accounts.tokens import TokenSubject
from core.formatting import isk
from core.market.hubs import PLEX_TYPE_ID
from core.market.model import SnapshotCommit
from core.market.order_page import parse_order_page
from core.market.structures import StructureInfo
from evetrader.app import App
from evetrader.bootstrap.market import history_refresher
from tests.web.helpers import create_account, sign_in
from tests.web.market_helpers import JITA_REGION, MarketClient, market_app, market_client, traded_item
from tests.web.schema_check import problems
from web.items import MAX_MATCHES, history_max_age
from web.market_api import MAX_AGE_S

__all__ = ["market_app", "market_client"]  # fixtures used by the tests below
PNG = b"\x89PNG\r\n\x1a\n"


async def test_item_page_shows_the_hubs_the_chart_and_the_links(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    item = await traded_item(market_app)
    await history_refresher(market_app).refresh(JITA_REGION, [item["type_id"]])
    response = await client.get(f"/items/{item['type_id']}")
    html = await response.text()
    assert response.status == 200, html
    assert f"<h1>{item['name']}</h1>" in html
    for hub in ("Jita", "Amarr", "Dodixie", "Rens", "Hek"):
        assert f'<th scope="col">{hub}</th>' in html
    assert isk(item["best_sell"]) in html and isk(item["best_buy"]) in html
    assert "Sell depth within 5%" in html and "Data age" in html
    assert re.search(r"<time datetime=\"[^\"]+\">\d+ min old</time>", html)  # Jita's quote
    assert "no market data yet" in html  # the other hubs' regions were never ingested
    assert f'href="/appraise?paste=1+{quote(item["name"]).replace("%20", "+")}"' in html
    assert f'href="/alerts?item={quote(item["name"]).replace("%20", "+")}"' in html
    chart_url = re.search(r'<img id="history-chart" src="([^"]+)" alt="([^"]+)"', html)
    assert chart_url is not None and item["name"] in chart_url.group(2)
    chart = await client.get(chart_url.group(1).replace("&amp;", "&"))
    body = await chart.read()
    assert chart.status == 200 and chart.content_type == "image/png" and body.startswith(PNG)
    assert "Set-Cookie" not in chart.headers  # a shared cache may keep it
    assert re.fullmatch(r"public, max-age=\d+", chart.headers["Cache-Control"])
    again = await client.get(chart_url.group(1).replace("&amp;", "&"), headers={"If-None-Match": chart.headers["ETag"]})
    assert again.status == 304 and await again.read() == b""


async def test_unknown_items_are_a_404_page(market_client: MarketClient) -> None:
    client = await market_client()
    for type_id in (999_999_999, 0, "abc", 2**40, "%C2%B2"):  # the catalogue holds published market types only
        for path in (f"/items/{type_id}", f"/charts/items/{type_id}/history.png"):
            response = await client.get(path)
            assert response.status == 404 and response.content_type == "text/html", path
            assert "Set-Cookie" not in response.headers or path.startswith("/items/")
    response = await client.get("/items/999999999")
    assert "No such item" in await response.text()


async def test_search_api_uses_the_catalogue_and_is_documented(market_client: MarketClient) -> None:
    client = await market_client()
    response = await client.get("/api/v1/items?q=tritan")
    found = await response.json()
    assert response.status == 200 and "Set-Cookie" not in response.headers
    assert found[0] == {"type_id": 34, "name": "Tritanium"}
    assert len(await (await client.get("/api/v1/items?q=a")).json()) == MAX_MATCHES
    assert await (await client.get("/api/v1/items?q=")).json() == []
    assert {"type_id": 34, "name": "Tritanium"} in await (await client.get("/api/v1/items?q=tritanum")).json()
    too_long = await client.get("/api/v1/items?q=" + "x" * 101)
    assert too_long.status == 422 and (await too_long.json())["error"]["message"]
    document = await (await client.get("/api/openapi.json")).json()
    operation = document["paths"]["/api/v1/items"]["get"]
    assert operation["security"] == []
    assert problems(document, operation["responses"]["200"]["content"]["application/json"]["schema"], found) == []


async def test_search_form_without_scripts(market_client: MarketClient) -> None:
    client = await market_client()
    for query in ("Tritanium", "trit", "  tritanium "):
        response = await client.get(f"/items?q={query}", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/items/34", query
    listed = await client.get("/items?q=skill injector")
    html = await listed.text()
    assert listed.status == 200 and 'href="/items/' in html and "Large Skill Injector" in html
    nothing = await client.get("/items?q=zzqqxxvv")
    assert nothing.status == 200 and "No item matches" in await nothing.text()
    empty = await client.get("/items")
    html = await empty.text()
    assert empty.status == 200 and 'role="combobox"' in html and 'aria-autocomplete="list"' in html
    assert '<label for="item-q">' in html and 'role="listbox"' in html and "/static/items." in html


async def test_links_prefill_the_appraise_and_alert_forms(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    appraise = await (await client.get("/appraise?paste=1+Tritanium&hub=Amarr")).text()
    assert ">1 Tritanium</textarea>" in appraise and '<option value="Amarr" selected>' in appraise
    await sign_in(client, await create_account(market_app.pool))
    alerts = await (await client.get("/alerts?item=Tritanium")).text()
    assert 'name="item" type="text" autocomplete="off" placeholder="Tritanium" value="Tritanium"' in alerts


async def test_plex_shows_the_global_market(market_client: MarketClient) -> None:
    client = await market_client()
    response = await client.get(f"/items/{PLEX_TYPE_ID}")
    html = await response.text()
    assert response.status == 200 and '<th scope="col">Global PLEX Market</th>' in html and "Jita</th>" not in html
    chart = await client.get(f"/charts/items/{PLEX_TYPE_ID}/history.png")
    assert chart.status == 200 and (await chart.read()).startswith(PNG)  # the "no history" placeholder
    assert chart.headers["Cache-Control"] == f"public, max-age={MAX_AGE_S}"


def _tower_order(order_id: int, price: float, *, buy: bool) -> dict[str, object]:
    return {"order_id": order_id, "type_id": 34, "location_id": 1_035_466_617_946, "is_buy_order": buy,
            "price": price, "volume_remain": 1000, "volume_total": 1000, "min_volume": 1, "duration": 90,
            "issued": "2026-01-02T03:04:05Z", "range": "station", "system_id": 30000144}  # fmt: skip


def _row(html: str, header: str) -> list[str]:
    row = re.search(rf'<tr><th scope="row">{re.escape(header)}</th>(.*?)</tr>', html)
    assert row is not None, header
    return re.findall(r"<td>(.*?)</td>", row.group(1))


async def test_structure_markets_are_columns_beside_the_hubs(market_client: MarketClient, market_app: App) -> None:
    pool, account = market_app.pool, await create_account(market_app.pool)
    await pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES (90000031, $1, 'Owner', 'h')",
        account,
    )
    store, subject = PgStructureMarkets(pool), TokenSubject(90000031, account, "h")
    tower = await store.add(StructureInfo(1_035_466_617_946, "Perimeter - Test Tower", 30000144, None, None), subject)
    empty = await store.add(StructureInfo(1_035_466_617_947, "Perimeter - Empty Keep", 30000144, None, None), subject)
    assert tower is not None and empty is not None
    catalog = await market_app.catalog()
    try:
        body = orjson.dumps([_tower_order(1, 5.00, buy=False), _tower_order(2, 4.20, buy=True)])
        now = datetime.now(UTC)
        async with PgOrderBookStore(pool).stage(tower.market_id) as stage:
            await stage.add_page(parse_order_page(body, 1))
            await stage.commit(
                SnapshotCommit(tower.market_id, now, now + timedelta(minutes=5), None, 1, len(body), now)
            )
        catalog.set_structures(await store.markets())
        client = await market_client()
        html = await (await client.get("/items/34")).text()
        assert "At the trade hubs and structure markets</h2>" in html
        names = re.findall(r'<th scope="col">([^<]+)</th>', html)
        assert names == ["Jita", "Amarr", "Dodixie", "Rens", "Hek", "Perimeter - Empty Keep", "Perimeter - Test Tower"]
        assert _row(html, "Best sell")[6] == isk(5.00) and _row(html, "Best buy")[6] == isk(4.20)
        assert _row(html, "Spread")[6] == isk(0.80) and _row(html, "Sell orders")[6] == "1"
        assert _row(html, "Best sell")[5] == "—" and _row(html, "Data age")[5] == "no market data yet"
        assert re.fullmatch(r'<time datetime="[^"]+">\d+ min old</time>', _row(html, "Data age")[6])
    finally:
        await store.remove(account, tower.structure_id)
        await store.remove(account, empty.structure_id)
        catalog.set_structures(await store.markets())


def test_a_chart_is_kept_until_the_next_daily_history() -> None:
    now = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    yesterday = datetime(2025, 3, 9, tzinfo=UTC)
    assert history_max_age(yesterday, now) == 2 * 3600 + 15 * 60  # until 11:15 UTC today
    after = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    assert history_max_age(datetime(2025, 3, 10, tzinfo=UTC), after) == 23 * 3600 + 15 * 60
    assert history_max_age(datetime(2025, 3, 1, tzinfo=UTC), now) == MAX_AGE_S  # stale: look again soon
    assert history_max_age(None, now) == MAX_AGE_S
