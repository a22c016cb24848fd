"""/route: renders the route use case (jumps, each system's security, the lowest); haul replies' route line."""

from __future__ import annotations

from core.catalog import Location
from core.chat.model import Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.formatting import isk
from core.market.routes import Route, RouteUnavailable, display_security
from core.usecases.market_services import market_services
from core.usecases.routes import PREFERENCES, plan_route

PREFERENCE = Param(
    "preference",
    "Route preference: secure (default, avoids low and null sec), shortest or insecure",
    ParamKind.CHOICE,
    required=False,
    default="secure",
    choices=PREFERENCES,
)


def security_text(security: float | None) -> str:
    """Security as the game shows it ("0.5"), or — when unknown."""
    return "—" if security is None else f"{display_security(security):.1f}"


async def route(ctx: CommandContext, origin: Location, destination: Location, preference: str = "secure") -> Reply:
    """/route: jumps between two places, the systems on the way and the lowest security among them."""
    try:
        plan = await plan_route(market_services(ctx), origin, destination, preference)
    except RouteUnavailable:
        return Reply.error("Routes are unavailable right now (ESI did not answer); try again in a minute.")
    if not plan.systems:
        return Reply(
            title=f"Route {origin.name} → {destination.name} ({preference})",
            text="No stargate route connects them (wormhole space, or a region without gates to it).",
            data=plan.as_data(),
            footer=plan.footer,
        )
    title = f"Route {plan.systems[0].name} → {plan.systems[-1].name} ({preference})"
    rows = [[str(n), s.name, security_text(s.security)] for n, s in enumerate(plan.systems)]
    return Reply(
        title=title,
        text=f"{plan.jumps} jumps, lowest security {security_text(plan.min_security)}.",
        tables=[Table(["Jump", "System", "Security"], rows, "rlr")],
        data=plan.as_data(),
        footer=plan.footer,
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
