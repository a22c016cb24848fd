"""EVE sign-in and /link through the panel: real Postgres/Redis, the SSO fake, the real SsoClient (aiohttp client)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.crypto import TokenCipher
from adapters.postgres.characters import PgCharacterStore
from adapters.redis.keys import RedisKeys
from adapters.sso import SsoClient
from core.accounts.linking import LinkRequest
from evetrader.bootstrap.web import sso_web_services, web_deps
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.helpers import cookie, create_account, web_config
from web.app import create_app
from web.sso import SsoWebServices

Client = TestClient[web.Request, web.Application]
_ids = itertools.count(91000001)


@dataclass
class SsoPanel:
    """The panel app with SSO mounted, its services, the fake and the character this test logs in as."""

    app: web.Application
    services: SsoWebServices
    fake: SsoFake
    sso: SsoClient
    cipher: TokenCipher
    character_id: int

    def bind_callback(self, base_url: str) -> None:
        """Point the SSO application's callback (client and fake) at the started panel."""
        self.sso.callback_url = self.fake.redirect_uri = base_url.rstrip("/") + "/auth/callback"

    async def issue_link(self, pool: asyncpg.Pool, platform: str, external_id: str, name: str) -> tuple[int, str]:
        """A chat account with one identity and a /link code for it."""
        account = await create_account(pool, identities=((platform, external_id, name),))
        return account, await self.services.link_codes.issue(LinkRequest(platform, external_id, account, name))


async def start_panel(
    pool: asyncpg.Pool, redis: aioredis.Redis, prefix: str, fake: SsoFake, public_url: str = "http://127.0.0.1"
) -> SsoPanel:
    """Build the app with SsoWebServices over a started fake (the callback URL is bound once the server listens)."""
    sso = SsoClient(fake.base_url, fake.client_id, fake.client_secret, fake.redirect_uri, timeout_s=2.0)
    await sso.start()
    cipher = TokenCipher.from_setting(TokenCipher.new_key_entry("k1"))
    config = web_config(public_url=public_url)
    keys = RedisKeys(prefix)
    services = sso_web_services(sso, PgCharacterStore(pool, cipher), redis, keys, config.signing_key)
    app = create_app(web_deps(pool, redis, keys, config, sso=services))
    return SsoPanel(app, services, fake, sso, cipher, next(iter(fake.characters)))


@pytest_asyncio.fixture(loop_scope="session")
async def sso_fake() -> AsyncIterator[SsoFake]:
    """A started SSO fake whose one character is unique to this test (the module shares a database)."""
    character_id = next(_ids)
    async with SsoFake(
        characters=(FakeCharacter(character_id, f"Trader {character_id}", f"owner-{character_id}"),)
    ) as fake:
        yield fake


@pytest_asyncio.fixture(loop_scope="session")
async def panel(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str, sso_fake: SsoFake
) -> AsyncIterator[tuple[SsoPanel, Client]]:
    """The SSO-enabled panel on a test server and a client (one browser) of it."""
    built = await start_panel(pg_pool, redis_client, redis_prefix, sso_fake)
    client: Client = TestClient(TestServer(built.app))
    await client.start_server()
    built.bind_callback(str(client.make_url("/")))
    yield built, client
    await client.close()
    await built.sso.close()


async def sso_callback(client: Client, login_path: str = "/auth/login") -> str:
    """GET /auth/login, follow the fake's auto-consent like a browser; the callback path+query to bring back."""
    login = await client.get(login_path, allow_redirects=False)
    assert login.status == 302, await login.text()
    async with aiohttp.ClientSession() as browser, browser.get(login.headers["Location"], allow_redirects=False) as r:
        assert r.status == 302, await r.text()
        location = urlsplit(r.headers["Location"])
    return f"{location.path}?{location.query}"


async def confirm_link(client: Client, code: str) -> aiohttp.ClientResponse:
    """Open the /link page signed in and press its button (a form POST with the page's CSRF token)."""
    page = await client.get(f"/link/{code}")
    assert page.status == 200, await page.text()
    token = (await page.text()).split('name="csrf_token" value="')[1].split('"')[0]
    return await client.post(f"/link/{code}", data={"csrf_token": token}, allow_redirects=False)


async def identity_owner(pool: asyncpg.Pool, platform: str, external_id: str) -> int | None:
    """The account a chat identity belongs to."""
    owner = await pool.fetchval(
        "SELECT account_id FROM account_identities WHERE platform = $1 AND external_id = $2", platform, external_id
    )
    return int(owner) if owner is not None else None


async def character_row(pool: asyncpg.Pool, character_id: int) -> asyncpg.Record | None:
    """The stored character row."""
    return await pool.fetchrow("SELECT * FROM characters WHERE character_id = $1", character_id)


async def test_link_page_signs_in_comes_back_and_links_on_confirm(
    panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool
) -> None:
    built, client = panel
    chat_account, code = await built.issue_link(pg_pool, "discord", "d-100", "Joe")
    page = await client.get(f"/link/{code}")
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    text = await page.text()
    assert "Link Discord user Joe to the EVE account you sign in with" in text
    assert f'href="/auth/login?next=/link/{code}"' in text and "csrf_token" not in text.split("<main")[-1]
    assert not any("link" in c.lower() for c in page.headers.getall("Set-Cookie", []))  # no link cookie
    login = await client.get(f"/auth/login?next=/link/{code}", allow_redirects=False)
    assert code not in login.headers["Location"] and "d-100" not in login.headers["Location"]
    done = await client.get(await sso_callback(client, f"/auth/login?next=/link/{code}"), allow_redirects=False)
    assert done.status == 302 and done.headers["Location"] == f"/link/{code}"  # back to the page, nothing linked
    assert cookie(client, "evt_access") and cookie(client, "evt_refresh")
    row = await character_row(pg_pool, built.character_id)
    assert row is not None and row["token_status"] == "ok"
    account = int(row["account_id"])
    assert account != chat_account and await identity_owner(pg_pool, "discord", "d-100") == chat_account
    assert await built.services.link_codes.peek(code) is not None  # neither the page nor the sign-in used it
    (refresh,) = built.fake.ledger.refresh_tokens
    assert refresh not in row["refresh_token_enc"]
    assert built.cipher.decrypt(row["refresh_token_enc"], aad=f"character:{built.character_id}".encode()) == refresh
    signed_in = await (await client.get(f"/link/{code}")).text()
    assert "Link Discord user Joe to the account you are signed in as" in signed_in
    assert f"Trader {built.character_id}" in signed_in
    linked = await confirm_link(client, code)
    assert linked.status == 303 and linked.headers["Location"] == "/account"
    assert await identity_owner(pg_pool, "discord", "d-100") == account
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts WHERE id = $1", chat_account) == 0  # merged in
    api = await (await client.get("/api/v1/account")).json()
    assert api["id"] == account and [i["display_name"] for i in api["identities"]] == ["Joe"]
    assert [c["character_id"] for c in api["characters"]] == [built.character_id]
    assert (await client.get(f"/link/{code}")).status == 410  # the code is used up


async def test_a_plain_sign_in_returns_to_the_account_page(panel: tuple[SsoPanel, Client]) -> None:
    built, client = panel
    for login in ("/auth/login", "/auth/login?next=https://evil.example/", "/auth/login?next=//evil.example/x"):
        done = await client.get(await sso_callback(client, login), allow_redirects=False)
        assert done.status == 302 and done.headers["Location"] == f"/account?linked={built.character_id}"


async def test_second_platform_joins_the_same_account(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    _, first = await built.issue_link(pg_pool, "discord", "d-200", "Ann")
    assert (await client.get(await sso_callback(client), allow_redirects=False)).status == 302
    assert (await confirm_link(client, first)).status == 303
    client.session.cookie_jar.clear()  # another browser, signed out
    other, second = await built.issue_link(pg_pool, "telegram", "t-200", "Ann TG")
    assert (await client.get(await sso_callback(client, f"/auth/login?next=/link/{second}"))).status == 200
    assert (await confirm_link(client, second)).status == 303
    identities = await pg_pool.fetch(
        "SELECT platform, account_id FROM account_identities WHERE external_id LIKE '_-200'"
    )
    account = await pg_pool.fetchval("SELECT account_id FROM characters WHERE character_id = $1", built.character_id)
    assert {r["platform"]: r["account_id"] for r in identities} == {"discord": account, "telegram": account}
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts WHERE id = $1", other) == 0  # merged in


async def _assert_nothing_written(pool: asyncpg.Pool, built: SsoPanel, client: Client) -> None:
    assert await character_row(pool, built.character_id) is None
    assert cookie(client, "evt_access") is None


@pytest.mark.parametrize("tamper", ["signature", "nonce"])
async def test_tampered_state_is_refused(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool, tamper: str) -> None:
    built, client = panel
    path = await sso_callback(client)
    state = path.split("state=")[1]
    parts = state.split(".")
    index = 3 if tamper == "signature" else 1
    parts[index] = ("A" if parts[index][0] != "A" else "B") + parts[index][1:]
    refused = await client.get(path.replace(state, ".".join(parts)), allow_redirects=False)
    assert refused.status == 400
    body = await refused.text()
    assert "expired or was already used" in body and "Traceback" not in body
    await _assert_nothing_written(pg_pool, built, client)


async def test_replayed_state_is_refused(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    path = await sso_callback(client)
    assert (await client.get(path, allow_redirects=False)).status == 302
    before = await character_row(pg_pool, built.character_id)
    families = await pg_pool.fetchval("SELECT count(*) FROM web_session_families")
    again = await client.get(path, allow_redirects=False)
    assert again.status == 400 and "expired or was already used" in await again.text()
    assert "evt_access=" not in " ".join(again.headers.getall("Set-Cookie", []))
    assert await character_row(pg_pool, built.character_id) == before
    assert await pg_pool.fetchval("SELECT count(*) FROM web_session_families") == families


async def test_state_from_another_browser_is_refused(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    path = await sso_callback(client)
    client.session.cookie_jar.clear()  # the callback arrives in a browser that never started this sign-in
    refused = await client.get(path, allow_redirects=False)
    assert refused.status == 400
    await _assert_nothing_written(pg_pool, built, client)


async def test_replayed_sso_code_is_refused(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    first = await sso_callback(client)
    second = await sso_callback(client)
    used_code = first.split("code=")[1].split("&")[0]
    fresh_code = second.split("code=")[1].split("&")[0]
    built.fake.ledger.codes.pop(used_code)  # as if the first callback had already been exchanged
    refused = await client.get(second.replace(fresh_code, used_code), allow_redirects=False)
    assert refused.status == 400 and "EVE refused this sign-in" in await refused.text()
    await _assert_nothing_written(pg_pool, built, client)


async def test_cancelled_and_unavailable(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    cancelled = await client.get("/auth/callback?error=access_denied&state=x")
    assert cancelled.status == 400 and "Sign-in cancelled." in await cancelled.text()
    path = await sso_callback(client)
    built.fake.fail_next(1, 503)
    down = await client.get(path, allow_redirects=False)
    assert down.status == 503 and "unreachable" in await down.text()
    await _assert_nothing_written(pg_pool, built, client)


async def test_expired_or_used_link_codes(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    unknown = await client.get("/link/" + "x" * 24)
    assert unknown.status == 410 and "run /link again" in await unknown.text()
    chat_account, code = await built.issue_link(pg_pool, "discord", "d-300", "Bo")
    assert (await client.get(await sso_callback(client), allow_redirects=False)).status == 302
    page = await client.get(f"/link/{code}")
    assert page.status == 200
    token = (await page.text()).split('name="csrf_token" value="')[1].split('"')[0]
    assert await built.services.link_codes.consume(code) is not None  # used meanwhile (another tab)
    stale = await client.post(f"/link/{code}", data={"csrf_token": token}, allow_redirects=False)
    assert stale.status == 410 and "run /link again" in await stale.text()
    assert await identity_owner(pg_pool, "discord", "d-300") == chat_account


async def test_unlink_needs_csrf_and_revokes_at_sso(panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool) -> None:
    built, client = panel
    assert (await client.get(await sso_callback(client), allow_redirects=False)).status == 302
    (refresh,) = built.fake.ledger.refresh_tokens
    url = f"/account/characters/{built.character_id}/unlink"
    assert (await client.post(url, data={}, allow_redirects=False)).status == 403
    assert await character_row(pg_pool, built.character_id) is not None
    page = await (await client.get("/account")).text()
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    done = await client.post(url, data={"csrf_token": token}, allow_redirects=False)
    assert done.status == 303 and done.headers["Location"] == "/account?unlinked=1"
    assert await character_row(pg_pool, built.character_id) is None
    revokes = [r for r in built.fake.requests if r.path == "/v2/oauth/revoke"]
    assert [r.form.get("token") for r in revokes] == [refresh] and refresh not in built.fake.ledger.refresh_tokens
    assert (await client.post(url, data={"csrf_token": token}, allow_redirects=False)).status == 404
