"""Fixtures for ESI client tests: a local aiohttp server per test and a client factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest_asyncio
from aiohttp import web

from adapters.esi import EsiClient
from tests.adapters.esi.helpers import COMPATIBILITY_DATE, USER_AGENT

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Serve = Callable[[Handler], Awaitable[str]]
MakeClient = Callable[..., Awaitable[EsiClient]]


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start a local server on 127.0.0.1 (port 0) answering every path with `handler`; returns its URL."""
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest_asyncio.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """Build started EsiClients with test-sized waits; all are closed afterwards."""
    clients: list[EsiClient] = []

    async def build(base_url: str, **overrides: Any) -> EsiClient:
        settings: dict[str, Any] = {
            "user_agent": USER_AGENT,
            "compatibility_date": COMPATIBILITY_DATE,
            "timeout_s": 2.0,
            "max_attempts": 4,
            "backoff_base_s": 0.01,
            "backoff_cap_s": 0.05,
            "default_retry_after_s": 0.2,
            "max_wait_s": 5.0,
        }
        settings.update(overrides)
        client = EsiClient(base_url, **settings)
        await client.start()
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.close()
