"""Summary statistics of a type's daily market history: medians, volume, trend, volatility, last day."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from core.market.model import HistoryRow


@dataclass(frozen=True)
class HistoryStats:
    """What the history says about a type; windows are calendar days ending the day before `today`."""

    median_5d: float | None
    median_30d: float | None
    avg_volume_30d: float
    trend_7d_pct: float | None
    volatility_30d: float | None
    last_day: date
    last_average: float
    last_low: float
    last_high: float
    last_volume: int
    days_of_data: int

    @property
    def last_range_pct(self) -> float | None:
        """The last day's high-low spread as a percentage of its low (None when the low is zero)."""
        return (self.last_high - self.last_low) / self.last_low * 100 if self.last_low > 0 else None


def moving_average(values: Sequence[float], window: int) -> list[float | None]:
    """Trailing mean over `window` items; None where fewer than `window` items precede (inclusive)."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    out: list[float | None] = []
    total = 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        out.append(total / window if i >= window - 1 else None)
    return out


def _window(rows: Sequence[HistoryRow], today: date, days: int, skip: int = 0) -> list[HistoryRow]:
    """Rows in the `days` calendar days ending `skip` days before yesterday, oldest first."""
    last = today - timedelta(days=1 + skip)
    first = last - timedelta(days=days - 1)
    return [row for row in rows if first <= row.day <= last]


def _median(rows: Sequence[HistoryRow]) -> float | None:
    return statistics.median(row.average for row in rows) if rows else None


def _vwap(rows: Sequence[HistoryRow]) -> float | None:
    volume = sum(row.volume for row in rows)
    return sum(row.average * row.volume for row in rows) / volume if volume > 0 else None


def _volatility(rows: Sequence[HistoryRow]) -> float | None:
    """Sample std-dev of log returns between consecutive rows present (gaps are bridged, not zero-filled)."""
    prices = [row.average for row in rows if row.average > 0]
    returns = [math.log(b / a) for a, b in pairwise(prices)]
    if len(returns) < 2:
        return None
    # in floats (fsum keeps it exact to rounding): statistics.stdev works in exact fractions, 20x slower per /price
    mean = math.fsum(returns) / len(returns)
    return math.sqrt(math.fsum((r - mean) ** 2 for r in returns) / (len(returns) - 1))


def history_stats(rows: Sequence[HistoryRow], today: date) -> HistoryStats | None:
    """Summarise the history strictly before `today`; None when there is none."""
    by_day = {row.day: row for row in rows if row.day < today}  # a repeated day keeps its last row
    if not by_day:
        return None
    past = [by_day[day] for day in sorted(by_day)]
    last = past[-1]
    recent, previous = _vwap(_window(past, today, 7)), _vwap(_window(past, today, 7, skip=7))
    trend = (recent - previous) / previous * 100 if recent is not None and previous else None
    month = _window(past, today, 30)
    return HistoryStats(
        median_5d=_median(_window(past, today, 5)),
        median_30d=_median(month),
        avg_volume_30d=sum(row.volume for row in month) / 30,
        trend_7d_pct=trend,
        volatility_30d=_volatility(month),
        last_day=last.day,
        last_average=last.average,
        last_low=last.lowest,
        last_high=last.highest,
        last_volume=last.volume,
        days_of_data=len(past),
    )
