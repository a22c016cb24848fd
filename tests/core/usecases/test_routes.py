"""The /route use case over the ESI fake and Postgres: the plan's jumps, systems, lowest security and data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

from adapters.esi import EsiClient
from core.catalog import Location
from core.market.hubs import find_hub
from core.market.routes import RouteUnavailable
from core.usecases.market_services import MarketServices
from core.usecases.routes import ROUTE_SOURCE, plan_route
from fakes.esi import EsiFake
from fakes.esi.route_map import MAP
from tests.adapters.esi.helpers import COMPATIBILITY_DATE, USER_AGENT
from tests.adapters.esi.test_route_command import _wired
from tests.core.commands.fake_market import FakeMarket

pytestmark = pytest.mark.integration

JITA = Location("hub", "Jita", 10000002, hub=find_hub("jita"))
AMARR = Location("hub", "Amarr", 10000043, hub=find_hub("amarr"))


@asynccontextmanager
async def _services(pg_pool: asyncpg.Pool) -> AsyncIterator[tuple[MarketServices, EsiFake]]:
    """MarketServices whose routes come from the ESI fake (kept in Postgres), names and security from the SDE."""
    clients: list[EsiClient] = []

    async def make_client(base_url: str) -> EsiClient:
        client = EsiClient(base_url, user_agent=USER_AGENT, compatibility_date=COMPATIBILITY_DATE, timeout_s=2.0)
        await client.start()
        clients.append(client)
        return client

    async with EsiFake(regions={10000002: 10}) as fake:
        try:
            yield MarketServices(reader=FakeMarket(), **await _wired(fake, make_client, pg_pool)), fake
        finally:
            for client in clients:
                await client.close()


async def test_a_plan_has_the_systems_their_security_and_the_lowest(pg_pool: asyncpg.Pool) -> None:
    async with _services(pg_pool) as (services, _):
        secure = await plan_route(services, JITA, AMARR, "secure")
        shortest = await plan_route(services, JITA, AMARR, "shortest")
    assert (secure.jumps, secure.min_security, shortest.jumps, shortest.min_security) == (12, 0.6, 9, 0.3)
    assert [s.name for s in (secure.systems[0], secure.systems[-1])] == ["Jita", "Amarr"]
    assert secure.systems[0].security == 0.9459  # the SDE's, unrounded
    assert all(s.security == MAP.security[s.system_id] for s in secure.systems[1:-1])
    data = secure.as_data()
    assert list(data) == ["jumps", "systems", "min_security", "preference"]
    assert data["preference"] == "secure" and data["jumps"] == 12 and data["min_security"] == 0.6
    shown = [{"system_id": s.system_id, "name": s.name, "security": s.security} for s in secure.systems]
    assert data["systems"] == shown
    assert secure.footer.source == ROUTE_SOURCE


async def test_the_same_place_is_zero_jumps_and_a_bad_preference_asks_nothing(pg_pool: asyncpg.Pool) -> None:
    async with _services(pg_pool) as (services, fake):
        same = await plan_route(services, JITA, JITA, "insecure")
        assert (same.jumps, [s.name for s in same.systems]) == (0, ["Jita"])
        with pytest.raises(ValueError, match="secure, shortest, insecure"):
            await plan_route(services, JITA, AMARR, "Safer")
        assert not [r for r in fake.requests if r.path.startswith("/route/")]


async def test_without_routes_wired_the_plan_is_unavailable() -> None:
    with pytest.raises(RouteUnavailable):
        await plan_route(MarketServices(reader=FakeMarket()), JITA, AMARR, "secure")
