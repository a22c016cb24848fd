"""Quotes of every (location, type) of a whole book at once, vectorised with numpy while a snapshot is staged.

The definitions are core/market/quotes.py's (tests hold the two to the same books). The book is sorted once by
(location, type, side, price ascending); a buy side is walked from its end, so its running volume is the suffix sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from core.market.model import Quote
from core.market.order_page import OrderPage
from core.market.quotes import DEPTH_BAND, PERCENTILE_SHARE, TOP_SHARE

QUOTED_COLUMNS = ("location_id", "type_id", "is_buy_order", "price", "volume_remain")
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class BookColumns:
    """The columns the quotes need (location, type, side, price, volume), gathered page by page."""

    def __init__(self) -> None:
        self._columns: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in QUOTED_COLUMNS}

    def add(self, page: OrderPage) -> None:
        """Keep a page's quoted columns (the arrays themselves: nothing is copied until the quotes are computed)."""
        for name, arrays in self._columns.items():
            arrays.append(getattr(page, name))

    def quotes(self) -> BookQuotes:
        """The quotes of every (location, type) with an order of positive volume."""
        location, type_id, is_buy, price, volume = (
            np.concatenate(arrays) if arrays else np.empty(0) for arrays in self._columns.values()
        )
        return book_quotes(
            location.astype(np.int64, copy=False),
            type_id.astype(np.int64, copy=False),
            is_buy.astype(np.bool_, copy=False),
            price.astype(np.float64, copy=False),
            volume.astype(np.float64),
        )


@dataclass(frozen=True)
class BookQuotes:
    """One row per (location, type): the columns of Quote after region_id (NaN where a side is empty)."""

    location_id: Ints
    type_id: Ints
    best_buy: Floats
    best_sell: Floats
    buy_volume: Ints
    sell_volume: Ints
    buy_orders: Ints
    sell_orders: Ints
    buy_depth: Ints
    sell_depth: Ints
    buy_percentile: Floats
    sell_percentile: Floats
    buy_top5_avg: Floats
    sell_top5_avg: Floats

    def __len__(self) -> int:
        return len(self.location_id)

    def rows(
        self, region_id: int, as_of: datetime, where: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[Any, ...]]:
        """Rows in Quote's field order (None for an empty side), optionally only those `where` selects."""
        columns: list[list[Any]] = []
        for array in (getattr(self, name) for name in self.__dataclass_fields__):
            values = (array if where is None else array[where]).tolist()
            columns.append([None if v != v else v for v in values] if array.dtype.kind == "f" else values)
        count = len(columns[0])
        return list(zip([region_id] * count, *columns, [as_of] * count, strict=True))

    def at(self, region_id: int, location_id: int, as_of: datetime) -> list[Quote]:
        """The quotes of one location, ordered by type."""
        return [Quote(*row) for row in self.rows(region_id, as_of, self.location_id == location_id)]


def book_quotes(
    location: Ints, type_id: Ints, is_buy: npt.NDArray[np.bool_], price: Floats, volume: Floats
) -> BookQuotes:
    """Quote every (location, type) of a book given as parallel columns; orders of no volume are left out."""
    live = volume > 0
    location, type_id, is_buy, price = location[live], type_id[live], is_buy[live], price[live]
    v = volume[live].astype(np.int64)
    order = _book_order(location, type_id, is_buy, price)
    location, type_id, is_buy, price, v = location[order], type_id[order], is_buy[order], price[order], v[order]
    n = len(v)
    if n == 0:
        none, nothing = np.empty(0, dtype=np.int64), np.empty(0)
        return _pair_sides(none, none, np.empty(0, dtype=bool), nothing, none, none, none, nothing, nothing)
    new_side = np.ones(n, dtype=bool)
    new_side[1:] = (location[1:] != location[:-1]) | (type_id[1:] != type_id[:-1]) | (is_buy[1:] != is_buy[:-1])
    starts = np.flatnonzero(new_side)
    ends = np.append(starts[1:], n) - 1
    counts = ends - starts + 1
    running = np.cumsum(v)
    total = running[ends] - running[starts] + v[starts]
    upto = running - np.repeat(running[starts] - v[starts], counts)  # volume up to and including the row, ascending
    side_buy = is_buy[starts]
    total_r = np.repeat(total, counts)
    walked = np.where(is_buy, total_r - upto + v, upto)  # volume from the best price down to and including the row
    best = np.where(side_buy, price[ends], price[starts])
    best_r = np.repeat(best, counts)
    in_band = np.where(is_buy, price >= best_r * (1 - DEPTH_BAND), price <= best_r * (1 + DEPTH_BAND))
    depth = np.add.reduceat(np.where(in_band, v, 0), starts)
    reached = walked >= PERCENTILE_SHARE * total_r
    percentile = np.where(
        side_buy,
        np.maximum.reduceat(np.where(reached, price, -np.inf), starts),
        np.minimum.reduceat(np.where(reached, price, np.inf), starts),
    )
    target_r = TOP_SHARE * total_r
    filled = price * np.clip(np.minimum(v, target_r - (walked - v)), 0.0, None)
    top5 = np.add.reduceat(filled, starts) / (TOP_SHARE * total)
    return _pair_sides(location[starts], type_id[starts], side_buy, best, total, counts, depth, percentile, top5)


def _book_order(location: Ints, type_id: Ints, is_buy: npt.NDArray[np.bool_], price: Floats) -> Ints:
    """Indices sorting the book by (location, type, side, price): one argsort of the four packed into an int64 (the
    location's place among the book's locations, the price's rank), twice as fast as lexsort's four stable passes."""
    n = len(price)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    locations, place = np.unique(location, return_inverse=True)
    kinds = int(type_id.max()) + 1
    if int(type_id.min()) < 0 or len(locations) * kinds * 2 * n >= 2**63:
        return np.lexsort((price, is_buy, type_id, location))
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(price)] = np.arange(n)
    return np.argsort(((place.astype(np.int64) * kinds + type_id) * 2 + is_buy) * n + rank)


def _pair_sides(
    location: Ints,
    type_id: Ints,
    side_buy: npt.NDArray[np.bool_],
    best: Floats,
    total: Ints,
    counts: Ints,
    depth: Ints,
    percentile: Floats,
    top5: Floats,
) -> BookQuotes:
    """Put each (location, type)'s sell side (sorted first) and buy side into one row."""
    new_pair = np.ones(len(location), dtype=bool)
    new_pair[1:] = (location[1:] != location[:-1]) | (type_id[1:] != type_id[:-1])
    pair = np.cumsum(new_pair) - 1
    pairs = int(pair[-1]) + 1 if len(pair) else 0
    buy, sell = pair[side_buy], pair[~side_buy]

    def spread(values: npt.NDArray[Any], fill: float) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        on_buy, on_sell = np.full(pairs, fill, dtype=values.dtype), np.full(pairs, fill, dtype=values.dtype)
        on_buy[buy], on_sell[sell] = values[side_buy], values[~side_buy]
        return on_buy, on_sell

    return BookQuotes(
        location[new_pair],
        type_id[new_pair],
        *spread(best, np.nan),
        *spread(total, 0),
        *spread(counts, 0),
        *spread(depth, 0),
        *spread(percentile, np.nan),
        *spread(top5, np.nan),
    )
