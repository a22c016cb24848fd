"""Price use cases: an item's quote at a place and its daily history, as plain results (/compare: compare.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from core.catalog import CatalogItem, Location
from core.chat.model import Footer, SourceAge
from core.market.history_demand import HistoryState
from core.market.history_stats import HistoryStats, history_stats
from core.market.hubs import PLEX_REGION_ID, PLEX_TYPE_ID
from core.market.model import HistoryRow, Quote
from core.market.quotes import quote_from_levels
from core.ports import StoreUnavailable
from core.usecases.market_data import missing_data, missing_regions, missing_text, region_name
from core.usecases.market_services import MarketServices, history_age, orders_source, sources_data, station_of

T = TypeVar("T")
PLEX_MARKET = Location("region", "Global PLEX Market", PLEX_REGION_ID)
PLEX_NOTE = "PLEX trades only in the global PLEX market: one price everywhere."

PRICE_HISTORY_WAIT_S = 1.0  # a type's first history fetch usually takes a few hundred ms


def quote_data(item: CatalogItem, quote: Quote) -> dict[str, object]:
    """The machine-readable form of a quote (README documents these keys)."""
    return {
        "type_id": item.type_id,
        "name": item.name,
        "location_id": quote.location_id,
        "best_sell": quote.best_sell,
        "best_buy": quote.best_buy,
        "sell_volume": quote.sell_volume,
        "buy_volume": quote.buy_volume,
        "sell_orders": quote.sell_orders,
        "buy_orders": quote.buy_orders,
        "sell_depth_5pct": quote.sell_depth,
        "buy_depth_5pct": quote.buy_depth,
        "sell_percentile": quote.sell_percentile,
        "buy_percentile": quote.buy_percentile,
        "sell_top5_avg": quote.sell_top5_avg,
        "buy_top5_avg": quote.buy_top5_avg,
        "as_of": quote.as_of.isoformat(),
    }


async def plex_quote(services: MarketServices) -> Quote | None:
    """PLEX trades only in the global PLEX market (region 19000001) since 2025-07: quote its whole book."""
    book, meta = await asyncio.gather(
        services.reader.region_book(PLEX_REGION_ID, PLEX_TYPE_ID), services.reader.snapshot(PLEX_REGION_ID)
    )
    as_of = (meta.last_modified if meta else None) or services.clock()
    return quote_from_levels(PLEX_REGION_ID, PLEX_REGION_ID, PLEX_TYPE_ID, book.buys, book.sells, as_of)


@dataclass(frozen=True)
class PriceQuote:
    """/price's answer: the quote (None: nobody trades it there), the 40-day medians and the best buy in range."""

    item: CatalogItem
    place: Location  # the Global PLEX Market for PLEX
    region_id: int
    station_id: int
    quote: Quote | None
    stats: HistoryStats | None
    in_range: float | None  # the best buy order one unit can be sold into at the station
    note: str  # why the medians are missing or stale ("" when fine)
    footer: Footer
    missing: tuple[int, ...] = ()  # regions never ingested (asked on the empty path only)

    @property
    def title(self) -> str:
        """ "Tritanium — Jita IV - Moon 4 - Caldari Navy Assembly Plant"."""
        return f"{self.item.name} — {self.place.name}"

    @property
    def spread(self) -> float | None:
        """Best sell minus best buy (None without both)."""
        quote = self.quote
        return (quote.best_sell - quote.best_buy) if quote and quote.best_sell and quote.best_buy else None

    def text(self, console: bool) -> str:
        """What to say besides the figures: why the medians are missing, or why there is no quote."""
        if self.quote is not None:
            return self.note
        return missing_text(self.missing, console) if self.missing else "Nobody buys or sells it there right now."

    def as_data(self) -> dict[str, object]:
        """The machine-readable form (README documents these keys)."""
        if self.quote is None:
            where: dict[str, object] = {"type_id": self.item.type_id, "location_id": self.station_id}
            return where | missing_data(self.missing) if self.missing else where
        stats, plex = self.stats, self.item.type_id == PLEX_TYPE_ID
        return quote_data(self.item, self.quote) | {
            "spread": self.spread,
            "median_5d": stats.median_5d if stats else None,
            "median_30d": stats.median_30d if stats else None,
            "best_buy_in_range": self.quote.best_buy if plex else self.in_range,
            "sources": sources_data(self.footer),
        }


async def price_quote(services: MarketServices, item: CatalogItem, place: Location) -> PriceQuote:
    """Best sell and buy, depth, percentiles, medians and the best buy in range of an item at a place."""
    if item.type_id == PLEX_TYPE_ID:
        place, region_id, station_id = PLEX_MARKET, PLEX_REGION_ID, PLEX_REGION_ID
        quote_read = plex_quote(services)
    else:
        region_id, station_id = station_of(place)
        quote_read = services.reader.quote(region_id, station_id, item.type_id)
    since = services.clock().date() - timedelta(days=40)
    # The quote (Redis), the history and the buy orders that reach the station (Postgres) are independent reads;
    # without a quote the history is not waited for (a region never ingested would hold the reply up for nothing).
    history = asyncio.ensure_future(_history_on_demand(services, place.history_region, item.type_id, since))
    try:
        quote, in_range = await asyncio.gather(
            quote_read, _best_buy_in_range(services, region_id, station_id, item.type_id)
        )
    except BaseException:
        history.cancel()
        raise
    if quote is None:
        history.cancel()
        missing = await missing_regions(services, [region_id])
        return PriceQuote(item, place, region_id, station_id, None, None, in_range, "", services.footer(None), missing)
    rows, state = await history
    stats = history_stats(rows, services.clock().date()) if rows is not None else None
    note = "" if rows is not None else "History is unavailable right now, so the medians are left out."
    if rows is not None and state is not None and (state.pending or state.unavailable):
        note = history_note(state, bool(rows), "the medians")
    sources = [orders_source(region_id, quote.as_of), *history_source(state, rows, place.history_region)]
    footer = services.footer(quote.as_of, sources)
    return PriceQuote(item, place, region_id, station_id, quote, stats, in_range, note, footer)


async def _history_on_demand(
    services: MarketServices, region_id: int, type_id: int, since: date
) -> tuple[list[HistoryRow] | None, HistoryState | None]:
    """Fetch the type's history if missing or stale (bounded wait), then the stored rows (None: no store)."""
    # the medians are secondary: never wait for a refetch, and at most PRICE_HISTORY_WAIT_S for a first fetch
    state = await services.history_state(region_id, type_id, wait_s=PRICE_HISTORY_WAIT_S, wait_if_stored=False)
    return await _unless_unavailable(services.reader.history(region_id, type_id, since)), state


def history_source(state: HistoryState | None, rows: list[HistoryRow] | None, region_id: int) -> list[SourceAge]:
    """The region's history's age for the footer when history was used or asked for."""
    return [history_age(state.as_of if state else None, region_id)] if state is not None or rows else []


def history_note(state: HistoryState, stored: bool, what: str) -> str:
    """What to say when history is still on its way or could not be fetched."""
    if state.pending:
        return (
            f"History is still being fetched from ESI; {what} use what is stored."
            if stored
            else (f"History is still being fetched from ESI; ask again in a moment for {what}.")
        )
    return (
        f"History is unavailable right now; {what} use what is stored."
        if stored
        else (f"History is unavailable right now (ESI could not be reached), so {what} are left out.")
    )


async def _unless_unavailable(read: Awaitable[T]) -> T | None:
    """The read's result, or None while its store cannot be reached (the quote may still come from its cache)."""
    try:
        return await read
    except StoreUnavailable:
        return None


async def _best_buy_in_range(services: MarketServices, region_id: int, station_id: int, type_id: int) -> float | None:
    """The best buy order one unit can be sold into at the station, its range honoured (None: none, or no store)."""
    if type_id == PLEX_TYPE_ID:
        return None
    return await _unless_unavailable(services.reader.best_buy_in_range(region_id, station_id, type_id))


@dataclass(frozen=True)
class PriceHistory:
    """/history's answer: the region's daily rows over the days asked and their statistics."""

    item: CatalogItem
    region_id: int
    days: int  # asked for
    title: str  # names the region, and the place asked for when that is not the region itself
    rows: tuple[HistoryRow, ...]
    stats: HistoryStats | None
    note: str  # history still on its way or not fetched ("" when fine)
    footer: Footer
    missing: tuple[int, ...] = ()  # the region, when never ingested (asked when there is nothing to show)
    chart_title: str = ""  # the region's title alone (one chart per region, whichever place asked)
    scope: str = ""  # why the figures are a region's when a station, system or structure was asked for

    def as_data(self) -> dict[str, object]:
        """The machine-readable statistics (README documents these keys; {} without history)."""
        stats = self.stats
        if not self.rows or stats is None:
            return {}
        return {
            "type_id": self.item.type_id,
            "region_id": self.region_id,
            "days": len(self.rows),
            "median_5d": stats.median_5d,
            "median_30d": stats.median_30d,
            "avg_volume_30d": stats.avg_volume_30d,
            "trend_7d_pct": stats.trend_7d_pct,
            "volatility_30d": stats.volatility_30d,
        }


async def price_history(
    services: MarketServices, item: CatalogItem, place: Location, days: int, *, region: str | None = None
) -> PriceHistory:
    """An item's daily history over `days` in the place's history region (PLEX: the global market's); `region`
    names that region when the caller knows it (the catalog's name)."""
    region_id = PLEX_REGION_ID if item.type_id == PLEX_TYPE_ID else place.history_region  # history is per region
    today = services.clock().date()
    state = await services.history_state(region_id, item.type_id)
    rows = await services.reader.history(region_id, item.type_id, today - timedelta(days=days))
    stats = history_stats(rows, today)
    market, scope = _history_market(place, region_id, region)
    chart_title = f"{item.name} — {market}, {days} days"
    title = f"{item.name} — {market} (region of {place.name}), {days} days" if scope else chart_title
    footer = services.footer(None, history_source(state, rows, region_id))
    stale = state is not None and (state.pending or state.unavailable)
    note = history_note(state, bool(rows), "the chart and figures") if state is not None and stale else ""
    missing = await missing_regions(services, [region_id]) if (not rows or stats is None) and not note else ()
    return PriceHistory(item, region_id, days, title, tuple(rows), stats, note, footer, missing, chart_title, scope)


def _history_market(place: Location, region_id: int, region: str | None) -> tuple[str, str]:
    """The history's market for titles ("The Forge"), and what to say when the place asked for is not it."""
    if region_id == PLEX_REGION_ID:
        return "Global PLEX Market", ""
    if place.kind == "region":
        return place.name, ""
    if place.hub is not None:
        return place.hub.region_name, ""
    market = region or region_name(region_id)
    return market, f"ESI keeps market history per region: these are {market}'s figures, not {place.name}'s own."
