"""Turn one ESI region-orders page into rows for the order-book store, rejecting malformed pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


class MalformedPage(SnapshotRejected):
    """A page whose body is not the JSON list of orders ESI promises."""

    def __init__(self, page: int, reason: str) -> None:
        super().__init__(f"page {page}: {reason}")
        self.page = page
        self.reason = reason


def _row(order: dict[str, Any]) -> OrderRow:
    price = order["price"]
    if not isinstance(price, (int, float)) or isinstance(price, bool) or price < 0:
        raise TypeError(f"bad price {price!r}")
    is_buy = order["is_buy_order"]
    if not isinstance(is_buy, bool):
        raise TypeError(f"bad is_buy_order {is_buy!r}")
    ints = (
        order["order_id"],
        order["type_id"],
        order["location_id"],
        order["volume_remain"],
        order["volume_total"],
        order.get("min_volume", 1),
        order["duration"],
    )
    for value in ints:
        if type(value) is not int:
            raise TypeError(f"bad integer {value!r}")
    system_id = order.get("system_id")
    if system_id is not None and type(system_id) is not int:
        raise TypeError(f"bad system_id {system_id!r}")
    issued = datetime.fromisoformat(order["issued"])
    if issued.tzinfo is None:
        raise TypeError("issued has no time zone")
    return (
        ints[0],
        ints[1],
        ints[2],
        system_id,
        is_buy,
        float(price),
        ints[3],
        ints[4],
        ints[5],
        ints[6],
        issued,
        str(order["range"]),
    )


def parse_order_page(body: bytes, page: int) -> list[OrderRow]:
    """Parse and validate one page body; raise MalformedPage naming the page and the first problem."""
    try:
        orders = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedPage(page, f"invalid JSON ({exc.msg} at byte {exc.pos})") from None
    if not isinstance(orders, list):
        raise MalformedPage(page, "expected a JSON list of orders")
    try:
        return [_row(order) for order in orders]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        missing = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise MalformedPage(page, missing) from None
