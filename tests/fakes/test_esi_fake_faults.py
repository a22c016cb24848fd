"""The ESI fake's switchable faults, error budget, token bucket, control API and standalone runner."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Mapping
from typing import Any

import aiohttp
import orjson
import pytest

from fakes.esi import EsiFake

from .conftest import Clock

ORDERS = "/markets/10000002/orders?order_type=all"


async def get(http: aiohttp.ClientSession, url: str, **kw: Any) -> tuple[int, Mapping[str, str], bytes]:
    """GET and return status, (case-insensitive) headers and the decoded body."""
    async with http.get(url, **kw) as resp:
        return resp.status, resp.headers.copy(), await resp.read()


async def test_server_errors_fire_count_times_on_matching_paths(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.server_errors(2, status=502, path=r"/orders")
    assert (await get(http, fake.base_url + "/markets/prices"))[0] == 200
    for _ in range(2):
        status, h, body = await get(http, fake.base_url + ORDERS)
        assert status == 502 and "error" in json.loads(body) and h["X-Ratelimit-Used"] == "0"
    status, h, _ = await get(http, fake.base_url + ORDERS)
    assert status == 200 and h["X-ESI-Error-Limit-Remain"] == "98"


async def test_fault_limited_to_a_page(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.server_errors(1, page=2)
    assert (await get(http, fake.base_url + ORDERS))[0] == 200
    assert (await get(http, fake.base_url + ORDERS + "&page=2"))[0] == 503
    assert (await get(http, fake.base_url + ORDERS + "&page=2"))[0] == 200


async def test_timeouts_hang(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.timeouts(1, delay_s=5)
    with pytest.raises(asyncio.TimeoutError):
        await get(http, fake.base_url + ORDERS, timeout=aiohttp.ClientTimeout(total=0.3))
    fake.faults.timeouts(1, delay_s=0.2)
    assert (await get(http, fake.base_url + ORDERS))[0] == 200


async def test_rate_limited(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.rate_limited(1, retry_after=3)
    fake.faults.rate_limited(1, retry_after=2, ratelimit_headers=False)
    status, h, _ = await get(http, fake.base_url + ORDERS)
    assert status == 429 and h["Retry-After"] == "3" and h["X-Ratelimit-Group"] == "market-order"
    status, h, _ = await get(http, fake.base_url + ORDERS)
    assert status == 429 and h["Retry-After"] == "2" and "X-Ratelimit-Group" not in h


async def test_token_bucket_runs_dry(clock: Clock, http: aiohttp.ClientSession) -> None:
    async with EsiFake(regions={10000002: 10}, rate_limit=6, rate_window_s=60, clock=clock) as fake:
        remaining = [(await get(http, fake.base_url + ORDERS))[1]["X-Ratelimit-Remaining"] for _ in range(3)]
        assert remaining == ["4", "2", "0"]
        status, h, _ = await get(http, fake.base_url + ORDERS)
        assert status == 429 and h["Retry-After"] == "60"
        clock.tick(61)
        assert (await get(http, fake.base_url + ORDERS))[0] == 200


async def test_error_budget_then_420(clock: Clock, http: aiohttp.ClientSession) -> None:
    async with EsiFake(regions={10000002: 10}, error_limit=3, clock=clock) as fake:
        for remain in ("2", "1", "0"):
            status, h, _ = await get(http, fake.base_url + "/markets/10000002/orders")
            assert status == 400 and h["X-ESI-Error-Limit-Remain"] == remain
        clock.tick(15)
        status, h, body = await get(http, fake.base_url + "/markets/prices")
        assert status == 420 and "error limit" in json.loads(body)["error"]
        assert h["X-ESI-Error-Limit-Remain"] == "0" and h["X-ESI-Error-Limit-Reset"] == "45"
        clock.tick(45)
        status, h, _ = await get(http, fake.base_url + "/markets/prices")
        assert status == 200 and h["X-ESI-Error-Limit-Remain"] == "3"


async def test_error_limited_fault(clock: Clock, http: aiohttp.ClientSession) -> None:
    async with EsiFake(regions={10000002: 10}, clock=clock) as fake:
        fake.faults.error_limited(reset_s=20)
        status, h, _ = await get(http, fake.base_url + ORDERS)
        assert status == 420 and h["X-ESI-Error-Limit-Remain"] == "0" and h["X-ESI-Error-Limit-Reset"] == "20"
        clock.tick(20)
        assert (await get(http, fake.base_url + ORDERS))[0] == 200


async def test_flip_snapshot_between_pages(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.flip_snapshot_after(page=1, region_id=10000002)
    _, h1, _ = await get(http, fake.base_url + ORDERS)
    _, h2, _ = await get(http, fake.base_url + ORDERS + "&page=2")
    _, h3, _ = await get(http, fake.base_url + ORDERS + "&page=3")
    assert h1["Last-Modified"] != h2["Last-Modified"] == h3["Last-Modified"]
    assert fake.snapshot(10000002).version == 2


async def test_truncated_and_malformed(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.truncated(1, path="/orders")
    status, _, body = await get(http, fake.base_url + ORDERS, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(body)
    fake.faults.malformed(1, page=1)
    status, _, body = await get(http, fake.base_url + ORDERS)
    orders = orjson.loads(body)
    assert status == 200 and len(orders) == 1000
    assert "price" not in orders[0] and isinstance(orders[1]["price"], str)
    assert all(isinstance(o["price"], float) for o in orjson.loads((await get(http, fake.base_url + ORDERS))[2]))


async def test_clear(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    fake.faults.server_errors(5)
    fake.faults.error_limited(60)
    fake.faults.clear()
    assert (await get(http, fake.base_url + ORDERS))[0] == 200


async def test_http_control_api(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    base = fake.base_url
    async with http.post(base + "/_fake/faults", json={"kind": "server_errors", "count": 1, "status": 504}) as r:
        assert r.status == 200
    assert (await get(http, base + ORDERS))[0] == 504
    async with http.post(base + "/_fake/faults", json={"kind": "nope"}) as r:
        assert r.status == 400
    async with http.post(base + "/_fake/faults", json={"kind": "truncated", "count": 3}) as r:
        assert (await r.json())["pending"] == 1
    async with http.delete(base + "/_fake/faults") as r:
        assert r.status == 200
    async with http.post(base + "/_fake/advance/10000002") as r:
        assert (await r.json())["version"] == 2
    _, _, body = await get(http, base + "/_fake/requests")
    assert json.loads(body)["count"] == len(fake.requests) == 1


async def test_standalone_runner() -> None:
    args = ["-m", "fakes.esi", "--port", "0", "--forge-orders", "3000"]
    proc = await asyncio.create_subprocess_exec(sys.executable, *args, stdout=asyncio.subprocess.PIPE)
    try:
        assert proc.stdout is not None
        url = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            status, h, _ = await get(http, url + ORDERS)
            assert status == 200 and h["X-Pages"] == "3"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0


async def test_close_releases_hanging_requests(http: aiohttp.ClientSession) -> None:
    fake = EsiFake(regions={10000002: 10})
    await fake.start()
    fake.faults.timeouts(1, delay_s=60)
    with pytest.raises(asyncio.TimeoutError):
        await get(http, fake.base_url + ORDERS, timeout=aiohttp.ClientTimeout(total=0.2))
    started = asyncio.get_running_loop().time()
    await fake.close()
    assert asyncio.get_running_loop().time() - started < 5
