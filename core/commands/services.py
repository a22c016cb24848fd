"""The market commands' services from the command context, the default place, and ISK and volume formatting."""

from __future__ import annotations

from core.catalog import Location
from core.chat.registry import CommandContext
from core.usecases.market_services import MarketServices


def market_services(ctx: CommandContext) -> MarketServices:
    """The MarketServices a market command runs with (a wiring error when absent)."""
    services = ctx.services
    if not isinstance(services, MarketServices):
        raise RuntimeError("market commands need MarketServices in the command context")
    return services


def place_or_default(ctx: CommandContext, where: Location | None) -> Location:
    """The place a command named, else the caller's guild or personal hub, else the catalog's default hub."""
    if where is not None:
        return where
    if ctx.catalog is None:
        raise RuntimeError("market commands need a catalog")
    return ctx.catalog.location(ctx.default_hub)


def isk(value: float | None) -> str:
    """ISK for people: 4.52, 1,234.50, 12.3M, 1.25B (— when unknown)."""
    if value is None:
        return "—"
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= limit:
            return f"{value / limit:,.2f}{suffix}"
    return f"{value:,.2f}"


def units(value: float | None) -> str:
    """A volume with thousands separators (k/M beyond a million)."""
    if value is None:
        return "—"
    return f"{value / 1e6:,.1f}M" if abs(value) >= 1e6 else f"{value:,.0f}"


def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal."""
    return "—" if value is None else f"{value * 100:.1f}%"
