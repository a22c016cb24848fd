"""Turn one ESI region-orders page into rows for the order-book store, rejecting malformed pages."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter

import orjson

from core.market.errors import SnapshotRejected

ORDER_COLUMNS: tuple[str, ...] = (
    "order_id",
    "type_id",
    "location_id",
    "system_id",
    "is_buy_order",
    "price",
    "volume_remain",
    "volume_total",
    "min_volume",
    "duration",
    "issued",
    "range",
)
OrderRow = tuple[int, int, int, int | None, bool, float, int, int, int, int, datetime, str]
"""One order in ORDER_COLUMNS order (a price may arrive as a JSON integer: the database stores float8)."""


class MalformedPage(SnapshotRejected):
    """A page whose body is not the JSON list of orders ESI promises."""

    def __init__(self, page: int, reason: str) -> None:
        super().__init__(f"page {page}: {reason}")
        self.page = page
        self.reason = reason


_INT_COLUMNS = (0, 1, 2, 6, 7, 8, 9)
_NONE = type(None)


def _bad(types: set[type], allowed: set[type]) -> bool:
    return not types <= allowed


def _check_columns(rows: list[OrderRow], page: int) -> None:
    """Type-check whole columns at C speed (the set of types of each column) instead of value by value."""
    columns = list(zip(*rows, strict=True))
    for index in _INT_COLUMNS:
        if _bad(set(map(type, columns[index])), {int}):
            raise MalformedPage(page, f"bad integer in {ORDER_COLUMNS[index]}")
    if _bad(set(map(type, columns[3])), {int, _NONE}):
        raise MalformedPage(page, "bad system_id")
    if _bad(set(map(type, columns[4])), {bool}):
        raise MalformedPage(page, "bad is_buy_order")
    if _bad(set(map(type, columns[5])), {int, float}) or min(columns[5]) < 0:
        raise MalformedPage(page, "bad price")
    if None in set(map(attrgetter("tzinfo"), columns[10])):
        raise MalformedPage(page, "issued has no time zone")
    if _bad(set(map(type, columns[11])), {str}):
        raise MalformedPage(page, "bad range")


def parse_order_page(body: bytes, page: int) -> list[OrderRow]:
    """Parse and validate one page body; raise MalformedPage naming the page and the first problem."""
    try:
        orders = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedPage(page, f"invalid JSON ({exc.msg} at byte {exc.pos})") from None
    if not isinstance(orders, list):
        raise MalformedPage(page, "expected a JSON list of orders")
    parse_time = datetime.fromisoformat
    try:
        rows: list[OrderRow] = [
            (
                o["order_id"],
                o["type_id"],
                o["location_id"],
                o.get("system_id"),
                o["is_buy_order"],
                o["price"],
                o["volume_remain"],
                o["volume_total"],
                o.get("min_volume", 1),
                o["duration"],
                parse_time(o["issued"]),
                o["range"],
            )
            for o in orders
        ]
    except KeyError as exc:
        raise MalformedPage(page, f"missing field {exc}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise MalformedPage(page, str(exc)) from None
    if rows:
        _check_columns(rows, page)
    return rows
