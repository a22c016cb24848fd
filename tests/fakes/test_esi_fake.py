"""The ESI fake speaks ESI's market protocol: headers, paging, caching, gzip, determinism, snapshots."""

from __future__ import annotations

import gzip
import json
import re
import time
import zipfile
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from fakes.esi import PAGE_SIZE, EsiFake, load_type_ids_from_sde_zip
from fakes.esi.data import tick_round

from .conftest import SMALL, Clock

ORDERS = "/markets/10000002/orders"
ORDER_KEYS = {
    "order_id", "type_id", "location_id", "system_id", "volume_total", "volume_remain",
    "min_volume", "price", "is_buy_order", "duration", "issued", "range",
}  # fmt: skip
RANGES = {"station", "region", "solarsystem", "1", "2", "3", "4", "5", "10", "20", "30", "40"}


async def get(http: aiohttp.ClientSession, url: str, **kw: Any) -> tuple[int, Mapping[str, str], bytes]:
    """GET and return status, (case-insensitive) headers and the decoded body."""
    async with http.get(url, **kw) as resp:
        return resp.status, resp.headers.copy(), await resp.read()


async def all_orders(http: aiohttp.ClientSession, fake: EsiFake, region: int = 10000002) -> list[dict[str, Any]]:
    """Every order of a region, page by page."""
    url = f"{fake.base_url}/markets/{region}/orders?order_type=all"
    _, headers, body = await get(http, url)
    orders: list[dict[str, Any]] = orjson.loads(body)
    for page in range(2, int(headers["X-Pages"]) + 1):
        orders += orjson.loads((await get(http, f"{url}&page={page}"))[2])
    return orders


async def test_headers_are_present_and_well_formed(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    status, h, _ = await get(http, fake.base_url + ORDERS + "?order_type=all")
    assert status == 200
    assert h["Content-Type"].startswith("application/json")
    assert re.fullmatch(r'"[0-9a-f]{16,}"', h["ETag"])
    last_modified, expires = parsedate_to_datetime(h["Last-Modified"]), parsedate_to_datetime(h["Expires"])
    assert h["Expires"].endswith(" GMT") and (expires - last_modified).total_seconds() == 300
    assert re.fullmatch(r"public, max-age=\d+", h["Cache-Control"])
    assert int(h["X-Pages"]) == -(-2_500 // PAGE_SIZE)
    assert h["X-ESI-Error-Limit-Remain"] == "100" and 0 < int(h["X-ESI-Error-Limit-Reset"]) <= 60
    assert h["X-Ratelimit-Group"] == "market-order" and h["X-Ratelimit-Limit"] == "12000/15m"
    assert h["X-Ratelimit-Used"] == "2" and h["X-Ratelimit-Remaining"] == "11998"
    status, h, _ = await get(http, fake.base_url + "/markets/prices")
    assert status == 200 and "X-Ratelimit-Group" not in h and "ETag" in h and "X-ESI-Error-Limit-Remain" in h


async def test_requests_are_recorded(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    sent = {"User-Agent": "evetrader/0.1 (ops@example.org; +https://example.org)", "X-Compatibility-Date": "2020-01-01"}
    await get(http, fake.base_url + ORDERS + "?order_type=sell&page=2", headers=sent)
    rec = fake.requests[-1]
    assert (rec.method, rec.path, rec.query, rec.status) == ("GET", ORDERS, {"order_type": "sell", "page": "2"}, 200)
    assert rec.headers["user-agent"] == sent["User-Agent"] and rec.headers["X-Compatibility-Date"] == "2020-01-01"


async def test_paging_covers_every_order_once(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    orders = await all_orders(http, fake)
    assert len(orders) == 2_500 and len({o["order_id"] for o in orders}) == 2_500
    status, _, body = await get(http, fake.base_url + ORDERS + "?order_type=all&page=4")
    assert status == 404 and json.loads(body) == {"error": "Requested page does not exist!"}
    buys = orjson.loads((await get(http, fake.base_url + ORDERS + "?order_type=buy"))[2])
    assert buys and all(o["is_buy_order"] for o in buys)


async def test_orders_look_like_esi(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    orders = await all_orders(http, fake)
    for o in orders:
        structure = o["location_id"] >= 1_000_000_000_000
        assert set(o) == ORDER_KEYS - ({"system_id"} if structure else set())
        assert o["price"] == tick_round(o["price"]) and 1 <= o["volume_remain"] <= o["volume_total"]
        assert o["range"] in RANGES and (o["is_buy_order"] or o["range"] == "region")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", o["issued"])
    hub = [o for o in orders if o["location_id"] == 60003760]
    assert len(hub) > len(orders) / 2 and all(o["system_id"] == 30000142 for o in hub)
    assert any(o["location_id"] >= 1_000_000_000_000 for o in orders)
    trit = [o for o in orders if o["type_id"] == 34 and not o["is_buy_order"]]
    assert trit and 1 < min(o["price"] for o in trit) < 20 and max(o["volume_total"] for o in trit) > 100_000
    plex = await all_orders(http, fake, 19000001)
    assert {o["type_id"] for o in plex} == {44992} and 44992 not in {o["type_id"] for o in orders}


async def test_type_filter_is_unpaged(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    status, h, body = await get(http, fake.base_url + ORDERS + "?order_type=sell&type_id=34")
    rows = orjson.loads(body)
    assert status == 200 and h["X-Pages"] == "1" and rows
    assert all(o["type_id"] == 34 and not o["is_buy_order"] for o in rows)


async def test_bad_requests(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    for url, want in [
        (ORDERS, 400), (ORDERS + "?order_type=both", 400), (ORDERS + "?order_type=all&page=x", 400),
        ("/markets/10000099/orders?order_type=all", 404), ("/markets/10000002/history", 400),
        ("/markets/10000002/history?type_id=99999999", 404), ("/nowhere", 404),
    ]:  # fmt: skip
        status, h, body = await get(http, fake.base_url + url)
        assert status == want, url
        assert isinstance(json.loads(body)["error"], str)
    assert int(h["X-ESI-Error-Limit-Remain"]) == 93


async def test_etag_gives_304(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    url = fake.base_url + ORDERS + "?order_type=all&page=2"
    _, h, _ = await get(http, url)
    status, h304, body = await get(http, url, headers={"If-None-Match": h["ETag"]})
    assert status == 304 and body == b"" and h304["ETag"] == h["ETag"] and h304["X-Ratelimit-Used"] == "1"
    assert h304["Last-Modified"] == h["Last-Modified"] and "Expires" in h304
    status, _, _ = await get(http, url.replace("page=2", "page=1"), headers={"If-None-Match": h["ETag"]})
    assert status == 200  # ETags are per URL
    assert fake.requests[-2].headers["If-None-Match"] == h["ETag"]


async def test_weak_etags(http: aiohttp.ClientSession) -> None:
    async with EsiFake(regions={10000002: 10}, weak_etags=True) as fake:
        _, h, _ = await get(http, fake.base_url + ORDERS + "?order_type=all")
        assert h["ETag"].startswith('W/"')
        status, _, _ = await get(http, fake.base_url + ORDERS + "?order_type=all", headers={"If-None-Match": h["ETag"]})
        assert status == 304


async def test_gzip_when_asked(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    url = fake.base_url + ORDERS + "?order_type=all"
    async with http.get(url, headers={"Accept-Encoding": "gzip"}, auto_decompress=False) as resp:
        assert resp.headers["Content-Encoding"] == "gzip"
        packed = await resp.read()
    async with http.get(url, headers={"Accept-Encoding": "identity"}) as resp:
        assert "Content-Encoding" not in resp.headers
        plain = await resp.read()
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 3
    assert 200_000 < len(plain) < 280_000  # a full page weighs ~240 KB like real ESI


async def test_same_seed_same_bytes(clock: Clock, http: aiohttp.ClientSession) -> None:
    bodies = []
    for seed in (7, 7, 8):
        async with EsiFake(regions=SMALL, seed=seed, clock=clock) as fake:
            pages = [(await get(http, fake.base_url + ORDERS + f"?order_type=all&page={p}"))[2] for p in (1, 3)]
            hist = (await get(http, fake.base_url + "/markets/10000002/history?type_id=587"))[2]
            fake.advance(10000002)
            after = (await get(http, fake.base_url + ORDERS + "?order_type=all"))[2]
            bodies.append((pages, hist, after))
    assert bodies[0] == bodies[1] and bodies[0] != bodies[2]


async def test_advance_makes_a_new_snapshot(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    before = await all_orders(http, fake)
    _, h1, _ = await get(http, fake.base_url + ORDERS + "?order_type=all")
    snap = fake.advance(10000002)
    assert snap.version == 2
    status, h2, _ = await get(http, fake.base_url + ORDERS + "?order_type=all", headers={"If-None-Match": h1["ETag"]})
    assert status == 200 and h2["ETag"] != h1["ETag"]
    assert parsedate_to_datetime(h2["Last-Modified"]) > parsedate_to_datetime(h1["Last-Modified"])
    after = await all_orders(http, fake)
    old, new = {o["order_id"]: o for o in before}, {o["order_id"]: o for o in after}
    assert old.keys() - new.keys() and new.keys() - old.keys()  # some gone, some new
    assert any(old[i] != new[i] for i in old.keys() & new.keys())  # some repriced or partly filled


async def test_auto_refresh_after_expiry(clock: Clock, http: aiohttp.ClientSession) -> None:
    async with EsiFake(regions={10000002: 100}, auto_refresh=True, cache_seconds=60, clock=clock) as fake:
        _, h1, _ = await get(http, fake.base_url + ORDERS + "?order_type=all")
        clock.tick(30)
        _, h2, _ = await get(http, fake.base_url + ORDERS + "?order_type=all")
        assert h2["ETag"] == h1["ETag"] and h2["Cache-Control"] == "public, max-age=30"
        clock.tick(31)
        _, h3, _ = await get(http, fake.base_url + ORDERS + "?order_type=all")
        assert h3["ETag"] != h1["ETag"] and h3["Last-Modified"] != h1["Last-Modified"]


async def test_history(clock: Clock, http: aiohttp.ClientSession) -> None:
    async with EsiFake(regions=SMALL, clock=clock) as fake:
        url = fake.base_url + "/markets/10000002/history?type_id=34"
        status, h, body = await get(http, url)
        rows = orjson.loads(body)
        assert status == 200 and 380 <= len(rows) <= 400
        assert set(rows[0]) == {"date", "average", "highest", "lowest", "volume", "order_count"}
        assert all(r["lowest"] <= r["average"] <= r["highest"] for r in rows)
        assert all(1 < r["average"] < 20 for r in rows)
        assert rows[-1]["date"] < time.strftime("%Y-%m-%d", time.gmtime(clock.t))
        expires = parsedate_to_datetime(h["Expires"])
        assert (expires.hour, expires.minute) == (11, 5) and expires.timestamp() > clock.t
        assert (await get(http, url, headers={"If-None-Match": h["ETag"]}))[0] == 304
        plex = orjson.loads((await get(http, fake.base_url + "/markets/19000001/history?type_id=44992"))[2])
        assert 1_000_000 < plex[-1]["average"] < 20_000_000


async def test_prices_and_types(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    status, h, body = await get(http, fake.base_url + "/markets/prices")
    rows = orjson.loads(body)
    assert status == 200 and len(rows) == len(fake.infos)
    assert any("adjusted_price" not in r for r in rows) and any("average_price" not in r for r in rows)
    assert all(set(r) <= {"type_id", "adjusted_price", "average_price"} for r in rows)
    status, h, body = await get(http, fake.base_url + "/markets/10000002/types?page=1")
    assert status == 200 and h["X-Pages"] == "1" and 34 in orjson.loads(body)
    assert (await get(http, fake.base_url + "/markets/10000002/types?page=2"))[0] == 404


def test_sde_zip_type_ids(tmp_path: Path) -> None:
    rows = [
        {"_key": 34, "published": True, "marketGroupID": 1857, "name": {"en": "Tritanium"}},
        {"_key": 35, "published": False, "marketGroupID": 1857},
        {"_key": 587, "published": True, "marketGroupID": 64},
        {"_key": 670, "published": True},
    ]
    path = tmp_path / "sde.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("types.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    assert load_type_ids_from_sde_zip(path) == [34, 587]
    bundled = Path("adapters/sde/bundled/sde-fixture.zip")
    if bundled.exists():
        assert len(load_type_ids_from_sde_zip(bundled)) > 10


@pytest.mark.slow
async def test_forge_scale_generation(http: aiohttp.ClientSession) -> None:
    started = time.perf_counter()
    fake = EsiFake(regions={10000002: 350_000})
    await fake.start()
    elapsed = time.perf_counter() - started
    try:
        status, h, body = await get(http, fake.base_url + ORDERS + "?order_type=all&page=200")
        print(f"\n350k orders generated in {elapsed:.2f}s; X-Pages {h['X-Pages']}; page {len(body)} bytes")
        assert status == 200 and h["X-Pages"] == "350" and len(orjson.loads(body)) == PAGE_SIZE

    finally:
        await fake.close()


async def test_legacy_prefix_and_trailing_slash(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    for path in ("/latest/markets/10000002/orders/", "/markets/10000002/orders/"):
        status, h, _ = await get(http, fake.base_url + path + "?order_type=all")
        assert status == 200 and h["X-Pages"] == "3"
