"""The /route use case: the stargate route between two places, each system with its security, or no route."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog import Location
from core.chat.model import Footer
from core.market.routes import Route, SolarSystem, route_preference
from core.usecases.market_services import MarketServices

# What a trader may ask for, the default first; route_preference maps each to ESI's own name.
PREFERENCES = ("secure", "shortest", "insecure")
# Routes are ESI's, kept for good once asked; security comes from the SDE: neither has an age to show.
ROUTE_SOURCE = "ESI routes (kept for good) · security from the SDE"


@dataclass(frozen=True)
class RoutePlan:
    """/route's answer: the places asked, the preference (secure, shortest or insecure) and the route, if any."""

    origin: Location
    destination: Location
    preference: str
    route: Route | None  # None: no stargate route connects them (wormhole space, or a region without gates)
    footer: Footer

    @property
    def jumps(self) -> int | None:
        """Stargate jumps along the route (None without a route)."""
        return self.route.jumps if self.route is not None else None

    @property
    def systems(self) -> tuple[SolarSystem, ...]:
        """The systems on the way, origin and destination included (none without a route)."""
        return self.route.systems if self.route is not None else ()

    @property
    def min_security(self) -> float | None:
        """The lowest security on the way (None without a route or when a system's is unknown)."""
        return self.route.min_security if self.route is not None else None

    def as_data(self) -> dict[str, object]:
        """The machine-readable form (README documents these keys): jumps, systems, min_security, preference."""
        return {
            "jumps": self.jumps,
            "systems": [{"system_id": s.system_id, "name": s.name, "security": s.security} for s in self.systems],
            "min_security": self.min_security,
            "preference": self.preference,
        }


async def plan_route(services: MarketServices, origin: Location, destination: Location, preference: str) -> RoutePlan:
    """The route between two places' systems for `preference` (one of PREFERENCES).

    RouteUnavailable when routes are not wired or ESI cannot say right now; LocationError for a region without a
    trade hub; ValueError for a preference that is none of PREFERENCES.
    """
    if preference not in PREFERENCES:
        raise ValueError(f"preference must be one of {', '.join(PREFERENCES)}")
    found = await services.route(origin, destination, route_preference(preference))
    return RoutePlan(origin, destination, preference, found, Footer(ROUTE_SOURCE))
