"""Order-book primitives shared by the trade finders: book levels and walking one side of a book.

The finders themselves live in finders_haul.py (hauling between two markets) and finders_station.py
(station trading inside one market); both walk the whole book instead of trusting the top order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class BookLevel:
    """One price level (or one order) on a side of a book: price in ISK, volume in units, fewest units a fill takes.

    `min_volume` is a buy order's minimum volume: a sale into it must sell at least that many units, or all of
    its remaining units when fewer remain (the game's rule), see `smallest_fill`.
    """

    price: float
    volume: int
    min_volume: int = 1

    @property
    def smallest_fill(self) -> int:
        """The fewest units one fill of this level may take."""
        return max(1, min(self.min_volume, self.volume))

    def __post_init__(self) -> None:
        if not (math.isfinite(self.price) and self.price > 0):
            raise ValueError(f"price must be a positive number, got {self.price!r}")
        if self.volume < 0:
            raise ValueError(f"volume must not be negative, got {self.volume!r}")


class Fill(NamedTuple):
    """What taking up to a quantity from one side of a book gives: units, ISK, average and worst price."""

    filled_qty: int
    total_cost: float
    avg_price: float | None
    worst_price: float | None


def sorted_side(levels: Sequence[BookLevel], *, ascending: bool) -> list[BookLevel]:
    """The non-empty levels from the best price outwards: ascending for sells, descending for buys."""
    return sorted((level for level in levels if level.volume > 0), key=lambda level: level.price, reverse=not ascending)


def walk_fill(levels: Sequence[BookLevel], quantity: int, *, ascending: bool) -> Fill:
    """Consume up to `quantity` units from the best price outwards (sells: `ascending=True`, buys: False).

    The levels are sorted here, so callers may pass them in any order. A book shallower than `quantity`
    gives a partial fill; nothing filled gives None for the average and worst price. A level whose minimum
    volume exceeds what is left to fill is passed over (a buy order for 4 or more takes no single unit).
    """
    if quantity < 0:
        raise ValueError(f"quantity must not be negative, got {quantity!r}")
    filled, total, worst = 0, 0.0, None
    for level in sorted_side(levels, ascending=ascending):
        if filled >= quantity:
            break
        take = min(level.volume, quantity - filled)
        if take < level.smallest_fill:
            continue
        filled += take
        total += take * level.price
        worst = level.price
    return Fill(filled, total, total / filled if filled else None, worst)


def best_fillable(levels: Sequence[BookLevel], quantity: int, *, ascending: bool) -> float | None:
    """The best price of a level that accepts a fill of `quantity` units (at most its volume), or None."""
    prices = [lvl.price for lvl in levels if lvl.volume > 0 and min(quantity, lvl.volume) >= lvl.smallest_fill]
    if not prices or quantity <= 0:
        return None
    return min(prices) if ascending else max(prices)
