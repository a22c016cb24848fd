"""EsiRoutePlanner with a real EsiClient against the ESI fake and a real Redis: jumps, caching, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp import web

from adapters.esi.routes import EsiRoutePlanner, route_systems
from adapters.postgres.routes import PgRouteStore
from adapters.redis.keys import RedisKeys
from core.market.routes import RoutePlanner, RouteUnavailable, route_preference
from fakes.esi import EsiFake
from fakes.esi.route_map import AMARR, HEK, JITA, RENS
from tests.adapters.esi.conftest import MakeClient, Serve

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[EsiFake]:
    """A started fake with a tiny order book (only the route endpoint matters here)."""
    async with EsiFake(regions={10000002: 10}) as esi:
        yield esi


@pytest_asyncio.fixture
async def planner(
    fake: EsiFake, make_client: MakeClient, redis_client: aioredis.Redis, redis_prefix: str
) -> EsiRoutePlanner:
    """A planner on a real EsiClient talking to the fake, caching under this test's prefix."""
    return EsiRoutePlanner(await make_client(fake.base_url), redis_client, RedisKeys(redis_prefix))


async def test_jumps_jita_amarr_then_cached(
    planner: EsiRoutePlanner, fake: EsiFake, redis_client, redis_prefix
) -> None:
    assert await planner.jumps(JITA, AMARR) == 9
    assert len(fake.requests) == 1
    request = fake.requests[0]
    assert (request.method, request.path, request.status) == ("POST", f"/route/{JITA}/{AMARR}", 200)
    assert request.headers["Content-Type"] == "application/json"
    assert await planner.jumps(JITA, AMARR) == 9
    assert len(fake.requests) == 1  # answered from Redis
    key = RedisKeys(redis_prefix).route(JITA, AMARR, "Shorter")
    assert 86400 - 5 <= await redis_client.ttl(key) <= 86400


async def test_preference_is_sent_and_cached_separately(planner: EsiRoutePlanner, fake: EsiFake) -> None:
    assert await planner.jumps(JITA, AMARR, "Safer") == 12
    assert await planner.jumps(JITA, HEK, "insecure") == 19  # legacy flag spelling
    assert await planner.jumps(JITA, AMARR) == 9
    assert await planner.jumps(HEK, RENS, "Shorter") == 3
    assert len(fake.requests) == 4
    with pytest.raises(ValueError, match="preference"):
        await planner.jumps(JITA, AMARR, "Fastest")


async def test_same_system_is_zero_without_a_request(planner: EsiRoutePlanner, fake: EsiFake) -> None:
    assert await planner.jumps(JITA, JITA) == 0
    assert await planner.jumps(AMARR, AMARR, "Safer") == 0
    assert fake.requests == []


async def test_unknown_system_is_none_cached_for_an_hour(
    planner: EsiRoutePlanner, fake: EsiFake, redis_client, redis_prefix
) -> None:
    assert await planner.jumps(JITA, 30000001) is None
    assert await planner.jumps(JITA, 30000001) is None
    assert [r.status for r in fake.requests] == [404]
    ttl = await redis_client.ttl(RedisKeys(redis_prefix).route(JITA, 30000001, "Shorter"))
    assert 3600 - 5 <= ttl <= 3600


async def test_esi_failures_raise_route_unavailable_and_are_not_cached(planner: EsiRoutePlanner, fake: EsiFake) -> None:
    fake.faults.server_errors(count=10, status=503, path="^/route/")
    with pytest.raises(RouteUnavailable) as caught:
        await planner.jumps(JITA, AMARR)
    assert caught.value.origin_system == JITA and "503" in str(caught.value)
    assert {r.status for r in fake.requests} == {503}
    fake.faults.clear()
    assert await planner.jumps(JITA, AMARR) == 9  # the failure left nothing behind in the cache


async def test_malformed_answers_raise_route_unavailable(planner: EsiRoutePlanner, fake: EsiFake) -> None:
    fake.faults.truncated(count=1, path="^/route/")
    with pytest.raises(RouteUnavailable):
        await planner.jumps(JITA, AMARR)


async def test_legacy_list_shape_is_accepted(
    serve: Serve, make_client: MakeClient, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    async def legacy(request: web.Request) -> web.Response:
        return web.Response(body=orjson.dumps([JITA, 1, 2, AMARR]), content_type="application/json")

    planner: RoutePlanner = EsiRoutePlanner(
        await make_client(await serve(legacy)), redis_client, RedisKeys(redis_prefix)
    )
    assert await planner.jumps(JITA, AMARR) == 3


def test_route_shapes_and_preferences() -> None:
    assert route_systems({"route": [1, 2, 3]}) == [1, 2, 3]
    assert route_systems([1, 2]) == [1, 2]
    assert route_systems({"error": "x"}) is None
    assert route_systems(["a"]) is None and route_systems([True]) is None
    assert route_preference("shortest") == "Shorter" and route_preference("Safer") == "Safer"


async def test_routes_are_kept_for_good_in_postgres(fake: EsiFake, make_client: MakeClient, pg_pool) -> None:
    """With the Postgres store a route is asked once, survives a new planner (a restart) and keeps its systems."""
    client = await make_client(fake.base_url)
    planner = EsiRoutePlanner(client, None, RedisKeys("unused:"), store=PgRouteStore(pg_pool))  # type: ignore[arg-type]
    systems = await planner.route(JITA, AMARR, "secure")
    assert systems is not None and systems[0] == JITA and systems[-1] == AMARR and len(systems) == 13
    assert await planner.jumps(JITA, AMARR, "Safer") == 12
    again = EsiRoutePlanner(client, None, RedisKeys("unused:"), store=PgRouteStore(pg_pool))  # type: ignore[arg-type]
    assert await again.route(JITA, AMARR, "Safer") == systems
    assert len(fake.requests) == 1
    assert await again.jumps(JITA, 30009999) is None  # ESI: no such system, remembered for an hour
    assert await again.jumps(JITA, 30009999) is None
    assert len(fake.requests) == 2
    row = await pg_pool.fetchrow("SELECT systems FROM routes WHERE destination_system = 30009999")
    assert row["systems"] is None
