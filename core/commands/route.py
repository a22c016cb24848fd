"""/route: the stargate route between two systems (shortest, secure or insecure) with each system's security."""

from __future__ import annotations

from core.catalog import Location
from core.chat.model import Footer, Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.formatting import isk
from core.market.routes import LESS_SECURE, SAFER, SHORTER, Route, RouteUnavailable, display_security
from core.usecases.market_services import market_services

# what users type -> ESI's preference; the first is the default
PREFERENCE_CHOICES = {"secure": SAFER, "shortest": SHORTER, "insecure": LESS_SECURE}
PREFERENCE = Param(
    "preference",
    "Route preference: secure (default, avoids low and null sec), shortest or insecure",
    ParamKind.CHOICE,
    required=False,
    default="secure",
    choices=tuple(PREFERENCE_CHOICES),
)
ROUTE_FOOTER = "ESI routes (kept for good) · security from the SDE"


def route_data(route: Route) -> dict[str, object]:
    """The documented data of a route: jumps, systems [{system_id, name, security}] and min_security."""
    return {
        "jumps": route.jumps,
        "systems": [{"system_id": s.system_id, "name": s.name, "security": s.security} for s in route.systems],
        "min_security": route.min_security,
    }


def security_text(security: float | None) -> str:
    """Security as the game shows it ("0.5"), or — when unknown."""
    return "—" if security is None else f"{display_security(security):.1f}"


async def route(ctx: CommandContext, origin: Location, destination: Location, preference: str = "secure") -> Reply:
    """/route: jumps between two places, the systems on the way and the lowest security among them."""
    services = market_services(ctx)
    title = f"Route {origin.name} → {destination.name} ({preference})"
    try:
        found = await services.route(origin, destination, PREFERENCE_CHOICES[preference])
    except RouteUnavailable:
        return Reply.error("Routes are unavailable right now (ESI did not answer); try again in a minute.")
    if found is None:
        return Reply(
            title=title,
            text="No stargate route connects them (wormhole space, or a region without gates to it).",
            data={"jumps": None, "systems": [], "min_security": None, "preference": preference},
            footer=Footer(ROUTE_FOOTER),
        )
    title = f"Route {found.systems[0].name} → {found.systems[-1].name} ({preference})"
    rows = [[str(n), s.name, security_text(s.security)] for n, s in enumerate(found.systems)]
    text = f"{found.jumps} jumps, lowest security {security_text(found.min_security)}."
    return Reply(
        title=title,
        text=text,
        tables=[Table(["Jump", "System", "Security"], rows, "rlr")],
        data=route_data(found) | {"preference": preference},
        footer=Footer(ROUTE_FOOTER),
    )


def register_route_command(registry: Registry) -> None:
    """Add /route."""
    registry.command(
        "route",
        "Stargate route between two systems, with security",
        Param("origin", "From: a system, station or trade hub", ParamKind.LOCATION, autocomplete="locations"),
        Param("destination", "To: a system, station or trade hub", ParamKind.LOCATION, autocomplete="locations"),
        PREFERENCE,
        examples=["/route jita amarr", "/route jita hek shortest"],
        needs_account=False,
    )(route)


def haul_route_text(found: Route | None, preference: str, total_profit: float) -> str:
    """A line on the haul's route: jumps, ISK per jump and the lowest security ("" when the route is unknown)."""
    if found is None:
        return ""
    per_jump = f", {isk(total_profit / found.jumps)} ISK per jump" if found.jumps else ""
    return f"Route ({preference}): {found.jumps} jumps{per_jump}, lowest security {security_text(found.min_security)}."
