"""Jump counts between solar systems: the RoutePlanner port, its failure, and route preferences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

SHORTER: Final = "Shorter"
SAFER: Final = "Safer"
LESS_SECURE: Final = "LessSecure"
ROUTE_PREFERENCES: Final = (SHORTER, SAFER, LESS_SECURE)

# The legacy GET route's `flag` values (and lower-case spellings users type) mapped to the 2026 names.
_ALIASES: Final = {
    "shorter": SHORTER,
    "shortest": SHORTER,
    "safer": SAFER,
    "secure": SAFER,
    "safest": SAFER,
    "lesssecure": LESS_SECURE,
    "less_secure": LESS_SECURE,
    "less-secure": LESS_SECURE,
    "insecure": LESS_SECURE,
}


class RouteUnavailable(Exception):
    """The route source (ESI) failed or answered nonsense; the jump count is unknown for now."""

    def __init__(self, origin_system: int, destination_system: int, reason: str) -> None:
        self.origin_system = origin_system
        self.destination_system = destination_system
        self.reason = reason
        super().__init__(f"route {origin_system} -> {destination_system} unavailable: {reason}")


def route_preference(value: str) -> str:
    """The canonical preference ("Shorter", "Safer", "LessSecure") for `value`; ValueError when unknown."""
    if value in ROUTE_PREFERENCES:
        return value
    canonical = _ALIASES.get(value.strip().lower())
    if canonical is None:
        raise ValueError(f"unknown route preference {value!r} (expected one of {', '.join(ROUTE_PREFERENCES)})")
    return canonical


def jumps_of(systems: Sequence[object]) -> int:
    """Jumps of a route given as the list of systems visited, origin and destination included."""
    return max(0, len(systems) - 1)


def display_security(security: float) -> float:
    """Security status as the game shows it: one decimal, and anything just above 0.0 shows as 0.1."""
    return 0.1 if 0.0 < security < 0.05 else round(security, 1)


@dataclass(frozen=True)
class SolarSystem:
    """A solar system's name and (unrounded) security status."""

    system_id: int
    name: str
    security: float


@dataclass(frozen=True)
class Route:
    """The systems of a route (origin and destination included) with their names and security."""

    systems: tuple[SolarSystem, ...]

    @property
    def jumps(self) -> int:
        """Stargate jumps along the route."""
        return jumps_of(list(self.systems))

    @property
    def min_security(self) -> float | None:
        """The lowest security status on the route (None when a system's is unknown)."""
        return min((system.security for system in self.systems), default=None)


class RoutePlanner(Protocol):
    """How many stargate jumps separate two solar systems, and through which systems."""

    async def jumps(self, origin_system: int, destination_system: int, preference: str = SHORTER) -> int | None:
        """Jumps from origin to destination (0: same system, None: no route); RouteUnavailable on failure."""
        ...

    async def route(self, origin_system: int, destination_system: int, preference: str = SHORTER) -> list[int] | None:
        """The systems from origin to destination, both included (None: no route); RouteUnavailable on failure."""
        ...


class SystemDirectory(Protocol):
    """Names and security status of solar systems (the SDE, else ESI)."""

    async def systems(self, system_ids: Sequence[int]) -> dict[int, SolarSystem]:
        """The systems it knows among `system_ids`; RouteUnavailable when the source fails."""
        ...


__all__ = [
    "LESS_SECURE",
    "ROUTE_PREFERENCES",
    "SAFER",
    "SHORTER",
    "Route",
    "RoutePlanner",
    "RouteUnavailable",
    "SolarSystem",
    "SystemDirectory",
    "display_security",
    "jumps_of",
    "route_preference",
]
