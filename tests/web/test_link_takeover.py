"""/link with two browsers (cookie jars): a shared link URL hands no account over; linking needs a confirmed POST."""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from adapters.redis.keys import RedisKeys
from adapters.redis.link_codes import RedisLinkCodes
from core.accounts.sessions import csrf_token, derive_key
from evetrader.bootstrap.web import web_deps
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.helpers import TEST_KEY, cookie, create_account, csrf_of, drop_cookie, sign_in, web_config
from tests.web.test_sso_flow import SsoPanel, confirm_link, identity_owner, sso_callback, start_panel
from web.app import create_app, start

Client = TestClient[web.Request, web.Application]
_ids = itertools.count(93000001)

pytestmark = pytest.mark.reliability  # issue 12's attack cases belong to the reliability suite too


@pytest_asyncio.fixture(loop_scope="session")
async def two_browsers(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> AsyncIterator[tuple[SsoPanel, Client, Client]]:
    """The SSO-enabled panel and two browsers of it, the victim's and the attacker's, each with its own cookies.

    The SSO fake's one character (the victim's) is unique to the test: the module shares a database.
    """
    character_id = next(_ids)
    character = FakeCharacter(character_id, f"Victim {character_id}", f"owner-{character_id}")
    async with SsoFake(characters=(character,)) as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        server = TestServer(built.app)
        victim: Client = TestClient(server)
        attacker: Client = TestClient(server)
        await victim.start_server()
        built.bind_callback(str(victim.make_url("/")))
        yield built, victim, attacker
        await attacker.close()
        await victim.close()
        await built.sso.close()


async def _account(client: Client) -> dict[str, object]:
    response = await client.get("/api/v1/account")
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def _victim_admin(built: SsoPanel, victim: Client, pool: asyncpg.Pool) -> int:
    """The victim's account (an admin holding the fake's character), made by an EVE sign-in; then signed out."""
    assert (await victim.get(await sso_callback(victim), allow_redirects=False)).status == 302
    account = int(str((await _account(victim))["id"]))
    await pool.execute("UPDATE accounts SET role = 'admin' WHERE id = $1", account)
    victim.session.cookie_jar.clear()
    return account


async def test_a_shared_link_url_then_a_sign_in_hands_nothing_to_the_attacker(
    two_browsers: tuple[SsoPanel, Client, Client], pg_pool: asyncpg.Pool
) -> None:
    built, victim, attacker = two_browsers
    victim_account = await _victim_admin(built, victim, pg_pool)
    attacker_account, code = await built.issue_link(pg_pool, "telegram", "t-666", "Mallory")
    await sign_in(attacker, attacker_account)
    assert (await victim.get(f"/link/{code}")).status == 200  # the victim opens the URL the attacker sent
    # later, the victim signs in from the home page
    assert (await victim.get(await sso_callback(victim), allow_redirects=False)).status == 302
    seen = await _account(victim)
    assert (seen["id"], seen["role"], seen["identities"]) == (victim_account, "admin", [])
    assert await identity_owner(pg_pool, "telegram", "t-666") == attacker_account
    for expired_access in (False, True):  # the attacker's access token, then its refresh token (15 min later)
        if expired_access:
            drop_cookie(attacker, "evt_access")
        assert (await _account(attacker))["id"] == attacker_account
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", attacker_account) == "user"


async def _signed_out(client: Client) -> None:
    """The browser's session is gone: its access token, then its refresh token, give no session."""
    assert (await client.get("/api/v1/account")).status == 401
    drop_cookie(client, "evt_access")
    assert (await client.get("/api/v1/account")).status == 401


async def test_a_confirmed_link_merges_the_chat_account_ends_its_sessions_and_raises_no_role(
    two_browsers: tuple[SsoPanel, Client, Client], pg_pool: asyncpg.Pool
) -> None:
    built, browser, chat_users_browser = two_browsers
    account = await create_account(pg_pool)
    await sign_in(browser, account)
    chat_account, code = await built.issue_link(pg_pool, "telegram", "t-700", "Tom")
    await pg_pool.execute("UPDATE accounts SET role = 'admin' WHERE id = $1", chat_account)
    await sign_in(chat_users_browser, chat_account)  # the chat account's own panel session
    assert (await _account(chat_users_browser))["id"] == chat_account
    assert (await confirm_link(browser, code)).status == 303
    seen = await _account(browser)
    assert (seen["id"], seen["role"]) == (account, "user")  # the admin role of the merged account is not carried over
    assert await identity_owner(pg_pool, "telegram", "t-700") == account
    assert await pg_pool.fetchval("SELECT count(*) FROM web_session_families WHERE account_id = $1", account) == 1
    await _signed_out(chat_users_browser)  # the merged-away account's sessions ended, none moved over


async def test_a_sign_in_merging_an_admin_browser_account_raises_no_role(
    two_browsers: tuple[SsoPanel, Client, Client], pg_pool: asyncpg.Pool
) -> None:
    built, browser, second_browser = two_browsers
    holder = await _victim_admin(built, browser, pg_pool)
    await pg_pool.execute("UPDATE accounts SET role = 'user' WHERE id = $1", holder)
    admin = await create_account(pg_pool, role="admin")
    await sign_in(browser, admin)
    await sign_in(second_browser, admin)
    assert (await browser.get(await sso_callback(browser), allow_redirects=False)).status == 302
    seen = await _account(browser)
    assert (seen["id"], seen["role"]) == (holder, "user")  # the character's account survives with its own role
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts WHERE id = $1", admin) == 0
    await _signed_out(second_browser)


async def test_the_page_and_refused_posts_change_nothing(
    two_browsers: tuple[SsoPanel, Client, Client], pg_pool: asyncpg.Pool
) -> None:
    built, browser, anonymous = two_browsers
    account = await create_account(pg_pool)
    await sign_in(browser, account)
    chat_account, code = await built.issue_link(pg_pool, "telegram", "t-800", "Sam")
    for _ in range(2):
        assert (await browser.get(f"/link/{code}")).status == 200
        assert (await anonymous.get(f"/link/{code}")).status == 200
    no_token = await browser.post(f"/link/{code}", data={}, allow_redirects=False)
    assert no_token.status == 403
    forged = await browser.post(f"/link/{code}", data={"csrf_token": "x" * 40}, allow_redirects=False)
    assert forged.status == 403
    anonymous_token = csrf_token(derive_key(TEST_KEY, "csrf"), "anon:" + str(cookie(anonymous, "evt_browser")))
    signed_out = await anonymous.post(f"/link/{code}", data={"csrf_token": anonymous_token}, allow_redirects=False)
    assert signed_out.status == 401
    assert await identity_owner(pg_pool, "telegram", "t-800") == chat_account
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts WHERE id = $1", chat_account) == 1
    assert await built.services.link_codes.peek(code) is not None  # still valid, once
    assert (await confirm_link(browser, code)).status == 303
    assert (await browser.get(f"/link/{code}")).status == 410
    again = await browser.post(f"/link/{code}", data={"csrf_token": await csrf_of(browser)}, allow_redirects=False)
    assert again.status == 410


async def test_an_error_on_a_link_page_logs_the_route_never_the_code(
    pg_pool: asyncpg.Pool,
    redis_client: aioredis.Redis,
    redis_prefix: str,
    free_tcp_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with SsoFake() as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        unreachable = aioredis.Redis(host="127.0.0.1", port=free_tcp_port, retry=Retry(NoBackoff(), 0))  # no server
        services = dataclasses.replace(built.services, link_codes=RedisLinkCodes(unreachable, RedisKeys(redis_prefix)))
        app = create_app(web_deps(pg_pool, redis_client, RedisKeys(redis_prefix), web_config(), sso=services))
        code = "Secret-Link-Code_" + "x" * 8
        runner, port = await start(app, "127.0.0.1", 0)  # served as in production (its access and error logs)
        try:
            with caplog.at_level(logging.DEBUG):
                async with aiohttp.ClientSession() as browser:
                    page = await browser.get(f"http://127.0.0.1:{port}/link/{code}")
                    posted = await browser.post(f"http://127.0.0.1:{port}/link/{code}", allow_redirects=False)
        finally:
            await runner.cleanup()
            await built.sso.close()
            await unreachable.aclose()
    assert page.status == 500 and posted.status == 403
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error in web request"]
    assert [getattr(r, "route", None) for r in logged] == ["/link/{code}"]
    for record in caplog.records:
        text = " ".join(str(value) for value in (record.getMessage(), record.exc_text, *vars(record).values()))
        assert code not in text and code not in logging.Formatter().format(record)
