"""/route end to end: ESI's route (the fake) kept in Postgres, names and security from sde_systems, else ESI."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.esi.routes import EsiRoutePlanner
from adapters.esi.systems import EsiSystems
from adapters.postgres.routes import PgRouteStore
from adapters.postgres.systems import PgSystems
from adapters.redis.keys import RedisKeys
from fakes.esi import EsiFake
from fakes.esi.route_map import AMARR, JITA, MAP
from tests.adapters.esi.conftest import MakeClient
from tests.core.commands.fake_market import FakeMarket
from tests.core.commands.market_helpers import run
from tests.core.commands.test_market_haul import haul_market

pytestmark = pytest.mark.integration


async def _wired(fake: EsiFake, make_client: MakeClient, pg_pool) -> dict[str, Any]:
    """MarketServices' route parts on a real client and Postgres; the SDE holds the two hubs only."""
    await pg_pool.execute("DELETE FROM sde_systems WHERE system_id = ANY($1::int[])", [JITA, AMARR])
    await pg_pool.executemany(
        "INSERT INTO sde_systems (system_id, constellation_id, region_id, name, security) VALUES ($1, $2, $3, $4, $5)",
        [(JITA, 20000020, 10000002, "Jita", 0.9459), (AMARR, 20000322, 10000043, "Amarr", 1.0)],
    )
    client = await make_client(fake.base_url)
    routes = EsiRoutePlanner(client, None, RedisKeys("unused:"), store=PgRouteStore(pg_pool))  # type: ignore[arg-type]
    return {"routes": routes, "systems": EsiSystems(client, PgSystems(pg_pool))}


async def test_route_lists_systems_with_security_and_the_lowest(make_client: MakeClient, pg_pool) -> None:
    async with EsiFake(regions={10000002: 10}) as fake:
        wired = await _wired(fake, make_client, pg_pool)
        secure = await run("/route jita amarr", FakeMarket(), **wired)
        assert not secure.is_error, secure.text
        data = secure.data
        assert data["jumps"] == 12 and data["preference"] == "secure"  # the all high-sec detour
        names = [s["name"] for s in data["systems"]]
        assert names[0] == "Jita" and names[-1] == "Amarr" and len(names) == 13
        assert data["systems"][0]["security"] == 0.9459  # from sde_systems, not ESI
        assert all(s["security"] == MAP.security[s["system_id"]] for s in data["systems"][1:-1])
        assert data["min_security"] == 0.6 and "lowest security 0.6" in secure.text
        asked = [r.path for r in fake.requests if r.path.startswith("/universe/systems/")]
        assert len(asked) == 11 and f"/universe/systems/{JITA}" not in asked  # only the systems the SDE lacks

        shortest = await run("/route jita amarr shortest", FakeMarket(), **wired)
        assert shortest.data["jumps"] == 9 and shortest.data["min_security"] == 0.3
        assert "lowest security 0.3" in shortest.text


async def test_route_failures_are_plain_messages(make_client: MakeClient, pg_pool) -> None:
    async with EsiFake(regions={10000002: 10}) as fake:
        wired = await _wired(fake, make_client, pg_pool)
        fake.faults.server_errors(count=1000, status=503, path="^/universe/systems/")
        reply = await run("/route jita amarr insecure", FakeMarket(), **wired)
        assert reply.is_error and "unavailable right now" in reply.text
        assert (await run("/route jita amarr", FakeMarket())).is_error  # routes not wired


async def test_hauls_show_jumps_isk_per_jump_and_the_lowest_security(make_client: MakeClient, pg_pool) -> None:
    async with EsiFake(regions={10000002: 10}) as fake:
        wired = await _wired(fake, make_client, pg_pool)
        secure = await run("/trade haul jita amarr 100000 1b", haul_market(), **wired)
        data = secure.data
        assert data["plans"] and data["route"] == "secure" and data["jumps"] == 12 and data["min_security"] == 0.6
        assert data["isk_per_jump"] == pytest.approx(data["total_profit"] / 12)
        assert all(p["isk_per_jump"] == pytest.approx(p["profit"] / 12) for p in data["plans"])
        assert "12 jumps" in secure.text and "lowest security 0.6" in secure.text
        shortest = await run("/trade haul jita amarr 100000 1b route=shortest", haul_market(), **wired)
        assert shortest.data["jumps"] == 9 and shortest.data["min_security"] == 0.3
    unknown = await run("/trade haul jita amarr 100000 1b", haul_market())  # routes not wired: haul still answers
    assert unknown.data["jumps"] is None and unknown.data["plans"] and "jumps" not in unknown.text
