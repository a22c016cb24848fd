"""ESI's throttles against a local server: error-limit gate, 420, 429, bucket pacing, wait cap."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from adapters.esi import EsiUnavailable
from tests.adapters.esi.conftest import MakeClient, Serve
from tests.adapters.esi.helpers import cache_headers, metric


def ok(**extra: str) -> web.Response:
    """A 200 that may be re-requested at once, with extra headers."""
    return web.json_response([], headers=cache_headers(expires_in=0) | extra)


async def test_error_budget_at_floor_holds_new_requests_until_reset(serve: Serve, make_client: MakeClient) -> None:
    arrivals: list[float] = []

    async def handler(request: web.Request) -> web.Response:
        arrivals.append(time.monotonic())
        if len(arrivals) == 1:
            return ok(**{"X-ESI-Error-Limit-Remain": "10", "X-ESI-Error-Limit-Reset": "1"})
        return ok()

    client = await make_client(await serve(handler), error_limit_floor=10)
    before = metric("esi_wait_seconds_total", reason="error_limit")
    await client.get("/markets/prices")
    await asyncio.gather(*(client.get("/markets/prices", {"n": n}) for n in range(3)))
    assert all(later - arrivals[0] >= 0.9 for later in arrivals[1:])
    assert metric("esi_wait_seconds_total", reason="error_limit") - before >= 3 * 0.9


async def test_420_closes_gate_until_reset_then_retries(serve: Serve, make_client: MakeClient) -> None:
    arrivals: list[float] = []

    async def handler(request: web.Request) -> web.Response:
        arrivals.append(time.monotonic())
        if len(arrivals) == 1:
            headers = {"X-ESI-Error-Limit-Remain": "0", "X-ESI-Error-Limit-Reset": "1"}
            return web.json_response(
                {"error": "This software has exceeded the error limit"}, status=420, headers=headers
            )
        return ok()

    client = await make_client(await serve(handler))
    before = metric("esi_retries_total", reason="error_limited")
    assert (await client.get("/markets/prices")).status == 200
    assert len(arrivals) == 2 and arrivals[1] - arrivals[0] >= 0.9
    assert metric("esi_retries_total", reason="error_limited") - before == 1


@pytest.mark.parametrize(("retry_after", "expected_wait"), [("1", 1.0), (None, 0.2)])
async def test_429_waits_retry_after_or_default(
    serve: Serve, make_client: MakeClient, retry_after: str | None, expected_wait: float
) -> None:
    arrivals: list[float] = []

    async def handler(request: web.Request) -> web.Response:
        arrivals.append(time.monotonic())
        if len(arrivals) == 1:
            headers = {"Retry-After": retry_after} if retry_after else {}
            return web.json_response({"error": "Too many requests"}, status=429, headers=headers)
        return ok()

    client = await make_client(await serve(handler), default_retry_after_s=0.2)
    assert (await client.get("/route/30000142/30002187")).status == 200
    assert arrivals[1] - arrivals[0] >= expected_wait - 0.05


async def test_wait_beyond_max_wait_raises_instead_of_sleeping(serve: Serve, make_client: MakeClient) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"error": "Too many requests"}, status=429, headers={"Retry-After": "3600"})

    client = await make_client(await serve(handler), max_wait_s=2.0)
    started = time.monotonic()
    with pytest.raises(EsiUnavailable, match=r"would have to wait 3600\.0s \(rate_limit\)"):
        await client.get("/markets/prices")
    assert time.monotonic() - started < 1.0


async def test_bucket_near_empty_spreads_requests(serve: Serve, make_client: MakeClient) -> None:
    arrivals: list[float] = []
    bucket = {"X-Ratelimit-Group": "market-order", "X-Ratelimit-Limit": "20/2s", "X-Ratelimit-Used": "2"}

    async def handler(request: web.Request) -> web.Response:
        arrivals.append(time.monotonic())
        return ok(**bucket, **{"X-Ratelimit-Remaining": "4"})

    client = await make_client(await serve(handler))
    await client.get("/markets/10000002/orders", {"order_type": "all"})
    await asyncio.gather(*(client.get("/markets/10000043/orders", {"order_type": "all", "n": n}) for n in range(3)))
    gaps = sorted(arrivals[1:])
    assert gaps[-1] - gaps[0] >= 2 * 0.2 - 0.05  # 2 s * 2 tokens / 20 tokens = 0.2 s apart
