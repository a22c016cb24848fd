"""The panel's Structure markets page and /api/v1/structures against the ESI and SSO fakes: list (names, reader,
data age), add with a chosen character, broker fee, remove; CSRF-checked; refusals are 4xx and change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.postgres.alerts_rules import PgAlertRules
from core.alerts.model import AlertTarget, TargetKind
from core.alerts.rules import parse_rule
from core.chat.registry import CommandContext
from core.usecases.accounts import AccountServices
from tests.core.commands.sample_catalog import sample_catalog
from tests.core.usecases.test_structures import ANN, JOE, KEEP, KEEP_NAME, TOWER, TOWER_NAME, structure_world
from tests.web.helpers import csrf_of, sign_in
from tests.web.schema_check import problems
from web.public import use_market

__all__ = ["structure_world"]  # the fixture
pytestmark = pytest.mark.e2e
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def panel(make_client: Any, world: Any) -> Any:
    """A client of the panel whose market context has the structure markets use case, signed in as Joe's account."""
    context = CommandContext(
        catalog=sample_catalog(),
        accounts=AccountServices(None, None, "http://panel", structures=world.markets),  # type: ignore[arg-type]
    )
    client = await make_client(setup=lambda app: use_market(app, context))
    await sign_in(client, world.joe)
    return client


async def test_the_page_lists_adds_sets_the_fee_and_removes(make_client: Any, structure_world: Any) -> None:
    client = await panel(make_client, structure_world)
    page = await client.get("/structures")
    html = await page.text()
    assert page.status == 200 and "None yet." in html
    assert f'<option value="{ANN}"' in html and f'<option value="{JOE}"' in html  # two able characters: a choice
    token = CSRF.search(html).group(1)  # type: ignore[union-attr]

    refused = await client.post("/structures", data={"structure": str(KEEP), "character_id": str(JOE),
                                                     "csrf_token": token}, allow_redirects=False)  # fmt: skip
    text = await refused.text()
    assert refused.status == 422 and "Nothing was changed" in text and "cannot trade at structure" in text
    assert f'value="{KEEP}"' in text  # the typed value is kept
    assert await structure_world.store.markets(structure_world.joe) == []
    no_csrf = await client.post("/structures", data={"structure": str(KEEP)}, allow_redirects=False)
    assert no_csrf.status == 403 and await structure_world.store.markets(structure_world.joe) == []

    added = await client.post("/structures", data={"structure": "ann's keep", "character_id": str(ANN),
                                                   "csrf_token": token}, allow_redirects=False)  # fmt: skip
    assert added.status == 303 and added.headers["Location"] == "/structures?done=added"
    html = await (await client.get("/structures?done=added")).text()
    assert "Structure market added." in html and f'<th scope="row">{KEEP_NAME.replace(chr(39), "&#39;")}</th>' in html
    assert "<td>Perimeter</td>" in html and "<td>The Forge</td>" in html and "<td>Ann</td>" in html
    assert "no market data yet" in html

    for fee, status in (("abc", 422), ("51", 422), ("2.5", 303)):
        answer = await client.post(f"/structures/{KEEP}/fee", data={"fee": fee, "csrf_token": token},
                                   allow_redirects=False)  # fmt: skip
        assert answer.status == status, (fee, await answer.text())
    assert (await structure_world.store.markets(structure_world.joe))[0].broker_fee == 0.025
    assert 'value="2.50"' in await (await client.get("/structures")).text()

    other = await client.post(f"/structures/{TOWER}/remove", data={"csrf_token": token}, allow_redirects=False)
    assert other.status == 404  # not tracked by this account: nothing removed
    gone = await client.post(f"/structures/{KEEP}/remove", data={"csrf_token": token}, allow_redirects=False)
    assert gone.status == 303 and await structure_world.store.markets() == []


async def test_the_api_shares_the_use_case_and_documents_its_shapes(
    make_client: Any, structure_world: Any, pg_pool: Any
) -> None:
    client = await panel(make_client, structure_world)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    url = "/api/v1/structures"
    document = await (await client.get("/api/openapi.json")).json()
    schema = document["components"]["schemas"]
    assert (await client.post(url, json={"structure": TOWER_NAME})).status == 403  # no CSRF token
    for body in ({"structure": ""}, {"structure": "x", "extra": 1}, {"structure": "tower", "character_id": "joe"}):
        assert (await client.post(url, json=body, headers=headers)).status == 422, body
    added = await client.post(url, json={"structure": str(TOWER)}, headers=headers)
    data = await added.json()
    assert (
        added.status == 201 and data["name"] == TOWER_NAME and not problems(document, schema["StructureMarket"], data)
    )
    again = await client.post(url, json={"structure": str(TOWER)}, headers=headers)
    assert again.status == 422 and "tracked already" in (await again.json())["error"]["message"]

    listed = await (await client.get(url)).json()
    assert not problems(document, schema["StructureList"], listed)
    assert [(m["name"], m["character_name"], m["data_age"]) for m in listed["markets"]] == [
        (TOWER_NAME, "Joe", "no market data yet")
    ]
    fee = await client.put(f"{url}/{TOWER}/fee", json={"broker_fee_percent": 1.5}, headers=headers)
    assert fee.status == 200 and (await fee.json())["broker_fee"] == 0.015
    bad_fees: list[dict[str, object]] = [{"broker_fee_percent": 60}, {"broker_fee_percent": True}, {}]
    for bad in bad_fees:
        assert (await client.put(f"{url}/{TOWER}/fee", json=bad, headers=headers)).status == 422, bad

    # Alert listings name the structure a rule watches (the catalog was told about it when it was added).
    rule = parse_rule(kind="price", side="sell", direction="below", threshold=6.0, type_id=34,
                      region_id=data["market_id"], location_id=TOWER,
                      target=AlertTarget("discord", TargetKind.DM, "1"))  # fmt: skip
    await PgAlertRules(pg_pool).add(structure_world.joe, rule)
    alerts = await (await client.get("/api/v1/alerts")).json()
    assert [a["place"] for a in alerts["alerts"]] == [f"at {TOWER_NAME}"]
    assert f"at {TOWER_NAME}" in await (await client.get("/alerts")).text()

    assert (await client.delete(f"{url}/{KEEP}", headers=headers)).status == 404
    assert (await client.delete(f"{url}/{TOWER}", headers=headers)).status == 204
    assert (await (await client.get(url)).json())["markets"] == []


async def test_without_sso_the_page_says_so_and_the_api_answers_409(client: Any, pg_pool: Any) -> None:
    from tests.web.helpers import create_account

    await sign_in(client, await create_account(pg_pool))
    page = await client.get("/structures")
    assert page.status == 200 and "not enabled on this server" in await page.text()
    assert (await client.get("/api/v1/structures")).status == 409
