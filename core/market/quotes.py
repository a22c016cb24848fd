"""Quote maths on one side of a book: best price, volume, depth, volume-weighted percentile, top-5% average.

Definitions (core/market/book_quotes.py computes the same numbers for a whole book; tests hold both to the same books):
- a side is walked from its best price: sells ascending, buys descending;
- `percentile` is the price at which the cumulative volume first reaches 1% of the side's total volume
  (evepraisal's 1st percentile of sells / 99th percentile of buys), so one tiny bait order cannot set it;
- `top5_avg` is the volume-weighted average price of the best 5% of the side's volume, counting only the
  part of the boundary order that fits (Janice's "top 5% average");
- `depth` is the volume priced within 5% of the best price.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.market.model import Quote

PERCENTILE_SHARE = 0.01
TOP_SHARE = 0.05
DEPTH_BAND = 0.05


@dataclass(frozen=True)
class SideStats:
    """Statistics of the buy or the sell side of one (location, type) book."""

    best: float
    volume: int
    orders: int
    depth: int
    percentile: float
    top5_avg: float


def side_stats(orders: Iterable[tuple[float, int]], *, is_buy: bool) -> SideStats | None:
    """Compute SideStats from (price, volume_remain) pairs; None for an empty side."""
    book = sorted((o for o in orders if o[1] > 0), key=lambda o: o[0], reverse=is_buy)
    if not book:
        return None
    total = sum(volume for _, volume in book)
    best = book[0][0]
    limit = best * (1 - DEPTH_BAND) if is_buy else best * (1 + DEPTH_BAND)
    depth = sum(v for p, v in book if (p >= limit if is_buy else p <= limit))
    percentile_target = PERCENTILE_SHARE * total
    top_target = TOP_SHARE * total
    cumulative = 0
    percentile = book[-1][0]
    found = False
    weighted = 0.0
    for price, volume in book:
        before = cumulative
        cumulative += volume
        if not found and cumulative >= percentile_target:
            percentile, found = price, True
        weighted += price * max(0.0, min(float(volume), top_target - before))
    return SideStats(best, total, len(book), depth, percentile, weighted / top_target)


class _Level(Protocol):
    @property
    def price(self) -> float: ...
    @property
    def volume(self) -> int: ...


def quote_from_levels(
    region_id: int, location_id: int, type_id: int, buys: Sequence[_Level], sells: Sequence[_Level], as_of: datetime
) -> Quote | None:
    """A Quote computed in Python from book levels (markets with no stored quote, e.g. the global PLEX market)."""
    buy = side_stats(((level.price, level.volume) for level in buys), is_buy=True)
    sell = side_stats(((level.price, level.volume) for level in sells), is_buy=False)
    if buy is None and sell is None:
        return None
    return Quote(
        region_id,
        location_id,
        type_id,
        buy.best if buy else None,
        sell.best if sell else None,
        buy.volume if buy else 0,
        sell.volume if sell else 0,
        buy.orders if buy else 0,
        sell.orders if sell else 0,
        buy.depth if buy else 0,
        sell.depth if sell else 0,
        buy.percentile if buy else None,
        sell.percentile if sell else None,
        buy.top5_avg if buy else None,
        sell.top5_avg if sell else None,
        as_of,
    )
