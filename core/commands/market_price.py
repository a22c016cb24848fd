"""Price commands: /price (one item at one place), /compare (the five hubs), /history (chart and stats)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import date, timedelta
from typing import TypeVar

from core.catalog import CatalogItem, Location
from core.chat.model import Field, Image, Reply, SourceAge, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.no_data import missing_market_data
from core.formatting import isk, percent, units
from core.market.finders import best_fillable
from core.market.history_demand import HistoryState
from core.market.history_stats import history_stats
from core.market.hubs import HUBS, PLEX_REGION_ID, PLEX_TYPE_ID
from core.market.model import HistoryRow, Quote
from core.market.quotes import quote_from_levels
from core.ports import StoreUnavailable
from core.usecases.market_services import MarketServices, market_services, orders_source, place_or_default, station_of

T = TypeVar("T")
ITEM = Param("item", "Item name (fuzzy, e.g. trit, plex)", ParamKind.ITEM, autocomplete="items")
WHERE = Param(
    "where", "Hub, station or system (default: your hub)", ParamKind.LOCATION, required=False, autocomplete="locations"
)
DAYS = Param("days", "Days of history (7-365)", ParamKind.INT, required=False, default=90, min_value=7, max_value=365)


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


async def price(ctx: CommandContext, item: CatalogItem, where: Location | None = None) -> Reply:
    """/price: best sell and buy, spread, depth, percentiles, medians, data age (PLEX: the global market)."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    if item.type_id == PLEX_TYPE_ID:
        place = Location("region", "Global PLEX Market", PLEX_REGION_ID)
        region_id, station_id = PLEX_REGION_ID, PLEX_REGION_ID
        quote_read = plex_quote(services)
    else:
        region_id, station_id = station_of(place)
        quote_read = services.reader.quote(region_id, station_id, item.type_id)
    since = services.clock().date() - timedelta(days=40)
    # The quote (Redis), the history and the buy orders that reach the station (Postgres) are independent reads.
    quote, (rows, state), in_range = await asyncio.gather(
        quote_read,
        _history_on_demand(services, place.history_region, item.type_id, since),  # a structure: its region's
        _best_buy_in_range(services, region_id, station_id, item.type_id),
    )
    if quote is None:
        where_data = {"type_id": item.type_id, "location_id": station_id}
        empty = await missing_market_data(ctx, [region_id], title=f"{item.name} — {place.name}", data=where_data)
        return empty or Reply(
            title=f"{item.name} — {place.name}",
            text="Nobody buys or sells it there right now.",
            footer=services.footer(None),
            data={"type_id": item.type_id, "location_id": station_id},
        )
    spread = (quote.best_sell - quote.best_buy) if quote.best_sell and quote.best_buy else None
    stats = history_stats(rows, services.clock().date()) if rows is not None else None
    note = "" if rows is not None else "History is unavailable right now, so the medians are left out."
    if rows is not None and state is not None and (state.pending or state.unavailable):
        note = _history_note(state, bool(rows), "the medians")
    data = quote_data(item, quote) | {
        "spread": spread,
        "median_5d": stats.median_5d if stats else None,
        "median_30d": stats.median_30d if stats else None,
        "best_buy_in_range": quote.best_buy if item.type_id == PLEX_TYPE_ID else in_range,
    }
    fields = [
        Field("Sell", f"{isk(quote.best_sell)} ({quote.sell_orders} orders, {units(quote.sell_volume)} units)"),
        Field("Buy", f"{isk(quote.best_buy)} ({quote.buy_orders} orders, {units(quote.buy_volume)} units)"),
        Field("Spread", f"{isk(spread)} ({percent(spread / quote.best_sell if spread and quote.best_sell else None)})"),
        Field("Depth within 5%", f"sell {units(quote.sell_depth)} · buy {units(quote.buy_depth)}"),
        Field("Percentile (1% sell / 99% buy)", f"{isk(quote.sell_percentile)} / {isk(quote.buy_percentile)}"),
        Field("Top 5% average", f"sell {isk(quote.sell_top5_avg)} · buy {isk(quote.buy_top5_avg)}"),
    ]
    if in_range is not None and in_range != quote.best_buy and item.type_id != PLEX_TYPE_ID:
        fields.insert(2, Field("Best buy reaching the station", isk(in_range)))
    if stats is not None:
        fields.append(Field("Median 5d / 30d", f"{isk(stats.median_5d)} / {isk(stats.median_30d)}"))
    title = f"{item.name} — {place.name}"
    sources = [orders_source(region_id, quote.as_of), *_history_source(state, rows)]
    return Reply(title=title, text=note, fields=fields, footer=services.footer(quote.as_of, sources), data=data)


async def _history_on_demand(
    services: MarketServices, region_id: int, type_id: int, since: date
) -> tuple[list[HistoryRow] | None, HistoryState | None]:
    """Fetch the type's history if missing or stale (bounded wait), then the stored rows (None: no store)."""
    state = await services.history_state(region_id, type_id, wait_if_stored=False)  # medians never hold /price up
    return await _unless_unavailable(services.reader.history(region_id, type_id, since)), state


def _history_source(state: HistoryState | None, rows: list[HistoryRow] | None) -> list[SourceAge]:
    """The history's age for the footer when history was used or asked for."""
    return [SourceAge("history", state.as_of if state else None)] if state is not None or rows else []


def _history_note(state: HistoryState, stored: bool, what: str) -> str:
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
    books = await _unless_unavailable(services.reader.fillable_books(region_id, station_id, [type_id]))
    book = (books or {}).get(type_id)
    return best_fillable(book.buys, 1, ascending=False) if book is not None else None


async def compare(ctx: CommandContext, item: CatalogItem) -> Reply:
    """/compare: the five hubs side by side; where to buy, where to sell."""
    services = market_services(ctx)
    if item.type_id == PLEX_TYPE_ID:
        reply = await price(ctx, item)
        return Reply(
            title=reply.title,
            text="PLEX trades only in the global PLEX market: one price everywhere.",
            fields=reply.fields,
            footer=reply.footer,
            data=reply.data,
        )
    quotes = await asyncio.gather(*(services.reader.quote(h.region_id, h.station_id, item.type_id) for h in HUBS))
    found = [(hub.name, quote) for hub, quote in zip(HUBS, quotes, strict=True) if quote is not None]
    if not found:
        title, regions = f"{item.name} at the hubs", [hub.region_id for hub in HUBS]
        empty = await missing_market_data(ctx, regions, title=title)
        if empty is not None and len(empty.data["missing_regions"]) == len(regions):
            return empty
        text = f"No hub with market data trades it right now. {empty.text}" if empty else "No hub trades it right now."
        return Reply(title=title, text=text, footer=services.footer(None))
    rows = [[name, isk(q.best_sell), units(q.sell_volume), isk(q.best_buy), units(q.buy_volume)] for name, q in found]
    sells = [(q.best_sell, name) for name, q in found if q.best_sell is not None]
    buys = [(q.best_buy, name) for name, q in found if q.best_buy is not None]
    cheapest, dearest = min(sells, default=None), max(buys, default=None)
    text = " · ".join(
        part
        for part in (
            f"buy in {cheapest[1]} at {isk(cheapest[0])}" if cheapest else "",
            f"sell in {dearest[1]} at {isk(dearest[0])}" if dearest else "",
        )
        if part
    )
    oldest = min(q.as_of for _, q in found)
    data = {
        "type_id": item.type_id,
        "name": item.name,
        "hubs": {name: quote_data(item, q) for name, q in found},
        "buy_at": cheapest[1] if cheapest else None,
        "sell_at": dearest[1] if dearest else None,
    }
    table = Table(["Hub", "Sell", "Sell vol", "Buy", "Buy vol"], rows, "lrrrr")
    return Reply(title=f"{item.name} at the hubs", text=text, tables=[table], footer=services.footer(oldest), data=data)


async def history(ctx: CommandContext, item: CatalogItem, where: Location | None = None, days: int = 90) -> Reply:
    """/history: a PNG chart of daily prices and volume, with trend and volatility."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    region_id = PLEX_REGION_ID if item.type_id == PLEX_TYPE_ID else place.history_region  # history is per region
    today = services.clock().date()
    state = await services.history_state(region_id, item.type_id)
    rows = await services.reader.history(region_id, item.type_id, today - timedelta(days=days))
    stats = history_stats(rows, today)
    market = "Global PLEX Market" if region_id == PLEX_REGION_ID else place.hub.region_name if place.hub else place.name
    title = f"{item.name} — {market}, {days} days"
    footer = services.footer(None, _history_source(state, rows))
    text = (
        _history_note(state, bool(rows), "the chart and figures")
        if state and (state.pending or state.unavailable)
        else ""
    )
    if not rows or stats is None:
        if text:
            return Reply(title=title, text=text, footer=footer)
        return await missing_market_data(ctx, [region_id], title=title) or Reply(
            title=title, text="No history for it there yet.", footer=footer
        )
    images = []
    if services.charts is not None:
        png = await services.charts(rows, title=title, days=days, region_id=region_id, type_id=item.type_id)
        images.append(
            Image(
                png, f"Daily average price and volume of {item.name}, last {days} days", f"{item.type_id}-history.png"
            )
        )
    fields = [
        Field("Median 5d / 30d", f"{isk(stats.median_5d)} / {isk(stats.median_30d)}"),
        Field("Avg daily volume (30d)", units(stats.avg_volume_30d)),
        Field("Trend (7d vs prior 7d)", "—" if stats.trend_7d_pct is None else f"{stats.trend_7d_pct:+.1f}%"),
        Field("Volatility (30d, daily)", percent(stats.volatility_30d)),
    ]
    data = {
        "type_id": item.type_id,
        "region_id": region_id,
        "days": len(rows),
        "median_5d": stats.median_5d,
        "median_30d": stats.median_30d,
        "avg_volume_30d": stats.avg_volume_30d,
        "trend_7d_pct": stats.trend_7d_pct,
        "volatility_30d": stats.volatility_30d,
    }
    return Reply(title=title, text=text, fields=fields, images=images, footer=footer, data=data)


def register_price_commands(registry: Registry) -> None:
    """Add /price, /compare and /history to a registry."""
    registry.command(
        "price",
        "Best sell and buy of an item at a hub or station",
        ITEM,
        WHERE,
        examples=["/price tritanium jita", "/price plex"],
        needs_account=False,
    )(price)
    registry.command(
        "compare",
        "An item at the five trade hubs side by side",
        ITEM,
        examples=["/compare large skill injector"],
        needs_account=False,
    )(compare)
    registry.command(
        "history",
        "Price-history chart of an item",
        ITEM,
        WHERE,
        DAYS,
        examples=["/history tritanium jita 90"],
        slow=True,
        chart=True,
        needs_account=False,
    )(history)
