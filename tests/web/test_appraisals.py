"""Shared appraisals: the anonymous API, the Appraise form, the permalink page, expiry and the per-address limit."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import replace
from typing import Any

from adapters.postgres.appraisals import PgAppraisals
from bot.console import render_text
from core.chat import Caller, Invocation, dispatch
from core.commands.default import build_registry
from core.formatting import isk
from evetrader.app import App
from evetrader.bootstrap.chat import command_context
from scheduler.jobs import purge_appraisals
from tests.web.helpers import create_account, sign_in
from tests.web.market_helpers import PANEL_URL, MarketClient, market_app, market_client, traded_item
from tests.web.schema_check import problems

__all__ = ["market_app", "market_client"]  # fixtures used by the tests below
ID = re.compile(r"^[0-9A-Za-z]{10}$")
TIMES = ("id", "url", "hub", "priced_at", "created_at", "expires_at")


async def _paste(app: App) -> tuple[str, dict[str, Any]]:
    item = await traded_item(app)
    return f"100 {item['name']}\nthis line is not an item", item


async def test_api_appraisal_is_the_cli_body_under_a_permalink(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    paste, item = await _paste(market_app)
    response = await client.post("/api/v1/appraisals", json={"paste": paste, "hub": "Jita"})
    assert response.status == 201, await response.text()
    assert "Set-Cookie" not in response.headers  # anonymous: no session was read or started
    body = await response.json()
    assert ID.match(body["id"]) and body["url"] == f"http://127.0.0.1/a/{body['id']}"
    assert body["hub"].startswith("Jita") and body["priced_at"] is not None
    # exactly what `evetrader appraise --json` prints: the /appraise command's data through the same dispatch
    reply = await dispatch(
        build_registry(),
        Invocation("appraise", {"paste": paste, "where": "Jita"}, Caller("console", "t", "T")),
        await command_context(market_app),
    )
    assert {k: v for k, v in body.items() if k not in TIMES} == {k: v for k, v in reply.data.items() if k not in TIMES}
    [line] = body["items"]
    assert (line["type_id"], line["quantity"], line["sell"]) == (item["type_id"], 100, item["best_sell"])
    assert body["totals"]["sell"] == 100 * item["best_sell"]
    assert body["unparsed"][0]["line"] == 2

    again = await client.get(f"/api/v1/appraisals/{body['id']}")
    assert again.status == 200 and await again.json() == body


async def test_permalink_page_shows_items_unparsed_lines_and_a_buyback_quote(
    market_client: MarketClient, market_app: App
) -> None:
    client = await market_client()
    paste, item = await _paste(market_app)
    created = await (await client.post("/api/v1/appraisals", json={"paste": paste})).json()
    page = await client.get(f"/a/{created['id']}?pct=50")
    html = await page.text()
    assert page.status == 200
    assert item["name"] in html and "this line is not an item" in html
    assert created["url"] in html and "Priced" in html
    assert f"{isk(created['totals']['buy'] * 0.5)} ISK" in html
    assert 'for="pct"' in html and "<caption" in html  # labelled input, table caption
    bad = await (await client.get(f"/a/{created['id']}?pct=abc")).text()
    assert "between 0 and 200" in bad and 'aria-invalid="true"' in bad


async def test_unknown_malformed_and_expired_ids_are_404(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    paste, _ = await _paste(market_app)
    created = await (await client.post("/api/v1/appraisals", json={"paste": paste})).json()
    for wrong in ("AAAAAAAAAA", "short", "../../etc", created["id"] + "x"):
        assert (await client.get(f"/api/v1/appraisals/{wrong}")).status == 404
        assert (await client.get(f"/a/{wrong}")).status == 404
    await market_app.pool.execute("UPDATE appraisals SET expires_at = now() - interval '1 second' WHERE id = $1",
                                  created["id"])  # fmt: skip
    assert (await client.get(f"/a/{created['id']}")).status == 404
    assert await market_app.pool.fetchval("SELECT count(*) FROM appraisals WHERE id = $1", created["id"]) == 0


async def test_the_scheduler_purges_expired_appraisals(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    paste, _ = await _paste(market_app)
    kept = (await (await client.post("/api/v1/appraisals", json={"paste": paste})).json())["id"]
    gone = (await (await client.post("/api/v1/appraisals", json={"paste": paste})).json())["id"]
    await market_app.pool.execute("UPDATE appraisals SET expires_at = now() - interval '1 day' WHERE id = $1", gone)
    assert await purge_appraisals(PgAppraisals(market_app.pool)) >= 1
    left = {r["id"] for r in await market_app.pool.fetch("SELECT id FROM appraisals WHERE id = ANY($1)", [kept, gone])}
    assert left == {kept}


async def test_the_expiry_period_is_configurable(market_client: MarketClient, market_app: App) -> None:
    client = await market_client(appraisal_ttl_days=2)
    paste, _ = await _paste(market_app)
    body = await (await client.post("/api/v1/appraisals", json={"paste": paste})).json()
    days = await market_app.pool.fetchval(
        "SELECT extract(epoch FROM expires_at - created_at) / 86400 FROM appraisals WHERE id = $1", body["id"]
    )
    assert round(float(days), 3) == 2


async def test_bad_input_changes_nothing(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    before = await market_app.pool.fetchval("SELECT count(*) FROM appraisals")
    cases = [
        ({"paste": ""}, 422),
        ({"paste": "not an item at all"}, 422),
        ({"paste": "100 Tritanium", "hub": "Nowhere"}, 422),
        ({"paste": "100 Tritanium", "extra": 1}, 422),
        ({"paste": 5}, 422),
    ]
    for payload, status in cases:
        response = await client.post("/api/v1/appraisals", json=payload)
        assert response.status == status, (payload, await response.text())
        assert (await response.json())["error"]["message"]
    too_big = await client.post("/api/v1/appraisals", json={"paste": "1 Tritanium\n" * 100_000})
    assert too_big.status == 413
    not_json = await client.post("/api/v1/appraisals", data="paste=1 Tritanium")
    assert not_json.status == 415
    assert await market_app.pool.fetchval("SELECT count(*) FROM appraisals") == before


async def test_appraisals_are_rate_limited_per_address(market_client: MarketClient, market_app: App) -> None:
    proxy = (ipaddress.ip_network("127.0.0.1/32"),)  # addresses come from X-Forwarded-For: one bucket each
    client = await market_client(appraisal_rate_per_minute=1, appraisal_rate_burst=2, trusted_proxies=proxy)
    paste, _ = await _paste(market_app)
    first, second = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "203.0.113.8"}

    async def status(headers: dict[str, str]) -> int:
        return (await client.post("/api/v1/appraisals", json={"paste": paste}, headers=headers)).status

    assert [await status(first) for _ in range(3)] == [201, 201, 429]
    limited = await client.post("/api/v1/appraisals", json={"paste": paste}, headers=first)
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    assert await status(second) == 201  # another address has its own budget


async def test_a_signed_in_browser_needs_no_csrf_token_and_keeps_its_cookies(
    market_client: MarketClient, market_app: App
) -> None:
    client = await market_client()
    await sign_in(client, await create_account(market_app.pool))
    paste, _ = await _paste(market_app)
    response = await client.post(
        "/api/v1/appraisals", json={"paste": paste}, headers={"Origin": "https://elsewhere.example"}
    )
    assert response.status == 201 and "Set-Cookie" not in response.headers


async def test_the_appraise_form_needs_csrf_and_leads_to_the_permalink(
    market_client: MarketClient, market_app: App
) -> None:
    client = await market_client()
    form = await client.get("/appraise")
    html = await form.text()
    assert form.status == 200 and 'for="paste"' in html and 'for="hub"' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token is not None
    paste, item = await _paste(market_app)
    refused = await client.post("/appraise", data={"paste": paste, "hub": "Jita"})
    assert refused.status == 403
    empty = await client.post("/appraise", data={"paste": " ", "hub": "Jita", "csrf_token": token[1]})
    assert empty.status == 422 and 'aria-invalid="true"' in await empty.text()
    done = await client.post(
        "/appraise", data={"paste": paste, "hub": "Amarr", "csrf_token": token[1]}, allow_redirects=False
    )
    assert done.status == 303 and re.fullmatch(r"/a/[0-9A-Za-z]{10}", done.headers["Location"])
    page = await client.get(done.headers["Location"])
    assert page.status == 200 and item["name"] in await page.text() and "Amarr" in await page.text()


async def test_answers_match_the_openapi_document(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    document = await (await client.get("/api/openapi.json")).json()
    operation = document["paths"]["/api/v1/appraisals"]["post"]
    paste, _ = await _paste(market_app)
    created = await client.post("/api/v1/appraisals", json={"paste": paste})
    schema = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert problems(document, schema, await created.json()) == []
    wrong = await client.post("/api/v1/appraisals", json={"paste": ""})
    schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert problems(document, schema, await wrong.json()) == []
    assert problems(document, schema, {"error": "no"}) != []  # the checker can fail


async def test_chat_appraise_answers_with_a_permalink(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    paste, item = await _paste(market_app)
    context = await command_context(market_app)  # PUBLIC_URL set: chat replies carry the link
    reply = await dispatch(
        build_registry(), Invocation("appraise", {"paste": paste}, Caller("console", "t", "T")), context
    )
    link = {f.name: f.value for f in reply.fields}["Link"]
    assert link == f"{PANEL_URL}/a/{reply.data['id']}" == reply.data["url"]
    page = await client.get(f"/a/{reply.data['id']}")
    assert page.status == 200 and item["name"] in await page.text()
    shown = render_text(reply, color=False)
    assert shown.count(link) == 1 and "\n\n\n" not in shown  # the console shows the link once, as a field
    unset = replace(context, services=replace(context.services, panel_url=None))
    quiet = await dispatch(
        build_registry(), Invocation("appraise", {"paste": paste}, Caller("console", "t", "T")), unset
    )
    assert "Link" not in {f.name for f in quiet.fields} and "url" not in quiet.data


async def test_permalink_and_api_name_each_source_with_its_age(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    paste, _ = await _paste(market_app)
    created = await (await client.post("/api/v1/appraisals", json={"paste": paste, "hub": "Jita"})).json()
    [orders] = created["sources"]  # a hub-priced item: the hub's orders only (no CCP average used)
    assert orders["name"] == "Jita orders" and orders["as_of"] == created["priced_at"]
    html = await (await client.get(f"/a/{created['id']}")).text()
    assert 'id="sources"' in html and "Jita orders as of <time" in html
