"""Item pages: /items (search), /items/{type_id} (the markets side by side, chart, data age), its chart, item search."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from aiohttp import web

from core.catalog import Catalog, CatalogItem, UnknownItem
from core.formatting import age_text, isk, units
from core.market.hubs import HUBS, PLEX_REGION_ID, PLEX_TYPE_ID, Hub
from core.market.model import Quote
from core.usecases.market_services import MarketServices
from core.usecases.prices import plex_quote
from web.api_io import ApiRoute, json_response
from web.api_schemas import ref
from web.errors import PanelError, path_id
from web.keys import HISTORY_CHART
from web.market_api import MAX_AGE_S
from web.public import catalog_of, market_context, services_of
from web.render import render

MAX_MATCHES = 20
MAX_QUERY = 100
CHART_DAYS = 90
CHART_PREFIX = "/charts/items/"  # sessionless (no cookie is read or set), so a shared cache may keep the PNG
HISTORY_PUBLISHED = timedelta(hours=11, minutes=15)  # ESI publishes yesterday's history after the daily downtime
NOT_FOUND = "No such item: it is not on the market, or the link is wrong."


@dataclass(frozen=True)
class HubColumn:
    """One market's column on the item page: its name, its quote (None: nobody trades it) and the data's age."""

    name: str
    quote: Quote | None
    age: str

    @property
    def spread(self) -> float | None:
        """Best sell minus best buy, when both exist."""
        q = self.quote
        return q.best_sell - q.best_buy if q and q.best_sell is not None and q.best_buy is not None else None


def matches(catalog: Catalog, query: str) -> list[CatalogItem]:
    """Up to MAX_MATCHES items for a partly typed name by the chat commands' autocomplete (prefix, substring, fuzzy)."""
    if not query.strip():
        return []
    found = (catalog.exact(name) for name in catalog.autocomplete(query, MAX_MATCHES))
    return [item for item in found if item is not None]


def _query(request: web.Request) -> str:
    query = request.query.get("q", "")
    if len(query) > MAX_QUERY:
        raise PanelError(422, f"Type at most {MAX_QUERY} characters.", fields={"q": "too long"})
    return query


async def _search_items(request: web.Request, _: object) -> web.Response:
    found = matches(catalog_of(market_context(request)), _query(request))
    return json_response([{"type_id": item.type_id, "name": item.name} for item in found])


def _item(request: web.Request) -> tuple[Catalog, CatalogItem]:
    catalog = catalog_of(market_context(request))
    item = catalog.by_id(path_id(request, "type_id", limit=2**31))
    if item is None:
        raise PanelError(404, NOT_FOUND)
    return catalog, item


def _chart_hub(request: web.Request, catalog: Catalog) -> Hub:
    """The hub whose region the chart shows (?hub=, default the server's hub); unknown names fall back too."""
    wanted = request.query.get("hub", "").lower()
    return next((hub for hub in HUBS if hub.name.lower() == wanted), catalog.default_hub)


async def _columns(services: MarketServices, catalog: Catalog, item: CatalogItem) -> list[HubColumn]:
    """The five hubs' and the tracked structure markets' quotes (PLEX: the global PLEX market), each with its age."""
    now = services.clock()
    if item.type_id == PLEX_TYPE_ID:
        quote = await plex_quote(services)
        return [HubColumn("Global PLEX Market", quote, age_text(quote.as_of if quote else None, now))]
    markets = [(hub.name, hub.region_id, hub.station_id) for hub in HUBS]
    markets += [(s.name, s.region_id, s.station_id) for s in catalog.structures() if s.station_id is not None]
    reader = services.reader
    quotes = await asyncio.gather(*(reader.quote(region, station, item.type_id) for _, region, station in markets))
    metas = await asyncio.gather(*(reader.snapshot(region) for _, region, _ in markets))
    columns = []
    for (name, _, _), quote, meta in zip(markets, quotes, metas, strict=True):
        as_of = quote.as_of if quote is not None else meta.last_modified if meta is not None else None
        columns.append(HubColumn(name, quote, age_text(as_of, now)))
    return columns


async def item_page(request: web.Request) -> web.Response:
    """An item's market: hubs and structures side by side, the history chart, data age, appraise and alert links."""
    catalog, item = _item(request)
    services = services_of(market_context(request))
    hub = _chart_hub(request, catalog)
    columns = await _columns(services, catalog, item)
    market = "the global PLEX market" if item.type_id == PLEX_TYPE_ID else hub.region_name
    return render(
        request,
        "item.html",
        item=item,
        columns=columns,
        hubs=[h.name for h in HUBS],
        chart_hub=hub.name,
        chart_url=f"{CHART_PREFIX}{item.type_id}/history.png?{urlencode({'hub': hub.name})}",
        chart_alt=f"Daily average price and volume of {item.name} in {market}, last {CHART_DAYS} days",
        appraise_url="/appraise?" + urlencode({"paste": f"1 {item.name}"}),
        alert_url="/alerts?" + urlencode({"item": item.name}),
        query="",
        isk=isk,
        units=units,
    )


def history_max_age(newest: datetime | None, now: datetime) -> int:
    """Seconds a chart may be kept: until the next daily history when it is current, else MAX_AGE_S."""
    if newest is None or newest.date() < (now - timedelta(days=1)).date():
        return MAX_AGE_S
    next_day = datetime.combine(now.date(), datetime.min.time(), UTC) + HISTORY_PUBLISHED
    if next_day <= now:
        next_day += timedelta(days=1)
    return max(MAX_AGE_S, int((next_day - now).total_seconds()))


async def history_png(request: web.Request) -> web.Response:
    """The item's price-history chart (the /history command's PNG), cached by ETag and the history's age."""
    catalog, item = _item(request)
    services = services_of(market_context(request))
    hub = _chart_hub(request, catalog)
    region_id, market = (
        (PLEX_REGION_ID, "Global PLEX Market") if item.type_id == PLEX_TYPE_ID else (hub.region_id, hub.region_name)
    )
    now = services.clock()
    rows = await services.reader.history(region_id, item.type_id, now.date() - timedelta(days=CHART_DAYS))
    newest = max((row.day for row in rows), default=None)
    etag = f'"{region_id}-{item.type_id}-{CHART_DAYS}-{newest.isoformat() if newest else "none"}"'
    newest_at = datetime.combine(newest, datetime.min.time(), UTC) if newest else None
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={history_max_age(newest_at, now)}"}
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        return web.Response(status=304, headers=headers)
    title = f"{item.name} — {market}, {CHART_DAYS} days"
    charts = services.charts or request.app[HISTORY_CHART]  # the commands' renderer shares their chart cache
    png = await charts(rows, title=title, days=CHART_DAYS, region_id=region_id, type_id=item.type_id)
    return web.Response(body=png, content_type="image/png", headers=headers)


async def items_page(request: web.Request) -> web.Response:
    """The search form's answer without scripts: the matches, or straight to the item when the name is clear."""
    catalog = catalog_of(market_context(request))
    query = request.query.get("q", "")[:MAX_QUERY]
    found = matches(catalog, query)
    exact = None
    if query.strip():
        try:
            exact = catalog.item(query, fuzzy=False)  # the exact name or a chat alias (trit, plex)
        except UnknownItem:
            exact = found[0] if len(found) == 1 else None
    if exact is not None:
        raise web.HTTPSeeOther(f"/items/{exact.type_id}")
    return render(request, "items.html", query=query, found=found)


def add_item_pages(app: web.Application) -> None:
    """Register /items, /items/{type_id} and the chart under CHART_PREFIX."""
    app.router.add_get("/items", items_page, name="items")
    app.router.add_get("/items/{type_id}", item_page, name="item")
    app.router.add_get(CHART_PREFIX + "{type_id}/history.png", history_png, name="item_history_png")


ITEM_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute(
        "GET",
        "/api/v1/items",
        _search_items,
        f"Items whose name matches a partly typed q (prefix, then substring, then fuzzy; at most {MAX_MATCHES}; "
        "blank q: none)",
        "public",
        {"type": "array", "maxItems": MAX_MATCHES, "items": ref("ItemMatch")},
        query_params={"q": {"type": "string", "maxLength": MAX_QUERY}},
    ),
)
