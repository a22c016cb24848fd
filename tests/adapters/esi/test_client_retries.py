"""Retries of the request path: 5xx, timeouts, connection errors, 4xx mapping, once-per-streak logs."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from aiohttp import web

from adapters.esi import EsiClientError, EsiNotFound, EsiUnavailable
from tests.adapters.esi.conftest import Handler, MakeClient, Serve
from tests.adapters.esi.helpers import cache_headers, metric


def failing_then_ok(statuses: list[int]) -> tuple[list[int], Handler]:
    """A handler answering the given statuses in turn, then 200; and the list of statuses it sent."""
    sent: list[int] = []

    async def handler(request: web.Request) -> web.Response:
        status = statuses[len(sent)] if len(sent) < len(statuses) else 200
        sent.append(status)
        if status == 200:
            return web.json_response([1, 2, 3], headers=cache_headers(expires_in=0))
        return web.json_response({"error": f"status {status}"}, status=status)

    return sent, handler


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520])
async def test_5xx_is_retried_until_success(serve: Serve, make_client: MakeClient, status: int) -> None:
    sent, handler = failing_then_ok([status, status])
    client = await make_client(await serve(handler))
    before = metric("esi_retries_total", reason="server_error")
    response = await client.get("/markets/prices")
    assert response.json() == [1, 2, 3]
    assert sent == [status, status, 200]
    assert metric("esi_retries_total", reason="server_error") - before == 2


async def test_5xx_gives_up_after_max_attempts(serve: Serve, make_client: MakeClient) -> None:
    sent, handler = failing_then_ok([503] * 10)
    client = await make_client(await serve(handler), max_attempts=3)
    with pytest.raises(EsiUnavailable) as raised:
        await client.get("/markets/10000002/orders", {"order_type": "all"})
    assert len(sent) == 3
    assert raised.value.attempts == 3
    assert str(raised.value) == (
        "ESI GET /markets/10000002/orders?order_type=all unavailable after 3 attempt(s): HTTP 503"
    )


async def test_backoff_is_jittered_and_capped(serve: Serve, make_client: MakeClient) -> None:
    _, handler = failing_then_ok([502] * 3)
    client = await make_client(await serve(handler), backoff_base_s=0.02, backoff_cap_s=0.03)
    before = metric("esi_wait_seconds_total", reason="backoff")
    await client.get("/markets/prices")
    waited = metric("esi_wait_seconds_total", reason="backoff") - before
    assert 0 <= waited <= 0.02 + 0.03 + 0.03


async def test_timeouts_are_retried(serve: Serve, make_client: MakeClient) -> None:
    calls = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(1.0)
        return web.json_response([], headers=cache_headers(expires_in=0))

    client = await make_client(await serve(handler), timeout_s=0.2)
    before = metric("esi_retries_total", reason="timeout")
    assert (await client.get("/markets/prices")).status == 200
    assert calls == 2
    assert metric("esi_retries_total", reason="timeout") - before == 1


async def test_connection_errors_end_in_unavailable(make_client: MakeClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = await make_client(f"http://127.0.0.1:{port}", max_attempts=2)
    with pytest.raises(EsiUnavailable, match=r"after 2 attempt\(s\): connection failed"):
        await client.get("/status")


@pytest.mark.parametrize(("status", "error_type"), [(400, EsiClientError), (403, EsiClientError), (404, EsiNotFound)])
async def test_4xx_is_mapped_and_not_retried(
    serve: Serve, make_client: MakeClient, status: int, error_type: type[EsiClientError]
) -> None:
    sent, handler = failing_then_ok([status])
    client = await make_client(await serve(handler))
    with pytest.raises(error_type) as raised:
        await client.get("/markets/99/history", {"type_id": 34})
    assert sent == [status]
    assert raised.value.status == status
    assert raised.value.error == f"status {status}"
    assert str(raised.value) == f"ESI GET /markets/99/history?type_id=34 answered HTTP {status}: status {status}"


async def test_failure_streak_logged_once_and_recovery_once(
    serve: Serve, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    _, handler = failing_then_ok([503, 503, 503])
    client = await make_client(await serve(handler))
    with caplog.at_level(logging.INFO, logger="adapters.esi"):
        await client.get("/markets/prices")
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert len(messages) == 2
    assert messages[0].startswith("ESI failing: GET /markets/prices: HTTP 503")
    assert messages[1] == "ESI recovered after 3 failed attempt(s)"
