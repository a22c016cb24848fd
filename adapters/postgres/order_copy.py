"""Order rows as PostgreSQL COPY BINARY data, encoded a column at a time with numpy instead of value by value."""

from __future__ import annotations

import struct
from functools import lru_cache

import numpy as np

from core.market.order_page import OrderPage
from core.market.orders import ORDER_COLUMNS

COPY_HEADER: bytes = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
COPY_TRAILER: bytes = struct.pack("!h", -1)

# Each column's wire type; `range` (text) is laid out per call, at the longest value's width.
_WIRE = dict(
    zip(
        (name for name in ORDER_COLUMNS if name != "range"),
        (">i8", ">i4", ">i8", ">i4", "?", ">f8", ">i4", ">i4", ">i4", ">i4", ">i8"),
        strict=True,
    )
)
_NUMERIC = tuple(name for name in _WIRE if name not in ("system_id", "issued"))
_PG_EPOCH_US = 946_684_800 * 10**6  # timestamptz counts microseconds from 2000-01-01 UTC


@lru_cache(maxsize=64)
def _wire_tuple(range_width: int) -> tuple[np.dtype[np.void], np.ndarray]:
    """The packed dtype of one tuple with system_id present and `range` padded to `range_width` bytes, and its bytes
    with the field count and the fixed lengths filled in."""
    fields: list[tuple[str, str]] = [("field_count", ">i2")]
    for name in ORDER_COLUMNS:
        fields.append((f"{name}_length", ">i4"))
        if name != "range":
            fields.append((name, _WIRE[name]))
    if range_width:
        fields.append(("range", f"S{range_width}"))
    layout = np.dtype(fields)
    template = np.zeros(1, layout)
    template["field_count"] = len(ORDER_COLUMNS)
    for name, wire in _WIRE.items():
        template[f"{name}_length"] = np.dtype(wire).itemsize
    bytes_ = template.view(np.uint8)
    bytes_.flags.writeable = False
    return layout, bytes_


def _ranges(column: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `range` as UTF-8 padded to the longest, and its byte length."""
    code_of = {value: code for code, value in enumerate(dict.fromkeys(column))}
    codes = np.fromiter(map(code_of.__getitem__, column), np.intp, len(column))
    values = [value.encode() for value in code_of]
    lengths = np.fromiter(map(len, values), np.int32, len(values))
    return np.array(values, f"S{max(lengths.max(), 1)}")[codes], lengths[codes]


def encode_orders(page: OrderPage) -> bytes:
    """COPY BINARY tuple data (no header/trailer) of a page's orders in ORDER_COLUMNS order, vectorised with numpy.

    Every tuple is first laid out at the widest shape (system_id present, `range` padded to the longest value), then
    the bytes of NULL system_ids and of the padding are dropped in one pass, so the output keeps the page's order.
    """
    count = len(page)
    if not count:
        return b""
    ranges, range_lengths = _ranges(page.range)
    range_width = int(range_lengths.max())
    layout, template = _wire_tuple(range_width)
    tuples = np.empty(count, layout)
    grid = tuples.view(np.uint8).reshape(count, layout.itemsize)
    grid[:] = template
    for name in _NUMERIC:
        tuples[name] = getattr(page, name)
    null = page.system_null
    tuples["system_id"] = page.system_id
    tuples["system_id_length"] = np.where(null, -1, 4)
    tuples["issued"] = page.issued_us - _PG_EPOCH_US
    tuples["range_length"] = range_lengths
    if range_width:
        tuples["range"] = ranges
    if not null.any() and range_lengths.min() == range_width:
        return tuples.tobytes()
    keep = np.ones(grid.shape, bool)
    system_id_at = layout.fields["system_id"][1]  # type: ignore[index]
    keep[null, system_id_at : system_id_at + 4] = False
    keep[:, layout.itemsize - range_width :] = np.arange(range_width) < range_lengths[:, None]
    return grid[keep].tobytes()
