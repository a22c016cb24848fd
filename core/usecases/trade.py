"""Trade finder use cases: station trading inside one hub and hauling between two, as plain results."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from core.catalog import CatalogItem, Location
from core.chat.model import Footer
from core.gc_pause import cyclic_gc_paused
from core.market.fees import TradeSkills, broker_fee_rate, sales_tax_rate
from core.market.finders_haul import HaulInput, HaulPlan, haul_candidates
from core.market.finders_station import StationInput, StationPlan, could_qualify, station_candidates
from core.market.model import SnapshotMeta
from core.market.routes import LESS_SECURE, SAFER, SHORTER, Route, RouteUnavailable
from core.usecases.market_services import LocationError, MarketServices, station_of

ItemById = Callable[[int], CatalogItem | None]
PREFERENCES = {"secure": SAFER, "shortest": SHORTER, "insecure": LESS_SECURE}  # a route choice's ESI flag


@dataclass(frozen=True)
class SkillOverrides:
    """Fee skills the caller named for one search (None: their character's or settings' own)."""

    accounting: int | None = None
    broker_relations: int | None = None
    standing: float | None = None

    def at(self, services: MarketServices, station_id: int | None) -> TradeSkills:
        """The caller's fee skills at a station: what they gave, else their character's or settings' (services)."""
        base = services.skills_at(station_id)
        return replace(
            base,
            accounting=base.accounting if self.accounting is None else self.accounting,
            broker_relations=base.broker_relations if self.broker_relations is None else self.broker_relations,
            faction_standing=base.faction_standing if self.standing is None else self.standing,
        )


@dataclass(frozen=True)
class StationScan:
    """/trade station's answer: the best plans at a hub, how many items were scanned and how many could clear."""

    station_id: int
    region_id: int
    scanned: int
    deep_enough: int
    plans: tuple[StationPlan, ...]
    footer: Footer
    meta: SnapshotMeta | None
    title: str

    def as_data(self) -> dict[str, object]:
        """The machine-readable form (README documents these keys)."""
        return {
            "location_id": self.station_id,
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
                for p in self.plans
            ],
        }


@dataclass(frozen=True)
class HaulScan:
    """/trade haul's answer: the best hauls from one station to another, and the route flown (None: unknown)."""

    source_id: int
    destination_id: int
    regions: tuple[int, int]
    plans: tuple[HaulPlan, ...]
    route: Route | None
    preference: str  # the route preference as the caller named it ("secure", "shortest", "insecure")
    footer: Footer
    title: str

    @property
    def total_profit(self) -> float:
        """The profit of every plan together, after tax."""
        return sum(p.profit for p in self.plans)

    def as_data(self) -> dict[str, object]:
        """The machine-readable form (README documents these keys), with the route's jumps and ISK per jump."""
        jumps = self.route.jumps if self.route else None
        plans = [
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
            for p in self.plans
        ]
        total = self.total_profit
        return {
            "source_id": self.source_id,
            "destination_id": self.destination_id,
            "total_profit": total,
            "plans": plans,
            "route": self.preference,
            "jumps": jumps,
            "isk_per_jump": total / jumps if jumps else None,
            "min_security": self.route.min_security if self.route else None,
        }


def known_items(by_id: ItemById | None, type_ids: Collection[int]) -> dict[int, tuple[str, float]]:
    """Names and packaged volumes (m3) of the types the catalog knows."""
    known = {}
    for type_id in type_ids:
        item = by_id(type_id) if by_id else None
        if item is not None:
            known[type_id] = (item.name, item.volume)
    return known


async def station_scan(
    services: MarketServices,
    by_id: ItemById | None,
    hub: Location,
    *,
    min_margin: float,
    max_margin: float,
    min_volume: float,
    results: int,
    skills: SkillOverrides,
    allowed: Collection[int] | None,
) -> StationScan:
    """What to buy and relist at one hub (margins in %), after broker fees and sales tax, scams filtered."""
    region_id, station_id = station_of(hub)
    at = skills.at(services, station_id)
    fees = services.fees_at(hub)  # a structure: its owner's broker fee
    tops = await services.reader.top_of_book(region_id, station_id)
    hopeful = [
        t
        for t, top in tops.items()
        if (allowed is None or t in allowed) and could_qualify(top, at, fees, min_margin / 100)
    ]
    names = known_items(by_id, hopeful)
    volumes = await services.reader.daily_volumes(hub.history_region, list(names))
    wanted = [t for t in names if volumes.get(t, min_volume) >= min_volume]  # rule 2 before any book is read
    books = await services.reader.books_at(region_id, station_id, wanted)  # only books that could qualify
    with cyclic_gc_paused():
        items = [StationInput(t, names[t][0], b.buys, b.sells, volumes.get(t)) for t, b in books.items()]
        plans = station_candidates(
            items,
            skills=at,
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
    return StationScan(station_id, region_id, len(tops), len(items), tuple(plans), footer, meta, title)


async def haul_scan(
    services: MarketServices,
    by_id: ItemById | None,
    source: Location,
    destination: Location,
    *,
    cargo: float,
    budget: float,
    mode: str,
    results: int,
    skills: SkillOverrides,
    allowed: Collection[int] | None,
    route: str = "secure",
) -> HaulScan:
    """Buy at one station, sell at another (mode "order": list sell orders), within cargo and budget, per jump."""
    src_region, src_station = station_of(source)
    dst_region, dst_station = station_of(destination)
    at = skills.at(services, dst_station)  # the fees are paid selling
    fees = services.fees_at(destination)  # a structure: its owner's broker fee
    keep = 1 - sales_tax_rate(at, fees) - (broker_fee_rate(at, fees) if mode == "order" else 0)
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
    names = known_items(by_id, hopeful)
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
    found = await _route(services, source, destination, PREFERENCES[route])
    plans = haul_candidates(
        items,
        cargo_m3=cargo,
        budget_isk=budget,
        skills=at,
        schedule=fees,
        sell_mode="order" if mode == "order" else "immediate",
        top_n=results,
        jumps=found.jumps if found else None,
    )
    metas = [await services.reader.snapshot(src_region), await services.reader.snapshot(dst_region)]
    ages = [m.last_modified for m in metas if m is not None and m.last_modified is not None]
    meta = next((m for m in metas if m is not None and m.last_modified == min(ages, default=None)), metas[0])
    regions = [(r, m.last_modified if m else None) for r, m in zip((src_region, dst_region), metas, strict=True)]
    sources = await services.market_sources(
        regions[: 1 if src_region == dst_region else 2], destination.history_region if volumes else None
    )
    footer = services.footer(meta.last_modified if meta else None, sources)
    title = f"Hauling {source.name} → {destination.name}"
    return HaulScan(src_station, dst_station, (src_region, dst_region), tuple(plans), found, route, footer, title)


async def _route(services: MarketServices, source: Location, destination: Location, preference: str) -> Route | None:
    """The route a haul flies (None when unknown: no gates, ESI failing, routes not wired)."""
    try:
        return await services.route(source, destination, preference)
    except (RouteUnavailable, LocationError):
        return None
