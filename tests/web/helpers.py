"""Test helpers for the panel: accounts, a signed-in client made through the session store (no HTTP backdoor)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from web.config import WebConfig
from web.keys import SESSIONS
from web.session_model import Session

TEST_KEY = b"test-signing-key-0123456789-abcdefghijklmnop"


def web_config(**overrides: Any) -> WebConfig:
    """A development config for tests: plain http cookies, generous rate limits, SSO off."""
    base = WebConfig(
        signing_key=TEST_KEY,
        public_url="http://127.0.0.1",
        cookie_secure=False,
        ip_rate_per_minute=60_000,
        ip_rate_burst=10_000,
        user_rate_per_minute=60_000,
        user_rate_burst=10_000,
    )
    return replace(base, **overrides)


async def create_account(
    pool: asyncpg.Pool, role: str = "user", identities: tuple[tuple[str, str, str], ...] = ()
) -> int:
    """A new account with `role` and (platform, external id, display name) identities."""
    account_id = int(await pool.fetchval("INSERT INTO accounts (role) VALUES ($1) RETURNING id", role))
    for platform, external_id, name in identities:
        await pool.execute(
            "INSERT INTO account_identities (platform, external_id, account_id, display_name) VALUES ($1, $2, $3, $4)",
            platform,
            external_id,
            account_id,
            name,
        )
    return account_id


async def sign_in(client: TestClient[web.Request, web.Application], account_id: int) -> Session:
    """Sign `account_id` in on `client` by issuing a session through the SessionService and storing its cookies."""
    response = web.Response()
    session: Session = await client.app[SESSIONS].login(response, account_id)
    client.session.cookie_jar.update_cookies(
        {name: morsel.value for name, morsel in response.cookies.items()}, response_url=client.make_url("/")
    )
    return session


def cookie(client: TestClient[web.Request, web.Application], name: str) -> str | None:
    """The value of one cookie in the client's jar."""
    for morsel in client.session.cookie_jar:
        if morsel.key == name:
            return morsel.value
    return None


def drop_cookie(client: TestClient[web.Request, web.Application], name: str) -> None:
    """Forget one cookie (e.g. the access token, to force a refresh)."""
    kept = {m.key: m.value for m in client.session.cookie_jar if m.key != name}
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies(kept, response_url=client.make_url("/"))


async def csrf_of(client: TestClient[web.Request, web.Application]) -> str:
    """The signed-in client's CSRF token, as the API hands it out."""
    response = await client.get("/api/v1/account")
    assert response.status == 200, await response.text()
    return str((await response.json())["csrf_token"])
