"""The public market API: /api/v1/market/price, /compare and /history (anonymous, read-only, cached by ETag)."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from aiohttp import web

from core.catalog import CatalogItem
from core.digits import whole_number
from core.market.history_stats import history_stats
from core.market.hubs import HUBS, KNOWN_REGIONS, PLEX_REGION_ID, PLEX_TYPE_ID, find_hub
from core.market.hubs import UnknownLocation as UnknownHub
from core.market.model import HistoryRow
from core.usecases.compare import compare_hubs
from core.usecases.market_services import sources_data
from core.usecases.prices import price_quote
from web.api_io import ApiRoute
from web.api_schemas import Schema, ref
from web.errors import PanelError
from web.public import catalog_of, market_context, services_of

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 7, 365, 90
MAX_AGE_S = 300  # without a snapshot expiry (none yet), clients may keep an answer this long


def query_int(request: web.Request, name: str, *, required: bool = False) -> int | None:
    """A whole-number query parameter; 400 when malformed or missing though required."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        if required:
            raise PanelError(400, f"{name} is required.", code="bad_request")
        return None
    value = whole_number(raw)
    if value is None:
        raise PanelError(400, f"{name} must be a whole number.", code="bad_request")
    return value


def queried_item(request: web.Request) -> CatalogItem:
    """The item named by ?type_id= (404 when the catalogue has no such type)."""
    type_id = query_int(request, "type_id", required=True)
    item = catalog_of(market_context(request)).by_id(type_id or 0)
    if item is None:
        raise PanelError(404, f"No item with type_id {type_id}.")
    return item


async def expiry(request: web.Request, region_ids: list[int]) -> datetime | None:
    """The earliest expiry of the regions' live snapshots (None when none is known)."""
    reader = services_of(market_context(request)).reader
    metas = await asyncio.gather(*(reader.snapshot(region_id) for region_id in region_ids))
    return min((meta.expires for meta in metas if meta is not None and meta.expires is not None), default=None)


def cached_json(request: web.Request, payload: object, expires: datetime | None) -> web.Response:
    """JSON with an ETag of its bytes and Cache-Control until the snapshot expires; 304 on a matching If-None-Match."""
    body = orjson.dumps(payload)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    left = MAX_AGE_S if expires is None else int((expires - datetime.now(UTC)).total_seconds())
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max(0, left)}"}
    presented = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in presented or f"W/{etag}" in presented or "*" in presented:
        return web.Response(status=304, headers=headers)
    response = web.Response(body=body, content_type="application/json")
    response.headers.update(headers)
    return response


async def _market_price(request: web.Request, _: object) -> web.Response:
    item = queried_item(request)
    hub_name = request.query.get("hub")
    context = market_context(request)
    catalog = catalog_of(context)
    try:  # a trade hub only (a system or region has no single book to quote)
        place = catalog.location(find_hub(hub_name).name if hub_name else None)
    except UnknownHub as exc:
        raise PanelError(422, str(exc), fields={"hub": str(exc)}) from None
    result = await price_quote(services_of(context), item, place)
    region_id = PLEX_REGION_ID if item.type_id == PLEX_TYPE_ID else place.region_id
    hub = place.hub.name if place.hub is not None else place.name
    return cached_json(request, {"hub": hub, **result.as_data()}, await expiry(request, [region_id]))


async def _market_compare(request: web.Request, _: object) -> web.Response:
    item = queried_item(request)
    result = await compare_hubs(services_of(market_context(request)), item)
    empty = {"type_id": item.type_id, "name": item.name, "hubs": {}, "buy_at": None, "sell_at": None}
    # PLEX and untraded items: no per-hub quotes, but still the orders read and their ages
    data = result.as_data() if result.quotes else empty | {"sources": sources_data(result.footer)}
    return cached_json(request, data, await expiry(request, sorted({hub.region_id for hub in HUBS})))


async def _market_history(request: web.Request, _: object) -> web.Response:
    item = queried_item(request)
    region_id = query_int(request, "region_id") or HUBS[0].region_id
    days = query_int(request, "days") or DEFAULT_DAYS
    if region_id not in KNOWN_REGIONS and region_id != PLEX_REGION_ID:
        raise PanelError(422, f"No market region {region_id}.", fields={"region_id": "unknown region"})
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise PanelError(422, f"days must be from {MIN_DAYS} to {MAX_DAYS}.", fields={"days": "out of range"})
    services = services_of(market_context(request))
    today = services.clock().date()
    rows = await services.reader.history(region_id, item.type_id, today - timedelta(days=days))
    stats = history_stats(rows, today) if rows else None
    payload: dict[str, Any] = {
        "type_id": item.type_id,
        "name": item.name,
        "region_id": region_id,
        "days": days,
        "median_5d": stats.median_5d if stats else None,
        "median_30d": stats.median_30d if stats else None,
        "avg_volume_30d": stats.avg_volume_30d if stats else None,
        "trend_7d_pct": stats.trend_7d_pct if stats else None,
        "volatility_30d": stats.volatility_30d if stats else None,
        "rows": [_row(r) for r in sorted(rows, key=lambda row: row.day)],
    }
    return cached_json(request, payload, await expiry(request, [region_id]))


def _row(row: HistoryRow) -> dict[str, Any]:
    return {"day": row.day.isoformat(), "average": row.average, "highest": row.highest, "lowest": row.lowest,
            "volume": row.volume, "order_count": row.order_count}  # fmt: skip


_TYPE_ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
_HUB: Schema = {"type": "string", "enum": [hub.name for hub in HUBS]}
MARKET_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute(
        "GET",
        "/api/v1/market/price",
        _market_price,
        "An item's quote at a hub (the /price command's data; default: the server's hub); required: type_id",
        "public",
        ref("MarketPrice"),
        query_params={"type_id": _TYPE_ID, "hub": _HUB},
        cached=True,
    ),
    ApiRoute(
        "GET",
        "/api/v1/market/compare",
        _market_compare,
        "An item at the five trade hubs (the /compare command's data); required: type_id",
        "public",
        ref("MarketCompare"),
        query_params={"type_id": _TYPE_ID},
        cached=True,
    ),
    ApiRoute(
        "GET",
        "/api/v1/market/history",
        _market_history,
        f"An item's daily history in a region (default The Forge) over days ({MIN_DAYS}-{MAX_DAYS}, default "
        f"{DEFAULT_DAYS}), with its statistics; required: type_id",
        "public",
        ref("MarketHistory"),
        query_params={
            "type_id": _TYPE_ID,
            "region_id": {"type": "integer", "enum": sorted({*KNOWN_REGIONS, PLEX_REGION_ID})},
            "days": {"type": "integer", "minimum": MIN_DAYS, "maximum": MAX_DAYS, "default": DEFAULT_DAYS},
        },
        cached=True,
    ),
)
