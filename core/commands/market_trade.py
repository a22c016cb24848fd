"""Trade finders as commands: /trade station (margins inside one hub) and /trade haul (hub to hub)."""

from __future__ import annotations

from dataclasses import replace

from core.bulk import cyclic_gc_paused
from core.catalog import Location
from core.chat.model import Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.market_browse import CATEGORY, GROUP, type_filter
from core.commands.no_data import has_market_data, missing_market_data
from core.commands.route import PREFERENCE, haul_route, haul_route_data, haul_route_text
from core.commands.services import isk, market_services, percent, units
from core.market.fees import TradeSkills, broker_fee_rate, sales_tax_rate
from core.market.finders_haul import HaulInput, haul_candidates
from core.market.finders_station import StationInput, could_qualify, station_candidates
from core.usecases.market_services import MarketServices, station_of

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


def _skills(
    services: MarketServices,
    station_id: int | None,
    accounting: int | None,
    broker_relations: int | None,
    standing: float | None,
) -> TradeSkills:
    """The caller's fee skills at a station: what they gave, else their character's or settings' (services)."""
    base = services.skills_at(station_id)
    return replace(
        base,
        accounting=base.accounting if accounting is None else accounting,
        broker_relations=base.broker_relations if broker_relations is None else broker_relations,
        faction_standing=base.faction_standing if standing is None else standing,
    )


def _names(ctx: CommandContext, type_ids: list[int]) -> dict[int, tuple[str, float]]:
    """Names and packaged volumes (m3) of the types the catalog knows."""
    by_id = getattr(ctx.catalog, "by_id", None)
    known = {}
    for type_id in type_ids:
        item = by_id(type_id) if by_id else None
        if item is not None:
            known[type_id] = (item.name, item.volume)
    return known


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
    region_id, station_id = station_of(hub)
    skills = _skills(services, station_id, accounting, broker_relations, standing)
    fees = services.fees_at(hub)  # a structure: its owner's broker fee
    tops = await services.reader.top_of_book(region_id, station_id)
    hopeful = [
        t
        for t, top in tops.items()
        if (allowed is None or t in allowed) and could_qualify(top, skills, fees, min_margin / 100)
    ]
    names = _names(ctx, hopeful)
    volumes = await services.reader.daily_volumes(hub.history_region, list(names))
    wanted = [t for t in names if volumes.get(t, min_volume) >= min_volume]  # rule 2 before any book is read
    books = await services.reader.books_at(region_id, station_id, wanted)  # only books that could qualify
    with cyclic_gc_paused():
        items = [StationInput(t, names[t][0], b.buys, b.sells, volumes.get(t)) for t, b in books.items()]
        plans = station_candidates(
            items,
            skills=skills,
            schedule=fees,
            min_margin=min_margin / 100,
            max_margin=max_margin / 100,
            min_daily_volume=min_volume,
            top_n=results,
        )
    meta = await services.reader.snapshot(region_id)
    as_of = meta.last_modified if meta else None
    history = hub.history_region if volumes else None
    footer = services.footer(as_of, await services.market_sources([(region_id, as_of)], history))
    title = f"Station trading at {hub.name}"
    if not plans:
        empty = None if has_market_data(meta) else await missing_market_data(ctx, [region_id], title=title)
        return empty or Reply(title=title, text="Nothing clears your margin after fees right now.", footer=footer)
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
        for p in plans
    ]
    table = Table(["Item", "Buy at", "Sell at", "Profit/unit", "Margin", "Units/day", "Profit/day"], rows, "lrrrrrr")
    data = {
        "location_id": station_id,
        "candidates": [
            {
                "type_id": p.type_id,
                "name": p.name,
                "buy_price": p.margin.buy_order_price,
                "sell_price": p.margin.sell_order_price,
                "profit_per_unit": p.margin.profit,
                "margin": p.margin.margin_on_cost,
                "daily_units": p.daily_units,
                "daily_profit": p.daily_profit,
            }
            for p in plans
        ],
    }
    text = (
        f"{len(tops):,} items scanned, {len(items):,} deep enough to clear {min_margin:g}% after fees; prices one tick "
        "inside the best orders, fees at your skills."
    )
    return Reply(title=title, text=text, tables=[table], data=data, footer=footer)


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
    src_region, src_station = station_of(source)
    dst_region, dst_station = station_of(destination)
    skills = _skills(services, dst_station, accounting, broker_relations, standing)  # the fees are paid selling
    fees = services.fees_at(destination)  # a structure: its owner's broker fee
    if src_station == dst_station:
        return Reply.error("source and destination are the same place", "/trade haul <source> <destination>")
    keep = 1 - sales_tax_rate(skills, fees) - (broker_fee_rate(skills, fees) if mode == "order" else 0)
    src_tops = await services.reader.top_of_book(src_region, src_station)
    dst_tops = await services.reader.top_of_book(dst_region, dst_station)
    # exact pre-check: if the cheapest unit at the source cannot be sold at the destination's best price after
    # fees, no unit of that type can: those books are never read
    hopeful = [
        t
        for t, top in src_tops.items()
        if (allowed is None or t in allowed)
        and (sell := top.best_sell) is not None
        and t in dst_tops
        and (outlet := dst_tops[t].best_sell if mode == "order" else dst_tops[t].best_buy) is not None
        and sell < outlet * keep
    ]
    names = _names(ctx, hopeful)
    src_books = await services.reader.books_at(src_region, src_station, list(names))
    # every order a player at the destination can sell into: region-range buy orders reaching it, min_volume kept
    dst_books = await services.reader.fillable_books(dst_region, dst_station, list(names))
    volumes = await services.reader.daily_volumes(destination.history_region, list(names))
    items = [
        HaulInput(
            t,
            names[t][0],
            names[t][1],
            src_books[t].sells,
            dst_books[t].buys,
            dst_books[t].sells[0].price if dst_books[t].sells else None,
            volumes.get(t),
        )
        for t in names
        if names[t][1] > 0 and t in src_books and t in dst_books
    ]
    found = await haul_route(services, source, destination, route)
    plans = haul_candidates(
        items,
        cargo_m3=cargo,
        budget_isk=budget,
        skills=skills,
        schedule=fees,
        sell_mode="order" if mode == "order" else "immediate",
        top_n=results,
        jumps=found.jumps if found else None,
    )
    title = f"Hauling {source.name} → {destination.name}"
    metas = [await services.reader.snapshot(src_region), await services.reader.snapshot(dst_region)]
    ages = [m.last_modified for m in metas if m is not None and m.last_modified is not None]
    meta = next((m for m in metas if m is not None and m.last_modified == min(ages, default=None)), metas[0])
    regions = [(r, m.last_modified if m else None) for r, m in zip((src_region, dst_region), metas, strict=True)]
    sources = await services.market_sources(
        regions[: 1 if src_region == dst_region else 2], destination.history_region if volumes else None
    )
    footer = services.footer(meta.last_modified if meta else None, sources)
    if not plans:
        return await missing_market_data(ctx, [src_region, dst_region], title=title) or Reply(
            title=title, text="No profitable haul after fees right now.", footer=footer
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
        for p in plans
    ]
    table = Table(["Item", "Units", "m3", "Cost", "Profit", "ROI", "ISK/m3"], rows, "lrrrrrr")
    total_profit = sum(p.profit for p in plans)
    text = (
        f"Total: {isk(sum(p.cost for p in plans))} in, {isk(total_profit)} profit after tax, "
        f"{sum(p.volume_m3 for p in plans):,.0f} of {cargo:,.0f} m3."
    )
    if found is not None:
        text += "\n" + haul_route_text(found, route, total_profit)
    data = {
        "source_id": src_station,
        "destination_id": dst_station,
        "total_profit": total_profit,
        "plans": [
            {
                "type_id": p.type_id,
                "name": p.name,
                "quantity": p.quantity,
                "cost": p.cost,
                "revenue": p.revenue,
                "profit": p.profit,
                "roi": p.roi,
                "isk_per_m3": p.isk_per_m3,
                "max_buy_price": p.max_buy_price,
                "min_sell_price": p.min_sell_price,
                "isk_per_jump": p.isk_per_jump,
            }
            for p in plans
        ],
    } | haul_route_data(found, route, total_profit)
    return Reply(title=title, text=text, tables=[table], data=data, footer=footer)


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
