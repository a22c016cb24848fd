"""The order book's columns and the error of a malformed ESI orders page (light: the page parser itself is
core/market/order_page.py, which loads numpy and msgspec)."""

from __future__ import annotations

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


class MalformedPage(SnapshotRejected):
    """A page whose body is not the JSON list of orders ESI promises."""

    def __init__(self, page: int, reason: str) -> None:
        super().__init__(f"page {page}: {reason}")
        self.page = page
        self.reason = reason
