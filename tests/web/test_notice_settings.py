"""The settings page's sales notices: the chat command's choices, CSRF, an error per bad field, nothing stored then."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import asyncpg

from tests.web.helpers import create_account, sign_in
from web.email_pages import MAILER

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
URL = "/settings/notices"


async def _page(client: Any) -> tuple[str, str]:
    """The settings page's HTML and this browser's CSRF token from it."""
    response = await client.get("/settings")
    html = await response.text()
    assert response.status == 200, html
    token = CSRF.search(html)
    assert token is not None
    return html, token.group(1)


async def _post(client: Any, form: dict[str, str], token: str | None) -> aiohttp.ClientResponse:
    response: aiohttp.ClientResponse = await client.post(
        URL, data=form | ({"csrf_token": token} if token else {}), allow_redirects=False
    )
    return response


async def _stored(pool: asyncpg.Pool, account: int) -> list[tuple[Any, ...]]:
    rows = await pool.fetch(
        "SELECT mode, target_platform, target_kind, target_address FROM trade_notice_preferences WHERE account_id = $1",
        account,
    )
    return [tuple(row) for row in rows]


async def test_notices_are_chosen_on_the_settings_page(make_client, pg_pool) -> None:
    client = await make_client(sso_enabled=True)
    account = await create_account(pg_pool, identities=(("telegram", "7101", "Trader"),))
    other = await create_account(pg_pool, identities=(("telegram", "7102", "Someone"),))
    await sign_in(client, account)
    html, token = await _page(client)
    assert '<h2 id="notices-title">Sales notices</h2>' in html
    assert 'value="sales" selected' in html  # on by default
    assert '<option value="dm:telegram:7101" selected>DM to Trader (telegram)</option>' in html
    assert "7102" not in html and "E-mail to" not in html  # no mail on this server
    good = {"notice_mode": "all", "notice_target": "dm:telegram:7101"}
    assert (await _post(client, good, None)).status == 403  # CSRF-protected
    for form, field, words in (
        ({"notice_mode": "loud", "notice_target": "dm:telegram:7101"}, "notice_mode", "must be one of Off"),
        ({"notice_mode": "all", "notice_target": "dm:telegram:7102"}, "notice_target", "pick one of your own"),
        ({"notice_mode": "all", "notice_target": "channel:discord:42"}, "notice_target", "pick one of your own"),
        ({"notice_mode": "all", "notice_target": "email:email:a@example.com"}, "notice_target", "not enabled"),
    ):
        response = await _post(client, form, token)
        page = await response.text()
        assert response.status == 422, (form, page)
        assert words in page and f'id="{field}-error"' in page, form
        assert f'value="{form["notice_mode"]}" selected' in page or field == "notice_mode"  # the form is re-shown
    assert await _stored(pg_pool, account) == [] and await _stored(pg_pool, other) == []
    done = await _post(client, good, token)
    assert done.status == 303 and done.headers["Location"] == "/settings?notices=saved#notices"
    assert await _stored(pg_pool, account) == [("all", "telegram", "dm", "7101")]
    html = await (await client.get("/settings?notices=saved")).text()
    assert "Sales notice settings saved." in html and 'value="all" selected' in html


async def test_a_channel_chosen_in_chat_and_a_verified_address_are_offered(make_client, pg_pool) -> None:
    client = await make_client(sso_enabled=True, setup=lambda app: app.__setitem__(MAILER, object()))
    account = await create_account(pg_pool, identities=(("discord", "8101", "Trader"),))
    await pg_pool.execute(
        "INSERT INTO account_emails (account_id, address, verified_at) VALUES ($1, 'trader@example.com', now())",
        account,
    )
    await pg_pool.execute(
        "INSERT INTO trade_notice_preferences (account_id, mode, target_platform, target_kind, target_address)"
        " VALUES ($1, 'sales', 'discord', 'channel', '555')",
        account,
    )
    await sign_in(client, account)
    html, token = await _page(client)
    assert '<option value="channel:discord:555" selected>The discord channel chosen in chat</option>' in html
    assert '<option value="email:email:trader@example.com">E-mail to trader@example.com</option>' in html
    for wrong in ("email:", "email:email:", "email:email:other@example.com", "channel:discord:556"):
        refused = await _post(client, {"notice_mode": "all", "notice_target": wrong}, token)
        assert refused.status == 422, wrong
    assert await _stored(pg_pool, account) == [("sales", "discord", "channel", "555")]
    keep = await _post(client, {"notice_mode": "off", "notice_target": "channel:discord:555"}, token)
    assert keep.status == 303
    assert await _stored(pg_pool, account) == [("off", "discord", "channel", "555")]
    mail = await _post(client, {"notice_mode": "sales", "notice_target": "email:email:TRADER@example.com"}, token)
    assert mail.status == 303
    assert await _stored(pg_pool, account) == [("sales", "email", "email", "trader@example.com")]


async def test_without_a_chat_only_off_can_be_saved(make_client, pg_pool) -> None:
    client = await make_client(sso_enabled=True)
    account = await create_account(pg_pool)
    await sign_in(client, account)
    html, token = await _page(client)
    assert "No chat or e-mail address yet" in html
    refused = await _post(client, {"notice_mode": "sales", "notice_target": ""}, token)
    assert refused.status == 422 and "use the bot in Discord or Telegram" in await refused.text()
    assert await _stored(pg_pool, account) == []
    assert (await _post(client, {"notice_mode": "off", "notice_target": ""}, token)).status == 303
    assert await _stored(pg_pool, account) == [("off", None, None, None)]


async def test_without_eve_sign_in_there_is_nothing_to_set(client, pg_pool) -> None:
    account = await create_account(pg_pool, identities=(("telegram", "7201", "Trader"),))
    await sign_in(client, account)
    html, token = await _page(client)
    assert "Trading features need EVE sign-in" in html and 'action="/settings/notices"' not in html
    response = await _post(client, {"notice_mode": "off", "notice_target": ""}, token)
    assert response.status == 404 and await _stored(pg_pool, account) == []
