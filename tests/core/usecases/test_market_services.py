"""MarketServices helpers: jumps between places (route planner optional and allowed to fail), a hub's station."""

from __future__ import annotations

import pytest

from core.catalog import Location
from core.market.hubs import find_hub
from core.market.routes import RouteUnavailable
from core.usecases.market_services import MarketServices, station_of

JITA, AMARR = find_hub("jita"), find_hub("amarr")
AT_JITA = Location("hub", JITA.station_name, JITA.region_id, JITA.system_id, JITA.station_id, JITA)
AT_AMARR = Location("hub", AMARR.station_name, AMARR.region_id, None, AMARR.station_id, AMARR)


class Planner:
    def __init__(self, answer: int | None = 9, fail: bool = False) -> None:
        self.answer, self.fail = answer, fail
        self.asked: list[tuple[int, int]] = []

    async def jumps(self, origin_system: int, destination_system: int, preference: str = "Shorter") -> int | None:
        self.asked.append((origin_system, destination_system))
        if self.fail:
            raise RouteUnavailable(origin_system, destination_system, "ESI 503")
        return self.answer


async def test_jumps_use_the_hub_systems_when_a_location_has_none() -> None:
    planner = Planner()
    services = MarketServices(reader=None, routes=planner)  # type: ignore[arg-type]
    assert await services.jumps(AT_JITA, AT_AMARR) == 9
    assert planner.asked == [(30000142, 30002187)]


async def test_jumps_are_unknown_without_a_planner_or_when_esi_fails() -> None:
    assert await MarketServices(reader=None).jumps(AT_JITA, AT_AMARR) is None  # type: ignore[arg-type]
    failing = MarketServices(reader=None, routes=Planner(fail=True))  # type: ignore[arg-type]
    assert await failing.jumps(AT_JITA, AT_AMARR) is None


def test_station_of_a_hub_and_no_station_elsewhere() -> None:
    assert station_of(AT_JITA) == (10000002, 60003760)
    with pytest.raises(ValueError, match="no trade hub"):
        station_of(Location("region", "Delve", 10000060))
