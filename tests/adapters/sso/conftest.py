"""Fixtures for the SSO client: a started EVE SSO fake, client factory and a helper driving the browser hops."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest_asyncio

from adapters.sso import SsoClient
from core.accounts.sso import TRADING_SCOPES, IssuedState, StateSigner, code_challenge
from fakes.sso import SsoFake

STATE_SECRET = b"s" * 32
MakeClient = Callable[..., Awaitable[SsoClient]]


@dataclass(frozen=True)
class Callback:
    """What the browser brings back to our callback URL."""

    code: str
    state: str
    issued: IssuedState


@pytest_asyncio.fixture
async def sso_fake() -> AsyncIterator[SsoFake]:
    """A started fake with the default characters and a confidential client."""
    async with SsoFake() as fake:
        yield fake


@pytest_asyncio.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """Build started SsoClients for a fake (same client id, secret and callback); all closed afterwards."""
    clients: list[SsoClient] = []

    async def build(fake: SsoFake, **overrides: Any) -> SsoClient:
        settings: dict[str, Any] = {
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            "callback_url": fake.redirect_uri,
            "timeout_s": 2.0,
        }
        settings.update(overrides)
        client = SsoClient(fake.base_url, **settings)
        await client.start()
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.close()


@pytest_asyncio.fixture
async def client(sso_fake: SsoFake, make_client: MakeClient) -> SsoClient:
    """A client of the default fake."""
    return await make_client(sso_fake)


async def browse_login(client: SsoClient, session_id: str = "browser-session-1", signer: StateSigner | None = None):
    """Issue a state, follow the authorize URL like a browser (no redirect following) and read the callback."""
    issued = (signer or StateSigner(STATE_SECRET)).issue(session_id)
    url = await client.authorize_url(issued.value, code_challenge(issued.code_verifier), TRADING_SCOPES)
    async with aiohttp.ClientSession() as browser, browser.get(url, allow_redirects=False) as response:
        assert response.status == 302, await response.text()
        location = response.headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(client.callback_url + "?")
    return Callback(query["code"][0], query["state"][0], issued)
