"""Browser notifications on the panel at the HTTP level: the service worker's headers, the subscribe call (CSRF,
checks), a browser as an alert target of its own account only, removing it, and a server without a VAPID key."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.postgres.alerts import PgAlertRules
from adapters.webpush import new_vapid_key
from core.alerts.model import TargetKind
from fakes.webpush import WebPushFake
from tests.web.conftest import MakeClient
from tests.web.helpers import create_account, csrf_of, sign_in

Client = TestClient[web.Request, web.Application]
VAPID = new_vapid_key("mailto:ops@evetrader.test")
_USERS = itertools.count(501)
UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"}


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[WebPushFake]:
    async with WebPushFake() as server:
        yield server


async def _push_client(make_client: MakeClient, pool: asyncpg.Pool, **config: Any) -> tuple[Client, int, str]:
    await pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (34, 'Tritanium', 18) ON CONFLICT DO NOTHING"
    )
    client = await make_client(**({"vapid_public_key": VAPID.public_key, "push_allow_http": True} | config))
    account = await create_account(pool, identities=(("discord", str(next(_USERS)), "Pilot"),))
    await sign_in(client, account)
    return client, account, await csrf_of(client)


async def _subscribe(client: Client, token: str | None, body: Any) -> tuple[int, Any]:
    headers = UA | ({"X-CSRF-Token": token} if token else {})
    response = await client.post("/alerts/push", json=body, headers=headers)
    content = await response.json() if response.content_type == "application/json" else await response.text()
    return response.status, content


async def _count(pool: asyncpg.Pool, account: int) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM push_subscriptions WHERE account_id = $1", account))


async def test_the_service_worker_is_served_at_the_root_and_revalidated(make_client: MakeClient) -> None:
    client = await make_client(vapid_public_key=VAPID.public_key)
    response = await client.get("/push-sw.js")
    assert response.status == 200 and response.content_type == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/" and response.headers["Cache-Control"] == "no-cache"
    assert 'addEventListener("push"' in await response.text()


async def test_a_browser_subscribes_and_becomes_an_alert_target(
    make_client: MakeClient, pg_pool: asyncpg.Pool, fake: WebPushFake
) -> None:
    client, account, token = await _push_client(make_client, pg_pool)
    page = await (await client.get("/alerts")).text()
    assert f'data-key="{VAPID.public_key}"' in page and "No browser gets notifications yet." in page
    status, body = await _subscribe(client, token, fake.subscribe(VAPID.public_key))
    assert (status, body["label"]) == (201, "Chrome on Linux")
    page = await (await client.get("/alerts")).text()
    assert f'<option value="webpush:{body["id"]}">Browser: Chrome on Linux</option>' in page
    form = {"item": "Tritanium", "kind": "price", "side": "sell", "direction": "below", "value": "4.5",
            "place": "hub:Jita", "target": f"webpush:{body['id']}", "csrf_token": token}  # fmt: skip
    created = await client.post("/alerts", data=form, allow_redirects=False)
    assert created.status == 303, await created.text()
    [rule] = await PgAlertRules(pg_pool).list_for(account)
    assert (rule.spec.target.platform, rule.spec.target.kind, rule.spec.target.address) == (
        "webpush",
        TargetKind.PUSH,
        str(body["id"]),
    )
    assert "Browser: Chrome on Linux" in await (await client.get("/alerts")).text()


async def test_subscribing_needs_the_csrf_token(
    make_client: MakeClient, pg_pool: asyncpg.Pool, fake: WebPushFake
) -> None:
    client, account, _ = await _push_client(make_client, pg_pool)
    status, _ = await _subscribe(client, None, fake.subscribe(VAPID.public_key))
    assert status == 403 and await _count(pg_pool, account) == 0


async def test_bad_subscriptions_are_refused_with_a_reason_and_nothing_stored(
    make_client: MakeClient, pg_pool: asyncpg.Pool, fake: WebPushFake
) -> None:
    client, account, token = await _push_client(make_client, pg_pool, push_allow_http=False)
    good = fake.subscribe(VAPID.public_key)
    cases = {
        "http endpoint": good,  # plain http is only for the local fake
        "an address": good | {"endpoint": "https://10.0.0.7/push/x"},
        "a local name": good | {"endpoint": "https://localhost:8443/push/x"},
        "short key": good | {"keys": {"p256dh": good["keys"]["p256dh"][:40], "auth": good["keys"]["auth"]}},
        "no auth": good | {"keys": {"p256dh": good["keys"]["p256dh"]}},
        "not an object": ["https://push.example.org/x"],
    }
    for case, body in cases.items():
        status, answer = await _subscribe(client, token, body)
        assert status == 422 and answer["error"], case
    assert await _count(pg_pool, account) == 0


async def test_nobody_can_send_alerts_to_someone_elses_browser(
    make_client: MakeClient, pg_pool: asyncpg.Pool, fake: WebPushFake
) -> None:
    owner, _, owner_token = await _push_client(make_client, pg_pool)
    _, body = await _subscribe(owner, owner_token, fake.subscribe(VAPID.public_key))
    stranger, stranger_account, token = await _push_client(make_client, pg_pool)
    form = {"item": "Tritanium", "kind": "price", "side": "sell", "direction": "below", "value": "4.5",
            "place": "hub:Jita", "target": f"webpush:{body['id']}", "csrf_token": token}  # fmt: skip
    response = await stranger.post("/alerts", data=form, allow_redirects=False)
    assert response.status == 422 and "pick one of your own browsers" in await response.text()
    removed = await stranger.post(f"/alerts/push/{body['id']}/remove", data={"csrf_token": token})
    assert removed.status == 404 and await PgAlertRules(pg_pool).list_for(stranger_account) == []
    assert f"subscription {body['id']}" in await (await owner.get("/alerts")).text()


async def test_removing_a_browser_pauses_its_alerts(
    make_client: MakeClient, pg_pool: asyncpg.Pool, fake: WebPushFake
) -> None:
    client, account, token = await _push_client(make_client, pg_pool)
    _, body = await _subscribe(client, token, fake.subscribe(VAPID.public_key))
    form = {"item": "Tritanium", "kind": "price", "side": "sell", "direction": "below", "value": "4.5",
            "place": "hub:Jita", "target": f"webpush:{body['id']}", "csrf_token": token}  # fmt: skip
    assert (await client.post("/alerts", data=form, allow_redirects=False)).status == 303
    response = await client.post(f"/alerts/push/{body['id']}/remove", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 303 and await _count(pg_pool, account) == 0
    [rule] = await PgAlertRules(pg_pool).list_for(account)
    assert rule.active is False
    assert "Browser: removed" in await (await client.get("/alerts?done=push_removed")).text()


async def test_without_a_vapid_key_there_is_no_subscribing(make_client: MakeClient, pg_pool: asyncpg.Pool) -> None:
    client, _, token = await _push_client(make_client, pg_pool, vapid_public_key=None)
    assert "not enabled on this server" in await (await client.get("/alerts")).text()
    status, _ = await _subscribe(client, token, {"endpoint": "https://push.example.org/x"})
    assert status == 404
    assert re.search(r'id="push-subscribe"', await (await client.get("/alerts")).text()) is None
