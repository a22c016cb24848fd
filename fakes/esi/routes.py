"""Handlers of the ESI market routes; each returns a Reply the pipeline finishes (faults, headers)."""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Generic, TypeVar

from aiohttp import web

from .catalog import PLEX, PLEX_REGION
from .history import history_rows, market_prices
from .snapshot import PAGE_SIZE, Body, http_date, make_etag

if TYPE_CHECKING:
    from .server import EsiFake

ORDER_TYPES = ("all", "buy", "sell")
T = TypeVar("T")


@dataclass
class Reply:
    """A response before faults and throttling headers are applied."""

    status: int
    body: Body | None = None
    headers: dict[str, str] = field(default_factory=dict)
    region_id: int | None = None  # set by the orders route (snapshot flips)


class HttpError(Exception):
    """An ESI error answer: `status` with body {"error": message}."""

    def __init__(self, status: int, message: str) -> None:
        """Remember the status and message."""
        super().__init__(message)
        self.status, self.message = status, message

    def reply(self) -> Reply:
        """This error as a Reply."""
        return Reply(self.status, Body.of({"error": self.message}))


def int_param(request: web.Request, name: str, default: int | None = None) -> int | None:
    """A positive integer query parameter, or `default` when absent (400 when not an integer >= 1)."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HttpError(400, f"Invalid {name}: {raw!r} is not an integer") from None
    if value < 1:
        raise HttpError(400, f"Invalid {name}: must be >= 1")
    return value


def region_of(fake: EsiFake, request: web.Request) -> int:
    """The region id of the path (400 if not a number, 404 if the fake has no such market)."""
    raw = request.match_info["region_id"]
    if not raw.isdigit():
        raise HttpError(400, f"Invalid region_id: {raw!r}")
    region_id = int(raw)
    if region_id not in fake.region_sizes:
        raise HttpError(404, "Region not found")
    return region_id


def cached(request: web.Request, body: Body, etag: str, last_modified: float, expires: float, now: float) -> Reply:
    """A 200 (or 304 when If-None-Match matches `etag`) with ESI's caching headers."""
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Expires": http_date(expires),
        "Cache-Control": f"public, max-age={max(0, math.ceil(expires - now))}",
    }
    wanted = request.headers.get("If-None-Match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
    if tags and ("*" in tags or etag.removeprefix("W/") in tags):
        return Reply(304, None, headers)
    return Reply(200, body, headers)


def orders(fake: EsiFake, request: web.Request) -> Reply:
    """GET /markets/{region_id}/orders?order_type=all|buy|sell[&type_id=][&page=N]."""
    region_id = region_of(fake, request)
    order_type = request.query.get("order_type")
    if order_type is None:
        raise HttpError(400, "Missing required query parameter: order_type")
    if order_type not in ORDER_TYPES:
        raise HttpError(400, f"Invalid order_type: {order_type!r} (expected all, buy or sell)")
    type_id, page = int_param(request, "type_id"), int_param(request, "page", 1) or 1
    snap = fake.snapshot(region_id)
    pages = 1 if type_id is not None else snap.pages(order_type)
    if page > pages:
        raise HttpError(404, "Requested page does not exist!")
    body = snap.for_type(order_type, type_id) if type_id is not None else snap.page(order_type, page)
    etag = make_etag(fake.seed, region_id, snap.version, order_type, type_id, page, weak=fake.weak_etags)
    reply = cached(request, body, etag, snap.last_modified, snap.expires, fake.clock())
    reply.headers["X-Pages"] = str(pages)
    reply.region_id = region_id
    return reply


def types(fake: EsiFake, request: web.Request) -> Reply:
    """GET /markets/{region_id}/types?page=N: ids of types with orders, 1000 per page."""
    region_id = region_of(fake, request)
    page = int_param(request, "page", 1) or 1
    snap = fake.snapshot(region_id)
    pages = max(1, -(-len(snap.type_ids()) // PAGE_SIZE))
    if page > pages:
        raise HttpError(404, "Requested page does not exist!")
    etag = make_etag(fake.seed, region_id, snap.version, "types", page, weak=fake.weak_etags)
    reply = cached(request, snap.types_page(page), etag, snap.last_modified, snap.expires, fake.clock())
    reply.headers["X-Pages"] = str(pages)
    return reply


def history(fake: EsiFake, request: web.Request) -> Reply:
    """GET /markets/{region_id}/history?type_id=N: daily rows, cached until the next 11:05 UTC."""
    region_id = region_of(fake, request)
    type_id = int_param(request, "type_id")
    if type_id is None:
        raise HttpError(400, "Missing required query parameter: type_id")
    if type_id not in fake.infos or (region_id == PLEX_REGION) != (type_id == PLEX):
        raise HttpError(404, "Type not found!")
    now = fake.clock()
    last = (now - (11 * 3600 + 300)) // 86400 * 86400 + 11 * 3600 + 300  # latest 11:05 UTC
    today = datetime.fromtimestamp(last, UTC).date()
    key = (region_id, type_id, today)
    body = fake.body_cache.get(key)
    if body is None:
        body = fake.body_cache[key] = Body.of(history_rows(fake.infos[type_id], region_id, fake.seed, today))
    etag = make_etag(fake.seed, region_id, type_id, today.isoformat(), weak=fake.weak_etags)
    return cached(request, body, etag, last, last + 86400, now)


def prices(fake: EsiFake, request: web.Request) -> Reply:
    """GET /markets/prices: adjusted/average prices of the known types, cached per hour."""
    now = fake.clock()
    hour = now // 3600 * 3600
    body = fake.body_cache.get("prices")
    if body is None:
        body = fake.body_cache["prices"] = Body.of(market_prices(fake.infos.values(), fake.seed))
    return cached(request, body, make_etag(fake.seed, "prices", hour, weak=fake.weak_etags), hour, hour + 3600, now)


def not_found(fake: EsiFake, request: web.Request) -> Reply:
    """Any other path: ESI's 404."""
    raise HttpError(404, "Not found")


class PerFake(Generic[T]):
    """State a route module keeps for each EsiFake (made by `factory` on first use, gone with the fake)."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._states: weakref.WeakKeyDictionary[EsiFake, T] = weakref.WeakKeyDictionary()

    def __call__(self, fake: EsiFake) -> T:
        """This fake's state."""
        found = self._states.get(fake)
        if found is None:
            found = self._states[fake] = self._factory()
        return found
