"""/trade station and /trade haul: the trade finder use cases (core.usecases.trade) rendered for chat."""

from __future__ import annotations

from dataclasses import replace

from core.catalog import Location
from core.chat.model import Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.market_browse import CATEGORY, GROUP, type_filter
from core.commands.no_data import missing_market_data
from core.commands.route import PREFERENCE, haul_route_text
from core.formatting import isk, percent, units
from core.usecases.market_data import has_market_data
from core.usecases.market_services import market_services, station_of
from core.usecases.trade import SkillOverrides, haul_scan, station_scan

HUB = Param("hub", "Trade hub or station", ParamKind.LOCATION, autocomplete="locations")
ACCOUNTING = Param(
    "accounting",
    "Your Accounting level 0-5 (default 4): lowers sales tax",
    ParamKind.INT,
    required=False,
    min_value=0,
    max_value=5,
    positional=False,
)
BROKER = Param(
    "broker-relations",
    "Your Broker Relations level 0-5 (default 4)",
    ParamKind.INT,
    required=False,
    min_value=0,
    max_value=5,
    positional=False,
)
STANDING = Param(
    "standing",
    "Faction standing with the station owner (-10..10, default 0)",
    ParamKind.FLOAT,
    required=False,
    min_value=-10,
    max_value=10,
    positional=False,
)
SKILL_PARAMS = (ACCOUNTING, BROKER, STANDING)
RESULTS = Param(
    "results", "How many results (1-25)", ParamKind.INT, required=False, default=10, min_value=1, max_value=25
)


async def trade_station(
    ctx: CommandContext,
    hub: Location,
    min_margin: float = 5.0,
    max_margin: float = 100.0,
    min_volume: float = 0.0,
    results: int = 10,
    accounting: int | None = None,
    broker_relations: int | None = None,
    standing: float | None = None,
    group: str | None = None,
    category: str | None = None,
) -> Reply:
    """/trade station: what to buy and relist at one hub, after broker fees and sales tax, scams filtered."""
    services = market_services(ctx)
    allowed = type_filter(ctx, group, category)
    scan = await station_scan(
        services,
        getattr(ctx.catalog, "by_id", None),
        hub,
        min_margin=min_margin,
        max_margin=max_margin,
        min_volume=min_volume,
        results=results,
        skills=SkillOverrides(accounting, broker_relations, standing),
        allowed=allowed,
    )
    if not scan.plans:
        empty = (
            None if has_market_data(scan.meta) else await missing_market_data(ctx, [scan.region_id], title=scan.title)
        )
        return empty or Reply(
            title=scan.title, text="Nothing clears your margin after fees right now.", footer=scan.footer
        )
    rows = [
        [
            p.name,
            isk(p.margin.buy_order_price),
            isk(p.margin.sell_order_price),
            isk(p.margin.profit),
            percent(p.margin.margin_on_cost),
            units(p.daily_units),
            isk(p.daily_profit),
        ]
        for p in scan.plans
    ]
    table = Table(["Item", "Buy at", "Sell at", "Profit/unit", "Margin", "Units/day", "Profit/day"], rows, "lrrrrrr")
    text = (
        f"{scan.scanned:,} items scanned, {scan.deep_enough:,} deep enough to clear {min_margin:g}% after fees; "
        "prices one tick inside the best orders, fees at your skills."
    )
    return Reply(title=scan.title, text=text, tables=[table], data=scan.as_data(), footer=scan.footer)


async def trade_haul(
    ctx: CommandContext,
    source: Location,
    destination: Location,
    cargo: float = 10_000.0,
    budget: float = 1_000_000_000.0,
    mode: str = "immediate",
    results: int = 10,
    accounting: int | None = None,
    broker_relations: int | None = None,
    standing: float | None = None,
    group: str | None = None,
    category: str | None = None,
    route: str = "secure",
) -> Reply:
    """/trade haul: buy at one hub, sell at another, walking both books within cargo and budget, per jump."""
    services = market_services(ctx)
    allowed = type_filter(ctx, group, category)
    if station_of(source)[1] == station_of(destination)[1]:
        return Reply.error("source and destination are the same place", "/trade haul <source> <destination>")
    scan = await haul_scan(
        services,
        getattr(ctx.catalog, "by_id", None),
        source,
        destination,
        cargo=cargo,
        budget=budget,
        mode=mode,
        results=results,
        skills=SkillOverrides(accounting, broker_relations, standing),
        allowed=allowed,
        route=route,
    )
    if not scan.plans:
        return await missing_market_data(ctx, list(scan.regions), title=scan.title) or Reply(
            title=scan.title, text="No profitable haul after fees right now.", footer=scan.footer
        )
    rows = [
        [
            p.name,
            units(p.quantity),
            f"{p.volume_m3:,.0f}",
            isk(p.cost),
            isk(p.profit),
            percent(p.roi),
            isk(p.isk_per_m3),
        ]
        for p in scan.plans
    ]
    table = Table(["Item", "Units", "m3", "Cost", "Profit", "ROI", "ISK/m3"], rows, "lrrrrrr")
    text = (
        f"Total: {isk(sum(p.cost for p in scan.plans))} in, {isk(scan.total_profit)} profit after tax, "
        f"{sum(p.volume_m3 for p in scan.plans):,.0f} of {cargo:,.0f} m3."
    )
    if scan.route is not None:
        text += "\n" + haul_route_text(scan.route, route, scan.total_profit)
    return Reply(title=scan.title, text=text, tables=[table], data=scan.as_data(), footer=scan.footer)


def register_trade_commands(registry: Registry) -> None:
    """Add /trade station and /trade haul."""
    registry.group("trade", "Trade finders: station trading and hauling")
    registry.command(
        "trade station",
        "Station-trading candidates at a hub after fees",
        HUB,
        Param(
            "min-margin",
            "Minimum margin in % (default 5)",
            ParamKind.FLOAT,
            required=False,
            default=5.0,
            min_value=0,
            max_value=1000,
        ),
        Param("min-volume", "Minimum daily volume traded", ParamKind.FLOAT, required=False, default=0.0, min_value=0),
        RESULTS,
        Param(
            "max-margin",
            "Maximum margin in % (default 100): higher is usually bait",
            ParamKind.FLOAT,
            required=False,
            default=100.0,
            min_value=0,
            max_value=10_000,
            positional=False,
        ),
        *SKILL_PARAMS,
        GROUP,
        CATEGORY,
        examples=["/trade station jita", "/trade station amarr 10", "/trade station jita group=frigates"],
        slow=True,
    )(trade_station)
    registry.command(
        "trade haul",
        "Buy at one hub, sell at another, within cargo and budget",
        Param("source", "Where to buy", ParamKind.LOCATION, autocomplete="locations"),
        Param("destination", "Where to sell", ParamKind.LOCATION, autocomplete="locations"),
        Param(
            "cargo",
            "Cargo capacity in m3 (default 10,000)",
            ParamKind.FLOAT,
            required=False,
            default=10_000.0,
            min_value=1,
        ),
        Param("budget", "ISK to spend (default 1b)", ParamKind.FLOAT, required=False, default=1e9, min_value=1),
        Param(
            "mode",
            "Sell to buy orders now, or list sell orders",
            ParamKind.CHOICE,
            required=False,
            default="immediate",
            choices=("immediate", "order"),
        ),
        RESULTS,
        *SKILL_PARAMS,
        GROUP,
        CATEGORY,
        replace(PREFERENCE, name="route", positional=False),
        examples=[
            "/trade haul jita amarr 60000 2b",
            "/trade haul jita amarr category=ships",
            "/trade haul jita dodixie 5000 500m order accounting=5",
        ],
        slow=True,
    )(trade_haul)
