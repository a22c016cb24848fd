"""Jump counts between solar systems: the RoutePlanner port, its failure, and route preferences."""

from __future__ import annotations

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


def jumps_of(systems: list[int]) -> int:
    """Jumps of a route given as the list of systems visited, origin and destination included."""
    return max(0, len(systems) - 1)


class RoutePlanner(Protocol):
    """How many stargate jumps separate two solar systems."""

    async def jumps(self, origin_system: int, destination_system: int, preference: str = SHORTER) -> int | None:
        """Jumps from origin to destination (0: same system, None: no route); RouteUnavailable on failure."""
        ...


__all__ = [
    "LESS_SECURE",
    "ROUTE_PREFERENCES",
    "SAFER",
    "SHORTER",
    "RoutePlanner",
    "RouteUnavailable",
    "jumps_of",
    "route_preference",
]
