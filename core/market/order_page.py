"""One ESI region-orders page as columns: decoded and type-checked by msgspec, then laid out as numpy arrays.

A page is validated whole before anything of it is kept: every field present with its JSON type, integers within
their database column's range, prices finite and not negative, `issued` an ISO 8601 time with a zone. The columns
are what the snapshot stage needs: the COPY encoder reads them as they are and the quotes keep five of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import attrgetter, is_, itemgetter
from typing import Annotated, Any

import msgspec
import numpy as np
import numpy.typing as npt

from core.market.orders import MalformedPage

Int32 = Annotated[int, msgspec.Meta(ge=-(2**31), le=2**31 - 1)]
Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
Price = Annotated[float, msgspec.Meta(ge=0)]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_ZULU_LENGTH = len("2026-11-20T10:11:12Z")


class _Order(msgspec.Struct, gc=False):
    """One order as ESI sends it (the database's column types; unknown fields are ignored)."""

    order_id: Int64
    type_id: Int32
    location_id: Int64
    is_buy_order: bool
    price: Price
    volume_remain: Int32
    volume_total: Int32
    duration: Int32
    issued: str
    range: str
    system_id: Int32 | None = None  # structures' orders may leave it out
    min_volume: Int32 = 1


_DECODER = msgspec.json.Decoder(list[_Order])
_INT_COLUMNS = {
    "order_id": np.int64,
    "type_id": np.int32,
    "location_id": np.int64,
    "volume_remain": np.int32,
    "volume_total": np.int32,
    "min_volume": np.int32,
    "duration": np.int32,
}


@dataclass(frozen=True)
class OrderPage:
    """A page of orders as parallel columns (ORDER_COLUMNS' values; `issued` in microseconds since 1970 UTC)."""

    order_id: npt.NDArray[np.int64]
    type_id: npt.NDArray[np.int32]
    location_id: npt.NDArray[np.int64]
    system_id: npt.NDArray[np.int32]  # 0 where system_null
    system_null: npt.NDArray[np.bool_]
    is_buy_order: npt.NDArray[np.bool_]
    price: npt.NDArray[np.float64]
    volume_remain: npt.NDArray[np.int32]
    volume_total: npt.NDArray[np.int32]
    min_volume: npt.NDArray[np.int32]
    duration: npt.NDArray[np.int32]
    issued_us: npt.NDArray[np.int64]
    range: list[str]

    def __len__(self) -> int:
        return len(self.order_id)


def parse_order_page(body: bytes, page: int) -> OrderPage:
    """Decode and validate one page body; raise MalformedPage naming the page and the first problem."""
    try:
        orders = _DECODER.decode(body)
    except msgspec.DecodeError as exc:  # ValidationError included: it says which field of which order
        raise MalformedPage(page, str(exc)) from None
    count = len(orders)

    def ints(name: str) -> Any:
        return np.fromiter(map(attrgetter(name), orders), _INT_COLUMNS[name], count)

    systems: list[int | None] = list(map(attrgetter("system_id"), orders))
    null = np.fromiter(map(is_, systems, [None] * count), np.bool_, count)
    if null.any():
        systems = [0 if value is None else value for value in systems]
    try:
        issued = _issued_us(list(map(attrgetter("issued"), orders)))
    except ValueError as exc:
        raise MalformedPage(page, f"issued: {exc}") from None
    return OrderPage(
        order_id=ints("order_id"),
        type_id=ints("type_id"),
        location_id=ints("location_id"),
        system_id=np.fromiter(systems, np.int32, count),
        system_null=null,
        is_buy_order=np.fromiter(map(attrgetter("is_buy_order"), orders), np.bool_, count),
        price=np.fromiter(map(attrgetter("price"), orders), np.float64, count),
        volume_remain=ints("volume_remain"),
        volume_total=ints("volume_total"),
        min_volume=ints("min_volume"),
        duration=ints("duration"),
        issued_us=issued,
        range=list(map(attrgetter("range"), orders)),
    )


def _issued_us(values: list[str]) -> npt.NDArray[np.int64]:
    """ISO 8601 times with a zone as microseconds since 1970 UTC: ESI's `...Z` form vectorised, any other one by one."""
    if values and set(map(len, values)) == {_ZULU_LENGTH} and set(map(itemgetter(-1), values)) == {"Z"}:
        try:  # numpy parses ISO 8601 without the zone; every value is UTC here
            return np.array(list(map(itemgetter(slice(0, -1)), values)), "datetime64[us]").view(np.int64)
        except ValueError:
            pass  # let the exact parser name the problem
    return np.fromiter(map(_microseconds, values), np.int64, len(values))


def _microseconds(value: str) -> int:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"no time zone in {value!r}")
    return (moment - _EPOCH) // _MICROSECOND
