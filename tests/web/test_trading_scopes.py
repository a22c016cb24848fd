"""Scopes on consent: a sign-in asks EVE for none, 'enable trading features' for the trading scopes, and a later
plain sign-in keeps the richer token (real Postgres/Redis, the SSO fake, the real SsoClient)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp.test_utils import TestClient, TestServer

from core.accounts.sso import TRADING_SCOPES
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.test_sso_flow import Client, SsoPanel, character_row, sso_callback, start_panel


@pytest_asyncio.fixture(loop_scope="session")
async def trading_panel(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> AsyncIterator[tuple[SsoPanel, Client]]:
    """The SSO-enabled panel (its own fake character, 91500001) and one browser."""
    async with SsoFake(characters=(FakeCharacter(91500001, "Scoped Trader", "owner-91500001"),)) as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        client: Client = TestClient(TestServer(built.app))
        await client.start_server()
        built.bind_callback(str(client.make_url("/")))
        yield built, client
        await client.close()
        await built.sso.close()


async def _scope_asked(client: Client, path: str) -> list[str]:
    login = await client.get(path, allow_redirects=False)
    return parse_qs(urlsplit(login.headers["Location"]).query).get("scope", [""])[0].split()


async def test_sign_in_asks_for_nothing_and_trading_is_granted_on_consent(
    trading_panel: tuple[SsoPanel, Client], pg_pool: asyncpg.Pool
) -> None:
    built, client = trading_panel
    assert await _scope_asked(client, "/auth/login") == []
    assert await _scope_asked(client, "/auth/login?scopes=trading") == list(TRADING_SCOPES)

    assert (await client.get(await sso_callback(client))).status == 200
    row = await character_row(pg_pool, built.character_id)
    assert row is not None and list(row["scopes"]) == []
    page = await (await client.get("/account")).text()
    assert "not granted: your assets" in page and 'href="/auth/login?scopes=trading"' in page

    assert (await client.get(await sso_callback(client, "/auth/login?scopes=trading"))).status == 200
    row = await character_row(pg_pool, built.character_id)
    assert row is not None and tuple(row["scopes"]) == TRADING_SCOPES
    page = await (await client.get("/account")).text()
    assert "granted: your assets" in page and "not granted" not in page and "scopes=trading" not in page

    trading_token = row["refresh_token_enc"]
    assert (await client.get(await sso_callback(client))).status == 200  # a later plain sign-in
    row = await character_row(pg_pool, built.character_id)
    assert row is not None and tuple(row["scopes"]) == TRADING_SCOPES and row["refresh_token_enc"] == trading_token
