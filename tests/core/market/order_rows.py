"""Order rows for tests, turned into the page the ingest stages: as ESI JSON, through the real page parser."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson

from core.market.order_page import OrderPage, parse_order_page
from core.market.orders import ORDER_COLUMNS

OrderRow = tuple[int, int, int, int | None, bool, float, int, int, int, int, datetime, str]
"""One order in ORDER_COLUMNS order."""


def order_json(row: OrderRow) -> dict[str, object]:
    """The order as ESI sends it (no system_id key where it is None; `issued` in ISO 8601 with its zone)."""
    order: dict[str, object] = dict(zip(ORDER_COLUMNS, row, strict=True))
    if order["system_id"] is None:
        del order["system_id"]
    issued = order["issued"]
    order["issued"] = issued.isoformat() if isinstance(issued, datetime) else issued
    return order


def order_page(rows: Sequence[OrderRow], page: int = 1) -> OrderPage:
    """The rows as the page parser returns them."""
    return parse_order_page(orjson.dumps([order_json(row) for row in rows]), page)
