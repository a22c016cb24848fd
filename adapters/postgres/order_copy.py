"""Order rows as PostgreSQL COPY BINARY data, encoded a column at a time with numpy instead of value by value."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from operator import itemgetter

import numpy as np

from core.market.orders import ORDER_COLUMNS, OrderRow

COPY_HEADER: bytes = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
COPY_TRAILER: bytes = struct.pack("!h", -1)

# How numpy reads a row (objects where a column needs Python: NULLs, datetimes, text) and each column's wire type.
_ROW = np.dtype(
    list(zip(ORDER_COLUMNS, ("i8", "i4", "i8", "O", "?", "f8", "i4", "i4", "i4", "i4", "O", "O"), strict=True))
)
_WIRE = dict(  # `range` (text) is laid out per call, at the longest value's width
    zip(
        (name for name in ORDER_COLUMNS if name != "range"),
        (">i8", ">i4", ">i8", ">i4", "?", ">f8", ">i4", ">i4", ">i4", ">i4", ">i8"),
        strict=True,
    )
)
_NUMERIC = tuple(name for name in _WIRE if name not in ("system_id", "issued"))
_UNIX_SECONDS_AT_PG_EPOCH = 946_684_800.0  # timestamptz counts microseconds from 2000-01-01 UTC
# Below 2**32 Unix seconds (2106-02-07) a float timestamp still rounds back to its exact microsecond.
_EXACT_SECONDS = (0.0, 2.0**32)


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


def _read_rows(rows: Sequence[OrderRow]) -> np.ndarray:
    """The rows as one structured array; a value its column's type cannot hold raises ValueError naming the column."""
    try:
        return np.fromiter(rows, _ROW, len(rows))
    except OverflowError:
        pass
    for index, name in enumerate(ORDER_COLUMNS):
        if _ROW[name] != np.dtype(object):
            try:
                np.fromiter(map(itemgetter(index), rows), _ROW[name], len(rows))
            except OverflowError:
                raise ValueError(f"{name} out of range for its column ({_ROW[name].name})") from None
    raise AssertionError("a column overflowed, but none does on its own")


def _system_ids(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """system_id as int32 (0 where NULL) and its NULL mask."""
    null: np.ndarray = column == None  # noqa: E711 (elementwise on an object array)
    try:
        return np.where(null, 0, column).astype(np.int32), null
    except OverflowError:
        raise ValueError("system_id out of range for its column (int32)") from None


def _issued(column: np.ndarray) -> np.ndarray:
    """`issued` as timestamptz microseconds since 2000-01-01 UTC."""
    seconds = np.fromiter(map(datetime.timestamp, column), np.float64, len(column))
    if seconds.min() < _EXACT_SECONDS[0] or seconds.max() >= _EXACT_SECONDS[1]:
        raise ValueError("issued out of range (1970-01-01 to 2106-02-07 UTC)")
    return np.rint((seconds - _UNIX_SECONDS_AT_PG_EPOCH) * 1e6).astype(np.int64)


def _ranges(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `range` as UTF-8 padded to the longest, and its byte length."""
    code_of = {value: code for code, value in enumerate(dict.fromkeys(column))}
    codes = np.fromiter(map(code_of.__getitem__, column), np.intp, len(column))
    values = [value.encode() for value in code_of]
    lengths = np.fromiter(map(len, values), np.int32, len(values))
    return np.array(values, f"S{max(lengths.max(), 1)}")[codes], lengths[codes]


def encode_orders(rows: Sequence[OrderRow]) -> bytes:
    """COPY BINARY tuple data (no header/trailer) of `rows` in ORDER_COLUMNS order, vectorised with numpy.

    Every tuple is first laid out at the widest shape (system_id present, `range` padded to the longest value), then
    the bytes of NULL system_ids and of the padding are dropped in one pass, so the output keeps the input's order.
    A value out of its column's range raises ValueError naming the column.
    """
    if not rows:
        return b""
    table = _read_rows(rows)
    system_ids, null = _system_ids(table["system_id"])
    ranges, range_lengths = _ranges(table["range"])
    range_width = int(range_lengths.max())
    layout, template = _wire_tuple(range_width)
    tuples = np.empty(len(rows), layout)
    grid = tuples.view(np.uint8).reshape(len(rows), layout.itemsize)
    grid[:] = template
    for name in _NUMERIC:
        tuples[name] = table[name]
    tuples["system_id"] = system_ids
    tuples["system_id_length"] = np.where(null, -1, 4)
    tuples["issued"] = _issued(table["issued"])
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
