"""/link with two browsers (cookie jars): a shared link URL hands no account over; linking needs a confirmed POST."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.helpers import drop_cookie, sign_in
from tests.web.test_sso_flow import SsoPanel, sso_callback, start_panel

Client = TestClient[web.Request, web.Application]
_ids = itertools.count(93000001)


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


async def _owner(pool: asyncpg.Pool, platform: str, external_id: str) -> int | None:
    return await pool.fetchval(
        "SELECT account_id FROM account_identities WHERE platform = $1 AND external_id = $2", platform, external_id
    )


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
    assert await _owner(pg_pool, "telegram", "t-666") == attacker_account
    for expired_access in (False, True):  # the attacker's access token, then its refresh token (15 min later)
        if expired_access:
            drop_cookie(attacker, "evt_access")
        assert (await _account(attacker))["id"] == attacker_account
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", attacker_account) == "user"
