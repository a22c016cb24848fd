"""A staged snapshot's orders and quotes as PostgreSQL COPY BINARY data, laid out from their numpy columns: every
tuple at once, then NULL values and text padding dropped in one pass (the rows keep their order), instead of
encoding value by value."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from core.market.book_quotes import BookQuotes
from core.market.order_page import OrderPage

COPY_HEADER: bytes = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
COPY_TRAILER: bytes = struct.pack("!h", -1)


@dataclass(frozen=True)
class CopyColumn:
    """One column's values: `wire` is their big-endian numpy type (">i8", ">f8", "?"); text has `lengths` instead."""

    values: npt.NDArray[np.generic]
    wire: str | None = None
    null: npt.NDArray[np.bool_] | None = None  # rows whose value is NULL
    lengths: npt.NDArray[np.int32] | None = None  # text: each row's UTF-8 byte length (values padded to the longest)


def text_column(values: Sequence[str]) -> CopyColumn:
    """A text column (each distinct value encoded to UTF-8 once)."""
    code_of = {value: code for code, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(code_of.__getitem__, values), np.intp, len(values))
    encoded = [value.encode() for value in code_of]
    lengths = np.fromiter(map(len, encoded), np.int32, len(encoded))
    widest = int(lengths.max()) if len(lengths) else 0
    return CopyColumn(np.array(encoded, f"S{max(widest, 1)}")[codes], lengths=lengths[codes])


def copy_tuples(columns: Sequence[CopyColumn]) -> bytes:
    """COPY BINARY tuple data (no header or trailer) of parallel columns."""
    count = len(columns[0].values)
    if count == 0:
        return b""
    fields: list[tuple[str, str]] = [("fields", ">i2")]
    widths: list[int] = []
    for index, column in enumerate(columns):
        width = int(column.lengths.max()) if column.lengths is not None else np.dtype(column.wire).itemsize
        widths.append(width)
        fields.append((f"length{index}", ">i4"))
        if width:
            fields.append((f"value{index}", column.wire or f"S{width}"))
    layout = np.dtype(fields)
    offsets = {name: field[1] for name, field in (layout.fields or {}).items()}
    tuples = np.empty(count, layout)
    tuples["fields"] = len(columns)
    dropped: list[tuple[int, int, npt.NDArray[np.bool_]]] = []  # (offset, width, the bytes of each row to keep)
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        if column.lengths is not None:
            tuples[f"length{index}"] = column.lengths
            if width and int(column.lengths.min()) < width:
                dropped.append((offsets[f"value{index}"], width, np.arange(width) < column.lengths[:, None]))
        else:
            null = column.null if column.null is not None and column.null.any() else None
            tuples[f"length{index}"] = width if null is None else np.where(null, -1, width)
            if null is not None:
                dropped.append((offsets[f"value{index}"], width, ~null[:, None]))
        if width:
            tuples[f"value{index}"] = column.values
    if not dropped:
        return tuples.tobytes()
    grid = tuples.view(np.uint8).reshape(count, layout.itemsize)
    keep = np.ones(grid.shape, bool)
    for offset, width, kept in dropped:
        keep[:, offset : offset + width] = kept
    return grid[keep].tobytes()


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
