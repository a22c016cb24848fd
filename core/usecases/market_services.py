"""What the market use cases read through: the MarketServices (reads, charts, routes, fees), where a place trades,
and both taken from a command context (the caller's services and default hub)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from core.appraisal.archive import AppraisalArchive
from core.appraisal.model import PasteParser
from core.appraisal.parse import DEFAULT_MAX_BYTES
from core.catalog import Location
from core.chat.model import Footer, SourceAge
from core.chat.params import ArgumentError
from core.chat.registry import CommandContext
from core.market.fees import DEFAULT_SCHEDULE, DEFAULT_SKILLS, FeeSchedule, TradeSkills
from core.market.history_demand import HistoryOnDemand, HistoryState
from core.market.hubs import KNOWN_REGIONS, PLEX_REGION_ID, hubs_in_region
from core.market.model import HistoryRow
from core.market.reads import MarketReader
from core.market.routes import SAFER, Route, RoutePlanner, RouteUnavailable, SystemDirectory
from core.market.structures import is_structure_market
from core.trading.profile import FeeProfile


class ChartRenderer(Protocol):
    """Renders a history chart to PNG bytes (off the event loop)."""

    async def __call__(
        self, rows: Sequence[HistoryRow], *, title: str, days: int, region_id: int, type_id: int
    ) -> bytes:
        """PNG bytes of the chart (region and type let the renderer cache it per snapshot)."""
        ...


class AveragePrices(Protocol):
    """CCP's average prices (the appraisal's fallback for thin markets)."""

    async def averages(self, type_ids: Sequence[int]) -> dict[int, float]:
        """The average price of each type that has one."""
        ...

    async def fetched_at(self) -> datetime | None:
        """When the prices were last fetched from ESI or confirmed current (None: never)."""
        ...


class LocationError(ArgumentError):
    """A location the command cannot price at (e.g. a region without a trade hub): shown with the usage line."""


@dataclass(frozen=True)
class MarketServices:
    """The market commands' dependencies: reads, charts, fee maths, paste parsers and limit, simulated or not."""

    reader: MarketReader
    charts: ChartRenderer | None = None
    routes: RoutePlanner | None = None
    systems: SystemDirectory | None = None  # names and security of a route's systems
    averages: AveragePrices | None = None
    parsers: Sequence[PasteParser] = ()
    appraisal_max_bytes: int = DEFAULT_MAX_BYTES
    skills: TradeSkills = DEFAULT_SKILLS
    fees: FeeSchedule = DEFAULT_SCHEDULE
    fee_profile: FeeProfile | None = None  # the caller's trading character's own skills and standings, if known
    analysis: object | None = None  # the AI use cases' AnalysisServices (core.usecases.analysis); None: not wired
    appraisals: AppraisalArchive | None = None  # where /appraise shares its results; None: no permalinks
    panel_url: str | None = None  # the panel's PUBLIC_URL: /appraise answers with a permalink under it
    history: HistoryOnDemand | None = None  # fetches missing or stale history for a command; None: stored only
    simulated: bool = False
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def skills_at(self, station_id: int | None) -> TradeSkills:
        """The caller's fee skills at a station: their character's own (standings with its owner) when known and
        not overridden in the settings, else `skills`."""
        return self.fee_profile.skills_at(station_id) if self.fee_profile is not None else self.skills

    def fees_at(self, location: Location) -> FeeSchedule:
        """The fee schedule at a place: at a structure whose owner's broker fee is set (/market fee), that rate plus
        SCC's surcharge instead of the NPC formula; elsewhere `fees`."""
        if location.broker_fee is None:
            return self.fees
        return replace(self.fees, structure_broker_rate=location.broker_fee)

    def footer(self, as_of: datetime | None, sources: Sequence[SourceAge] = ()) -> Footer:
        """The reply footer: data source, snapshot time, simulated flag, and every source's age when given."""
        source = "simulated ESI (demo)" if self.simulated else "ESI market data"
        return Footer(source, as_of, self.simulated, tuple(sources))

    async def history_state(
        self, region_id: int, type_id: int, *, wait_s: float | None = None, wait_if_stored: bool = True
    ) -> HistoryState | None:
        """Fetch the type's history when missing or stale (bounded wait) and say its age; None: not wired."""
        if self.history is None:
            return None
        return await self.history.ensure(region_id, type_id, wait_s=wait_s, wait_if_stored=wait_if_stored)

    async def history_age(self, region_id: int) -> datetime | None:
        """When the region's history was last fetched (None: unknown or not wired)."""
        return await self.history.region_age(region_id) if self.history is not None else None

    async def market_sources(
        self, regions: Sequence[tuple[int, datetime | None]], history_region: int | None = None
    ) -> list[SourceAge]:
        """The footer's sources: each region's order snapshot age, and the history's when the reply used it."""
        sources = [orders_source(region_id, as_of) for region_id, as_of in regions]
        if history_region is not None:
            sources.append(history_age(await self.history_age(history_region), history_region))
        return sources

    async def jumps(self, origin: Location, destination: Location) -> int | None:
        """Jumps between two places (shortest route), or None when unknown or ESI cannot say right now."""
        systems = (
            origin.system_id or (origin.hub.system_id if origin.hub else None),
            destination.system_id or (destination.hub.system_id if destination.hub else None),
        )
        if self.routes is None or systems[0] is None or systems[1] is None:
            return None
        try:
            return await self.routes.jumps(systems[0], systems[1])
        except RouteUnavailable:
            return None

    async def route(self, origin: Location, destination: Location, preference: str = SAFER) -> Route | None:
        """The route between two places' systems with names and security (None: no stargate route).

        RouteUnavailable when routes are not wired or ESI cannot say right now; LocationError for a place
        without a system (a region without a hub)."""
        ends = [system_of(origin), system_of(destination)]
        if self.routes is None or self.systems is None:
            raise RouteUnavailable(ends[0], ends[1], "routes are not available in this setup")
        visited = await self.routes.route(ends[0], ends[1], preference)
        if visited is None:
            return None
        known = await self.systems.systems(visited)
        unknown = [system for system in visited if system not in known]
        if unknown:
            raise RouteUnavailable(ends[0], ends[1], f"no name or security for system {unknown[0]}")
        return Route(tuple(known[system] for system in visited))


def orders_source(region_id: int, as_of: datetime | None, market: str | None = None) -> SourceAge:
    """The age of a region's or structure's order snapshot, named by `market` when given, else by the region's hub
    ("Jita orders", "PLEX market orders"; a structure unnamed: "structure orders")."""
    hub = next(iter(hubs_in_region(region_id)), None)
    name = "PLEX market" if region_id == PLEX_REGION_ID else hub.name if hub else KNOWN_REGIONS.get(region_id)
    name = market or ("structure" if is_structure_market(region_id) else name)
    return SourceAge(f"{name or f'region {region_id}'} orders", as_of, "market_orders", region_id)


def history_age(as_of: datetime | None, region_id: int | None) -> SourceAge:
    """The age of the market history a reply used (region_id None: several regions', the oldest)."""
    return SourceAge("history", as_of, "history", region_id)


def sources_data(footer: Footer | None) -> list[dict[str, Any]]:
    """A footer's sources for a reply's data, the one shape of every reply: [{"kind", "id", "name", "as_of"}]."""
    return [source.as_data() for source in (footer.sources if footer is not None else ())]


def system_of(location: Location) -> int:
    """The solar system of a place: its own, its hub's, or the hub of a named region (LocationError otherwise)."""
    if location.system_id is not None:
        return location.system_id
    hub = location.hub or next(iter(hubs_in_region(location.region_id)), None)
    if hub is None:
        raise LocationError(f"{location.name} is a region without a trade hub: name a solar system or station")
    return hub.system_id


def station_of(location: Location) -> tuple[int, int]:
    """(region_id, station_id) to price at: the station itself, the place's hub, or the hub of a named region."""
    if location.station_id is not None:
        return location.region_id, location.station_id
    hub = location.hub
    if hub is None and location.kind == "region":  # a hub's region means its hub; a system is not its region
        hub = next(iter(hubs_in_region(location.region_id)), None)
    if hub is not None:
        return hub.region_id, hub.station_id
    raise LocationError(f"{location.name} has no trade hub: name a station or one of Jita, Amarr, Dodixie, Rens, Hek")


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
