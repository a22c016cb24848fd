"""/api/v1/alerts and /api/v1/watchlist: own rules only, CSRF on changes, targets limited to own identities, schemas."""

from __future__ import annotations

from typing import Any

from tests.web.helpers import create_account, csrf_of, sign_in
from tests.web.schema_check import problems

TRIT = {"type_id": 34, "kind": "price", "side": "sell", "direction": "below", "threshold": 4.5, "hub": "Amarr"}


async def _types(pg_pool) -> None:
    await pg_pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (34, 'Tritanium', 18), (35, 'Pyerite', 18)"
        " ON CONFLICT DO NOTHING"
    )


def _checked(document: Any, path: str, method: str, status: int, payload: Any) -> None:
    schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    assert problems(document, schema, payload) == [], payload


async def test_alert_crud_with_csrf_ownership_and_documented_shapes(client, pg_pool) -> None:
    await _types(pg_pool)
    me = await create_account(pg_pool, identities=(("telegram", "77", "Pilot"), ("web", "w1", "Browser")))
    other = await create_account(pg_pool, identities=(("discord", "99", "Other"),))
    document = await (await client.get("/api/openapi.json")).json()
    await sign_in(client, me)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    assert (await client.post("/api/v1/alerts", json=TRIT)).status == 403  # no CSRF token
    created = await client.post("/api/v1/alerts", json=TRIT, headers=headers)
    assert created.status == 200, await created.text()
    alert = await created.json()
    _checked(document, "/api/v1/alerts", "post", 200, alert)
    assert (alert["item"], alert["place"], alert["location_id"], alert["state"]) == (
        "Tritanium",
        "at Amarr",
        60008494,
        "armed",
    )
    assert alert["target"] == {"platform": "telegram", "kind": "dm", "address": "77"}  # never the web identity
    region = await client.post(
        "/api/v1/alerts",
        json={**TRIT, "kind": "spread", "side": None, "hub": None, "region_id": 10000002, "threshold": 5},
        headers=headers,
    )
    assert (await region.json())["location_id"] is None
    assert alert["snoozed_until"] is None
    await pg_pool.execute("UPDATE alert_rules SET muted_until = '2100-01-02T03:04:00Z' WHERE id = $1", alert["id"])
    listing = await (await client.get("/api/v1/alerts")).json()
    _checked(document, "/api/v1/alerts", "get", 200, listing)
    assert [a["id"] for a in listing["alerts"]] == [alert["id"], (await region.json())["id"]]
    assert [a["snoozed_until"] for a in listing["alerts"]] == ["2100-01-02T03:04:00+00:00", None]  # snoozed in chat

    stolen = await client.post(
        "/api/v1/alerts", json={**TRIT, "target": {"platform": "discord", "address": "99"}}, headers=headers
    )
    assert stolen.status == 403
    for bad in (
        {**TRIT, "threshold": -1},
        {**TRIT, "type_id": 999_999},
        {**TRIT, "hub": "Narnia"},
        {**TRIT, "threshold": "4.5"},
        {**TRIT, "colour": "red"},
        {**TRIT, "side": None},
    ):
        response = await client.post("/api/v1/alerts", json=bad, headers=headers)
        assert response.status == 422, (bad, await response.text())
    assert len((await (await client.get("/api/v1/alerts")).json())["alerts"]) == 2

    theirs = int(
        await pg_pool.fetchval(
            "INSERT INTO alert_rules (account_id, kind, type_id, region_id, side, direction, threshold,"
            " target_platform, target_kind, target_address)"
            " VALUES ($1, 'price', 34, 10000002, 'sell', 'below', 5, 'discord', 'dm', '99')"
            " RETURNING id",
            other,
        )
    )
    assert (await client.delete(f"/api/v1/alerts/{theirs}", headers=headers)).status == 404
    assert (await client.delete(f"/api/v1/alerts/{alert['id']}")).status == 403  # CSRF
    assert (await client.delete(f"/api/v1/alerts/{alert['id']}", headers=headers)).status == 204
    assert (await client.delete(f"/api/v1/alerts/{alert['id']}", headers=headers)).status == 404
    assert await pg_pool.fetchval("SELECT count(*) FROM alert_rules WHERE id = $1", theirs) == 1


async def test_quiet_hours_preferences(client, pg_pool) -> None:
    me = await create_account(pg_pool)
    document = await (await client.get("/api/openapi.json")).json()
    await sign_in(client, me)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    start = await (await client.get("/api/v1/alerts/preferences")).json()
    assert start == {"quiet": None, "max_rules": 25}
    quiet = {"timezone": "Europe/Berlin", "start": "22:00", "end": "07:00"}
    assert (await client.put("/api/v1/alerts/preferences", json={"quiet": quiet})).status == 403
    done = await client.put("/api/v1/alerts/preferences", json={"quiet": quiet}, headers=headers)
    assert done.status == 200 and (await done.json())["quiet"] == quiet
    _checked(document, "/api/v1/alerts/preferences", "put", 200, await done.json())
    for bad in ({**quiet, "timezone": "Mars/Base"}, {**quiet, "end": "22:00"}, {**quiet, "start": "late"}, "22-7"):
        response = await client.put("/api/v1/alerts/preferences", json={"quiet": bad}, headers=headers)
        assert response.status == 422, bad
    cleared = await client.put("/api/v1/alerts/preferences", json={"quiet": None}, headers=headers)
    assert (await cleared.json())["quiet"] is None


async def test_watchlist_add_list_remove(client, pg_pool) -> None:
    await _types(pg_pool)
    me = await create_account(pg_pool)
    document = await (await client.get("/api/openapi.json")).json()
    await sign_in(client, me)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    assert (await client.post("/api/v1/watchlist", json={"type_id": 34})).status == 403
    added = await client.post("/api/v1/watchlist", json={"type_id": 34}, headers=headers)
    body = await added.json()
    _checked(document, "/api/v1/watchlist", "post", 200, body)
    assert [(i["type_id"], i["name"]) for i in body["items"]] == [(34, "Tritanium")]
    assert body["digest"] == {"enabled": False, "hour": 8}
    assert (await client.post("/api/v1/watchlist", json={"type_id": 999_999}, headers=headers)).status == 422
    assert (await client.delete("/api/v1/watchlist/35", headers=headers)).status == 404
    assert (await client.delete("/api/v1/watchlist/34", headers=headers)).status == 204
    assert (await (await client.get("/api/v1/watchlist")).json())["items"] == []


async def test_anonymous_callers_get_401(make_light_client) -> None:
    client = await make_light_client()
    for path in ("/api/v1/alerts", "/api/v1/alerts/preferences", "/api/v1/watchlist"):
        assert (await client.get(path)).status == 401
