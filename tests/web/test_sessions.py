"""Panel sessions over HTTP: transparent refresh rotation, reuse logs everyone out, logout, expiry, cookie flags."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import asyncpg
from aiohttp import web

from tests.web.helpers import cookie, create_account, csrf_of, drop_cookie, sign_in
from web.keys import SESSIONS
from web.session_model import Session

ACCESS, REFRESH = "evt_access", "evt_refresh"
_FAMILY_TOKENS = "SELECT count(*) FROM web_refresh_tokens WHERE family_id = $1::uuid"


async def _family_revoked(pool: asyncpg.Pool, family_id: str) -> bool:
    return bool(
        await pool.fetchval("SELECT revoked_at IS NOT NULL FROM web_session_families WHERE id = $1::uuid", family_id)
    )


async def _get_with_refresh(client, refresh: str | None) -> aiohttp.ClientResponse:
    """GET /api/v1/account from a separate browser holding only `refresh` (no access token)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as other:
        response = await other.get(client.make_url("/api/v1/account"), headers={"Cookie": f"{REFRESH}={refresh}"})
        await response.read()
        return response


async def test_signed_in_user_sees_the_account_and_anonymous_gets_401(client, pg_pool):
    account = await create_account(pg_pool, identities=(("discord", "42", "Pilot"),))
    anonymous = await client.get("/api/v1/account")
    assert anonymous.status == 401
    assert (await anonymous.json())["error"]["code"] == "unauthenticated"
    await sign_in(client, account)
    response = await client.get("/api/v1/account")
    body = await response.json()
    assert (body["id"], body["role"], body["identities"][0]["display_name"]) == (account, "user", "Pilot")


async def test_missing_access_token_rotates_the_refresh_token_transparently(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    first = cookie(client, REFRESH)
    drop_cookie(client, ACCESS)
    response = await client.get("/account")
    assert response.status == 200
    second = cookie(client, REFRESH)
    assert second and second != first and cookie(client, ACCESS)
    used = await pg_pool.fetchval(
        "SELECT count(*) FROM web_refresh_tokens WHERE used_at IS NOT NULL AND family_id = $1::uuid", session.family_id
    )
    assert used == 1
    assert (await client.get("/account")).status == 200  # the new access token works without another rotation
    drop_cookie(client, ACCESS)
    assert (await client.get("/favicon.ico")).status == 404  # an unrouted request does not spend the token
    assert cookie(client, REFRESH) == second
    assert await pg_pool.fetchval(_FAMILY_TOKENS, session.family_id) == 2


async def test_expired_or_forged_access_token_falls_back_to_the_refresh_token(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    service = client.app[SESSIONS]
    stale = service.encode_access(session, issued_at=time.time() - 3600)
    assert service.decode_access(stale) is None
    forged = service.encode_access(Session(account, "admin", session.family_id)) + "x"
    assert service.decode_access(forged) is None
    for bad in (stale, forged):
        before = cookie(client, REFRESH)
        client.session.cookie_jar.update_cookies({ACCESS: bad}, response_url=client.make_url("/"))
        assert (await client.get("/api/v1/account")).status == 200
        assert cookie(client, REFRESH) != before


async def test_reusing_a_used_refresh_token_revokes_the_family_and_signs_everyone_out(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    stolen = cookie(client, REFRESH)
    drop_cookie(client, ACCESS)
    assert (await client.get("/api/v1/account")).status == 200  # the legitimate browser rotates first
    replay = await _get_with_refresh(client, stolen)
    assert replay.status == 401
    assert any(m.key == REFRESH and m.value == "" for m in replay.cookies.values())  # told to forget its cookies
    assert await _family_revoked(pg_pool, session.family_id)
    response = await client.get("/api/v1/account")  # its fresh access token is denied at once, not in 15 min
    assert response.status == 401
    assert not cookie(client, REFRESH)


async def test_concurrent_refresh_has_one_winner(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    token = cookie(client, REFRESH)
    responses = await asyncio.gather(*(_get_with_refresh(client, token) for _ in range(4)))
    statuses = sorted(r.status for r in responses)
    assert statuses == [200, 401, 401, 401]  # one winner; the losers present a used token: reuse
    winners = [r for r in responses if r.status == 200]
    assert all(r.cookies[REFRESH].value for r in winners)
    assert await pg_pool.fetchval(_FAMILY_TOKENS, session.family_id) == 2
    assert await _family_revoked(pg_pool, session.family_id)


async def test_logout_revokes_the_family_and_clears_cookies(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    access, refresh = cookie(client, ACCESS), cookie(client, REFRESH)
    response = await client.post("/auth/logout", data={"csrf_token": await csrf_of(client)}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    assert response.cookies[ACCESS].value == "" and response.cookies[REFRESH].value == ""
    assert await _family_revoked(pg_pool, session.family_id)
    assert (await client.get("/api/v1/account")).status == 401
    headers = {"Cookie": f"{ACCESS}={access}"}  # a copy of the old access token is refused too
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as other:
        assert (await other.get(client.make_url("/api/v1/account"), headers=headers)).status == 401
    assert (await _get_with_refresh(client, refresh)).status == 401


async def test_session_cookies_are_httponly_secure_samesite_lax_with_host_prefix(make_client, pg_pool):
    client = await make_client(cookie_secure=True)
    account = await create_account(pg_pool)
    response = web.Response()
    await client.app[SESSIONS].login(response, account)
    for name in ("__Host-evt_access", "__Host-evt_refresh"):
        morsel = response.cookies[name]
        assert morsel["httponly"] and morsel["secure"] and morsel["samesite"] == "Lax" and morsel["path"] == "/"
    assert int(response.cookies["__Host-evt_access"]["max-age"]) == 900
    page = await client.get("/")
    browser = page.cookies["__Host-evt_browser"]
    assert browser["httponly"] and browser["secure"]


async def test_configured_admin_is_promoted_at_sign_in(make_client, pg_pool):
    account = await create_account(pg_pool)
    client = await make_client(admin_account_ids=(account,))
    session = await sign_in(client, account)
    assert session.role == "admin"
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", account) == "admin"
