"""PostgreSQL COPY BINARY data from numpy columns: every tuple laid out at once, then NULL values and text padding
dropped in one pass (the output keeps the rows' order), instead of encoding value by value."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
