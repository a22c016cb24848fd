"""A staged snapshot's orders and quotes as COPY BINARY data, straight from the page and quote columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from adapters.postgres.copy_binary import CopyColumn, copy_tuples, text_column
from core.market.book_quotes import BookQuotes
from core.market.order_page import OrderPage

_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # timestamptz counts microseconds from here
_PG_EPOCH_US = 946_684_800 * 10**6  # the same, in microseconds since 1970
# The quote columns after region_id that are bigint (the rest of the integers are integer; floats are double).
_QUOTE_BIGINTS = {"location_id", "buy_volume", "sell_volume", "buy_depth", "sell_depth"}


def encode_orders(page: OrderPage) -> bytes:
    """COPY BINARY tuple data (no header/trailer) of a page's orders in ORDER_COLUMNS order."""
    return copy_tuples(
        [
            CopyColumn(page.order_id, ">i8"),
            CopyColumn(page.type_id, ">i4"),
            CopyColumn(page.location_id, ">i8"),
            CopyColumn(page.system_id, ">i4", null=page.system_null),
            CopyColumn(page.is_buy_order, "?"),
            CopyColumn(page.price, ">f8"),
            CopyColumn(page.volume_remain, ">i4"),
            CopyColumn(page.volume_total, ">i4"),
            CopyColumn(page.min_volume, ">i4"),
            CopyColumn(page.duration, ">i4"),
            CopyColumn(page.issued_us - _PG_EPOCH_US, ">i8"),
            text_column(page.range),
        ]
    )


def encode_quotes(quotes: BookQuotes, region_id: int, as_of: datetime) -> bytes:
    """COPY BINARY tuple data of every quote in QUOTE_COLUMNS order (NULL for an empty side's NaN)."""
    count = len(quotes)
    columns = [CopyColumn(np.full(count, region_id), ">i4")]
    for name in quotes.__dataclass_fields__:
        values = getattr(quotes, name)
        if values.dtype.kind == "f":
            columns.append(CopyColumn(values, ">f8", null=np.isnan(values)))
        else:
            columns.append(CopyColumn(values, ">i8" if name in _QUOTE_BIGINTS else ">i4"))
    microseconds = (as_of - _PG_EPOCH) // timedelta(microseconds=1)
    columns.append(CopyColumn(np.full(count, microseconds), ">i8"))
    return copy_tuples(columns)
