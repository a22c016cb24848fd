"""Pages: home with or without SSO, account identities (escaped) and unlinking, settings validation."""

from __future__ import annotations

from tests.web.helpers import create_account, csrf_of, sign_in
from web.assets import panel_assets

VALID = {"default_hub": "Dodixie", "accounting": "5", "broker_relations": "3", "advanced_broker_relations": "1"}
VALID |= {"faction_standing": "1.25", "corp_standing": "-0.5"}


async def test_home_explains_disabled_sign_in_until_sso_is_configured(make_light_client):
    off = await (await (await make_light_client()).get("/")).text()
    assert "disabled" in off and "no EVE SSO application configured" in off and 'href="/auth/login"' not in off
    on = await (await (await make_light_client(sso_enabled=True)).get("/")).text()
    assert 'href="/auth/login"' in on and "disabled" not in on
    css = panel_assets().url("panel.css")
    assert 'name="viewport"' in on and f'href="{css}"' in on and "https://" not in on.split("<footer")[0]


async def test_account_lists_identities_escaped_and_unlinks_one(client, pg_pool):
    account = await create_account(pg_pool, identities=(("discord", "1", "<script>x</script>"), ("telegram", "2", "T")))
    await sign_in(client, account)
    page = await client.get("/account")
    text = await page.text()
    assert page.status == 200 and "&lt;script&gt;" in text and "<script>x" not in text
    assert "No characters linked yet." in text and f"<dd>{account}</dd>" in text
    token = await csrf_of(client)
    form = {"csrf_token": token, "platform": "discord", "external_id": "1"}
    response = await client.post("/account/identities/unlink", data=form, allow_redirects=False)
    assert response.status == 303
    assert await pg_pool.fetchval("SELECT count(*) FROM account_identities WHERE account_id = $1", account) == 1
    again = await client.delete("/api/v1/account/identities/discord/1", headers={"X-CSRF-Token": token})
    assert again.status == 404
    api = await client.delete("/api/v1/account/identities/telegram/2", headers={"X-CSRF-Token": token})
    assert (
        api.status == 204
        and await pg_pool.fetchval("SELECT count(*) FROM account_identities WHERE account_id = $1", account) == 0
    )


async def test_settings_form_saves_valid_values(client, pg_pool):
    account = await create_account(pg_pool)
    await sign_in(client, account)
    page = await (await client.get("/settings")).text()
    assert '<label for="accounting">Accounting</label>' in page and 'value="4"' in page
    response = await client.post("/settings", data=VALID | {"csrf_token": await csrf_of(client)})
    text = await response.text()
    assert response.status == 200 and "Settings saved." in text and '<option value="Dodixie" selected>' in text
    row = await pg_pool.fetchrow("SELECT * FROM account_trade_settings WHERE account_id = $1", account)
    assert (row["accounting"], row["broker_relations"], float(row["faction_standing"])) == (5, 3, 1.25)


async def test_settings_form_rejects_bad_values_with_clear_errors_and_saves_nothing(client, pg_pool):
    account = await create_account(pg_pool)
    await sign_in(client, account)
    bad = VALID | {"accounting": "6", "corp_standing": "eleven", "default_hub": "Perimeter"}
    response = await client.post("/settings", data=bad | {"csrf_token": await csrf_of(client)})
    text = await response.text()
    assert response.status == 422 and "Nothing was saved" in text
    assert "Accounting must be a whole number from 0 to 5" in text
    assert "Corporation standing must be a number from -10 to 10" in text
    assert "Default hub must be one of Jita, Amarr, Dodixie, Rens, Hek" in text
    assert 'id="accounting" name="accounting"' in text and 'aria-invalid="true"' in text
    assert await pg_pool.fetchval("SELECT default_hub FROM accounts WHERE id = $1", account) is None
    assert await pg_pool.fetchval("SELECT count(*) FROM account_trade_settings WHERE account_id = $1", account) == 0


async def test_api_settings_validation(client, pg_pool):
    await sign_in(client, await create_account(pg_pool))
    headers = {"X-CSRF-Token": await csrf_of(client)}
    response = await client.put("/api/v1/settings", json={"skills": {"accounting": True, "tax": 1}}, headers=headers)
    body = await response.json()
    assert response.status == 422 and set(body["error"]["fields"]) == {"accounting", "tax"}
    not_json = await client.put("/api/v1/settings", data="default_hub=Jita", headers=headers)
    assert not_json.status == 415
    broken = await client.put("/api/v1/settings", data=b"{", headers=headers | {"Content-Type": "application/json"})
    assert broken.status == 400
