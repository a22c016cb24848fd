"""Tests of history statistics on small hand-computed series: gaps, a single day, nothing at all."""

from __future__ import annotations

import math
from datetime import date

import pytest

from core.market.history_stats import history_stats, moving_average
from core.market.model import HistoryRow

TODAY = date(2025, 1, 31)


def row(
    day: date, average: float, volume: int = 100, low: float | None = None, high: float | None = None
) -> HistoryRow:
    return HistoryRow(
        day, average, high if high is not None else average, low if low is not None else average, volume, 1
    )


def test_no_rows_or_only_today_and_later_give_none():
    assert history_stats([], TODAY) is None
    assert history_stats([row(TODAY, 5.0), row(date(2025, 2, 3), 5.0)], TODAY) is None


def test_single_day_yesterday():
    stats = history_stats([row(date(2025, 1, 30), 5.0, volume=3000, low=4.0, high=6.0)], TODAY)
    assert stats is not None
    assert stats.median_5d == stats.median_30d == 5.0
    assert stats.avg_volume_30d == 100.0  # 3000 over 30 calendar days, missing days as zero
    assert stats.trend_7d_pct is None  # nothing in the previous week
    assert stats.volatility_30d is None
    assert (stats.last_day, stats.last_low, stats.last_high, stats.last_volume) == (date(2025, 1, 30), 4.0, 6.0, 3000)
    assert stats.last_range_pct == pytest.approx(50.0)
    assert stats.days_of_data == 1


def test_series_with_gaps():
    rows = [
        row(date(2024, 12, 1), 100.0, volume=999),  # outside every window, still a day of data
        row(date(2025, 1, 18), 9.0),
        row(date(2025, 1, 20), 8.0),
        row(date(2025, 1, 28), 12.0, volume=300),
        row(date(2025, 1, 30), 10.0),
    ]
    stats = history_stats(list(reversed(rows)), TODAY)  # order of input does not matter
    assert stats is not None
    assert stats.median_5d == 11.0  # Jan 26-30: 12, 10
    assert stats.median_30d == 9.5  # Jan 1-30: 9, 8, 12, 10
    assert stats.avg_volume_30d == 20.0  # 600 / 30
    # VWAP Jan 24-30 = (12*300 + 10*100) / 400 = 11.5; Jan 17-23 = (9 + 8) / 2 = 8.5
    assert stats.trend_7d_pct == pytest.approx((11.5 - 8.5) / 8.5 * 100)
    returns = [math.log(8 / 9), math.log(12 / 8), math.log(10 / 12)]
    mean = sum(returns) / 3
    assert stats.volatility_30d == pytest.approx(math.sqrt(sum((r - mean) ** 2 for r in returns) / 2))
    assert stats.last_day == date(2025, 1, 30)
    assert stats.days_of_data == 5


def test_windows_empty_when_data_is_stale():
    stats = history_stats([row(date(2024, 11, 1), 5.0), row(date(2024, 11, 2), 6.0)], TODAY)
    assert stats is not None
    assert (stats.median_5d, stats.median_30d, stats.trend_7d_pct, stats.volatility_30d) == (None, None, None, None)
    assert stats.avg_volume_30d == 0.0
    assert stats.last_average == 6.0


def test_flat_prices_have_zero_volatility_and_trend():
    stats = history_stats([row(date(2025, 1, d), 4.0) for d in range(10, 31)], TODAY)
    assert stats is not None
    assert stats.volatility_30d == 0.0
    assert stats.trend_7d_pct == 0.0


def test_zero_volume_week_gives_no_trend_and_repeated_day_keeps_last():
    rows = [row(date(2025, 1, 20), 8.0, volume=0), row(date(2025, 1, 29), 9.0), row(date(2025, 1, 29), 11.0)]
    stats = history_stats(rows, TODAY)
    assert stats is not None
    assert stats.trend_7d_pct is None
    assert stats.median_5d == 11.0
    assert stats.days_of_data == 2


def test_zero_low_has_no_range_pct():
    stats = history_stats([row(date(2025, 1, 30), 1.0, low=0.0, high=2.0)], TODAY)
    assert stats is not None and stats.last_range_pct is None


def test_moving_average():
    assert moving_average([1.0, 2.0, 3.0, 4.0], 2) == [None, 1.5, 2.5, 3.5]
    assert moving_average([1.0, 2.0], 1) == [1.0, 2.0]
    assert moving_average([1.0, 2.0], 3) == [None, None]
    assert moving_average([], 7) == []
    with pytest.raises(ValueError):
        moving_average([1.0], 0)
