"""CSRF: every state-changing form and API call needs the session's token; without it, 403 and nothing changes."""

from __future__ import annotations

from tests.web.helpers import create_account, csrf_of, sign_in

FORM = {"default_hub": "Amarr", "accounting": "5", "broker_relations": "5", "advanced_broker_relations": "3"}
FORM |= {"faction_standing": "2.5", "corp_standing": "-1"}


async def _hub(pg_pool, account: int):
    return await pg_pool.fetchval("SELECT default_hub FROM accounts WHERE id = $1", account)


async def test_settings_form_without_or_with_a_wrong_token_is_refused(client, pg_pool):
    account = await create_account(pg_pool)
    await sign_in(client, account)
    missing = await client.post("/settings", data=FORM, allow_redirects=False)
    assert missing.status == 403 and "did not come from this site" in await missing.text()
    wrong = await client.post("/settings", data=FORM | {"csrf_token": "0" * 64}, allow_redirects=False)
    assert wrong.status == 403
    assert await _hub(pg_pool, account) is None
    assert await pg_pool.fetchval("SELECT count(*) FROM account_trade_settings WHERE account_id = $1", account) == 0
    good = await client.post("/settings", data=FORM | {"csrf_token": await csrf_of(client)}, allow_redirects=False)
    assert good.status == 303
    assert await _hub(pg_pool, account) == "Amarr"


async def test_api_put_needs_the_header(client, pg_pool):
    account = await create_account(pg_pool)
    await sign_in(client, account)
    body = {"default_hub": "Hek"}
    refused = await client.put("/api/v1/settings", json=body)
    assert refused.status == 403
    assert (await refused.json())["error"]["code"] == "csrf"
    assert await _hub(pg_pool, account) is None
    token = await csrf_of(client)
    accepted = await client.put("/api/v1/settings", json=body, headers={"X-CSRF-Token": token})
    assert accepted.status == 200 and await _hub(pg_pool, account) == "Hek"


async def test_token_of_another_session_or_a_cross_site_origin_is_refused(make_client, client, pg_pool):
    first, second = await create_account(pg_pool), await create_account(pg_pool)
    await sign_in(client, first)
    other = await make_client()
    await sign_in(other, second)
    foreign = await csrf_of(other)
    response = await client.put("/api/v1/settings", json={"default_hub": "Hek"}, headers={"X-CSRF-Token": foreign})
    assert response.status == 403
    token = await csrf_of(client)
    headers = {"X-CSRF-Token": token, "Origin": "https://evil.example"}
    assert (await client.put("/api/v1/settings", json={"default_hub": "Hek"}, headers=headers)).status == 403
    assert await _hub(pg_pool, first) is None


async def test_logout_without_a_token_keeps_the_session(client, pg_pool):
    await sign_in(client, await create_account(pg_pool))
    assert (await client.post("/auth/logout", allow_redirects=False)).status == 403
    assert (await client.get("/api/v1/account")).status == 200
