"""One cached state of a region's book: pages serialised once with orjson, gzip built lazily."""

from __future__ import annotations

import gzip
import hashlib
from email.utils import formatdate
from typing import Any

import orjson

from .data import Order

PAGE_SIZE = 1000


class Body:
    """A response body serialised once; its gzip form (compresslevel=1) is built on first use."""

    __slots__ = ("_gz", "raw")

    def __init__(self, raw: bytes) -> None:
        """Wrap already-serialised bytes."""
        self.raw = raw
        self._gz: bytes | None = None

    @classmethod
    def of(cls, value: Any) -> Body:
        """Serialise `value` with orjson."""
        return cls(orjson.dumps(value))

    @property
    def gz(self) -> bytes:
        """The gzip-compressed body, cached."""
        if self._gz is None:
            self._gz = gzip.compress(self.raw, compresslevel=1)
        return self._gz


def http_date(ts: float) -> str:
    """An RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`."""
    return formatdate(ts, usegmt=True)


def make_etag(*parts: object, weak: bool = False) -> str:
    """A quoted (optionally weak) ETag derived from `parts`."""
    tag = '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:56] + '"'
    return "W/" + tag if weak else tag


class Snapshot:
    """Orders of a region at one version, with Last-Modified/Expires and per-query cached bodies."""

    def __init__(self, region_id: int, version: int, orders: list[Order], last_modified: int, ttl: int):
        """Freeze `orders` as the region's book at `version`, valid for `ttl` seconds."""
        self.region_id = region_id
        self.version = version
        self.orders = orders
        self.last_modified = last_modified
        self.expires = last_modified + ttl
        self._subsets: dict[str, list[Order]] = {"all": orders}
        self._by_type: dict[int, list[Order]] | None = None
        self._bodies: dict[tuple[Any, ...], Body] = {}
        self._types: list[int] | None = None

    def subset(self, order_type: str) -> list[Order]:
        """Orders of one side (`buy`, `sell`) or `all`."""
        found = self._subsets.get(order_type)
        if found is None:
            want = order_type == "buy"
            found = self._subsets[order_type] = [o for o in self.orders if o["is_buy_order"] is want]
        return found

    def pages(self, order_type: str) -> int:
        """X-Pages for the paged order listing (at least 1)."""
        return max(1, -(-len(self.subset(order_type)) // PAGE_SIZE))

    def page(self, order_type: str, page: int) -> Body:
        """Body of one page of 1000 orders."""
        key = ("page", order_type, page)
        body = self._bodies.get(key)
        if body is None:
            start = (page - 1) * PAGE_SIZE
            body = self._bodies[key] = Body.of(self.subset(order_type)[start : start + PAGE_SIZE])
        return body

    def for_type(self, order_type: str, type_id: int) -> Body:
        """Body of all orders of one type (unpaged, as ESI does with type_id)."""
        key = ("type", order_type, type_id)
        body = self._bodies.get(key)
        if body is None:
            if self._by_type is None:
                self._by_type = {}
                for order in self.orders:
                    self._by_type.setdefault(order["type_id"], []).append(order)
            rows = self._by_type.get(type_id, [])
            if order_type != "all":
                rows = [o for o in rows if o["is_buy_order"] is (order_type == "buy")]
            body = self._bodies[key] = Body.of(rows)
        return body

    def type_ids(self) -> list[int]:
        """Sorted ids of the types with at least one order."""
        if self._types is None:
            self._types = sorted({o["type_id"] for o in self.orders})
        return self._types

    def types_page(self, page: int) -> Body:
        """Body of one page of /markets/{region_id}/types."""
        key = ("types", page)
        body = self._bodies.get(key)
        if body is None:
            start = (page - 1) * PAGE_SIZE
            body = self._bodies[key] = Body.of(self.type_ids()[start : start + PAGE_SIZE])
        return body
