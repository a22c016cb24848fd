"""Panel sessions over HTTP: rotation with a grace window, late reuse logs everyone out, logout (here and
everywhere) that a Redis flush cannot undo, expiry, cookie flags."""

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
    await _backdate_use(pg_pool, session.family_id)
    replay = await _get_with_refresh(client, stolen)
    assert replay.status == 401
    assert any(m.key == REFRESH and m.value == "" for m in replay.cookies.values())  # told to forget its cookies
    assert await _family_revoked(pg_pool, session.family_id)
    response = await client.get("/api/v1/account")  # its fresh access token is denied at once, not in 15 min
    assert response.status == 401
    assert not cookie(client, REFRESH)


async def _backdate_use(pool: asyncpg.Pool, family_id: str) -> None:
    """Move the family's token uses a minute into the past: beyond the reuse grace window."""
    await pool.execute(
        "UPDATE web_refresh_tokens SET used_at = used_at - interval '1 minute' WHERE family_id = $1::uuid", family_id
    )


async def test_concurrent_refresh_within_the_grace_window_all_get_a_session(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    token = cookie(client, REFRESH)
    responses = await asyncio.gather(*(_get_with_refresh(client, token) for _ in range(4)))
    assert sorted(r.status for r in responses) == [200, 200, 200, 200]  # four tabs at once: no one is logged out
    successors = {r.cookies[REFRESH].value for r in responses}
    assert len(successors) == 4 and token not in successors
    assert await pg_pool.fetchval(_FAMILY_TOKENS, session.family_id) == 5
    assert not await _family_revoked(pg_pool, session.family_id)


async def test_a_refresh_token_presented_twice_in_a_row_is_graced_then_later_reuse_revokes(client, pg_pool):
    account = await create_account(pg_pool)
    session = await sign_in(client, account)
    token = cookie(client, REFRESH)
    first, second = await _get_with_refresh(client, token), await _get_with_refresh(client, token)
    assert (first.status, second.status) == (200, 200)  # a second tab a moment later still gets in
    assert not await _family_revoked(pg_pool, session.family_id)
    successor = second.cookies[REFRESH].value
    await _backdate_use(pg_pool, session.family_id)
    assert (await _get_with_refresh(client, token)).status == 401  # a replay after the window: theft
    assert await _family_revoked(pg_pool, session.family_id)
    assert (await _get_with_refresh(client, successor)).status == 401  # the whole family is out


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


async def test_a_redis_flush_does_not_revive_a_signed_out_access_token(client, pg_pool, redis_client, redis_prefix):
    account = await create_account(pg_pool)
    await sign_in(client, account)
    access = cookie(client, ACCESS)
    await client.post("/auth/logout", data={"csrf_token": await csrf_of(client)}, allow_redirects=False)
    keys = [key async for key in redis_client.scan_iter(match=redis_prefix + "*")]
    assert keys  # the denial was cached in Redis...
    await redis_client.delete(*keys)  # ...and is gone, as after a restart without persistence
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as other:
        response = await other.get(client.make_url("/api/v1/account"), headers={"Cookie": f"{ACCESS}={access}"})
        assert response.status == 401


async def test_sign_out_everywhere_revokes_every_browser_of_the_account_only(make_client, pg_pool):
    account, other_account = await create_account(pg_pool), await create_account(pg_pool)
    laptop, phone, someone_else = await make_client(), await make_client(), await make_client()
    laptop_session = await sign_in(laptop, account)
    phone_session = await sign_in(phone, account)
    await sign_in(someone_else, other_account)
    phone_access, phone_refresh = cookie(phone, ACCESS), cookie(phone, REFRESH)
    page = await (await laptop.get("/account")).text()
    assert 'action="/auth/logout-everywhere"' in page
    refused = await laptop.post("/auth/logout-everywhere", data={}, allow_redirects=False)
    assert refused.status == 403 and not await _family_revoked(pg_pool, phone_session.family_id)  # CSRF
    response = await laptop.post(
        "/auth/logout-everywhere", data={"csrf_token": await csrf_of(laptop)}, allow_redirects=False
    )
    assert response.status == 303 and response.cookies[ACCESS].value == ""
    for family in (laptop_session.family_id, phone_session.family_id):
        assert await _family_revoked(pg_pool, family)
    assert (await laptop.get("/api/v1/account")).status == 401
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as other:
        headers = {"Cookie": f"{ACCESS}={phone_access}"}
        assert (await other.get(phone.make_url("/api/v1/account"), headers=headers)).status == 401
    assert (await _get_with_refresh(phone, phone_refresh)).status == 401
    assert (await someone_else.get("/api/v1/account")).status == 200


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


async def _give_character(pool: asyncpg.Pool, account_id: int, character_id: int) -> None:
    await pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, 'Pilot', 'owner')",
        character_id,
        account_id,
    )


async def test_the_account_of_a_configured_admin_character_is_promoted_at_sign_in(make_client, pg_pool):
    admin_character = 95000001
    early, holder, plain = [await create_account(pg_pool) for _ in range(3)]
    await _give_character(pg_pool, early, 95000002)
    client = await make_client(admin_character_ids=(admin_character, 95000002))  # start-up promotes `early`
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", early) == "admin"
    await _give_character(pg_pool, holder, admin_character)  # linked by SSO while the panel runs
    session = await sign_in(client, holder)
    assert session.role == "admin"
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", holder) == "admin"
    assert (await sign_in(client, plain)).role == "user"  # an account id is no longer an admin credential
