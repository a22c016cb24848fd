"""Quote maths of core/market/quotes.py on hand-computed books."""

from __future__ import annotations

import pytest

from core.market.quotes import SideStats, side_stats


def assert_side(stats: SideStats | None, *want: float) -> None:
    """Exact best, volume, orders, depth and percentile; top-5% average to floating-point precision."""
    assert stats is not None
    assert (stats.best, stats.volume, stats.orders, stats.depth, stats.percentile) == want[:5]
    assert stats.top5_avg == pytest.approx(want[5], rel=1e-12)


SELLS = [(20.0, 800), (10.4, 100), (5.0, 1), (10.0, 99)]  # unsorted on purpose
BUYS = [(50.0, 900), (96.0, 40), (100.0, 10), (94.0, 50)]


def test_sell_side_walks_up_from_the_lowest_price() -> None:
    # total 1000; depth band 5.0 * 1.05 = 5.25 -> only the bait order; 1% = 10 units is first reached at 10.0;
    # top 5% = 50 units: 1 @ 5.0 + 49 @ 10.0 = 495 -> 9.9.
    stats = side_stats(SELLS, is_buy=False)
    assert_side(stats, 5.0, 1000, 4, 1, 10.0, 9.9)


def test_buy_side_walks_down_from_the_highest_price() -> None:
    # total 1000; band 100 * 0.95 = 95 -> 100 and 96 (depth 50); 1% = 10 units reached exactly by the best order;
    # top 5% = 50 units: 10 @ 100 + 40 @ 96 = 4840 -> 96.8.
    stats = side_stats(BUYS, is_buy=True)
    assert_side(stats, 100.0, 1000, 4, 50, 100.0, 96.8)


def test_top5_counts_only_the_part_of_the_boundary_order_that_fits() -> None:
    # total 100 -> top 5 units: 2 @ 10 + 3 of the 98 @ 20 = 80 -> 16.
    stats = side_stats([(10.0, 2), (20.0, 98)], is_buy=False)
    assert stats is not None
    assert stats.top5_avg == pytest.approx(16.0)
    assert stats.percentile == 10.0


def test_percentile_ignores_a_bait_order_below_one_percent() -> None:
    # total 10000 -> 1% = 100 units; the 1-unit bait at 1.0 cannot set the percentile.
    stats = side_stats([(1.0, 1), (50.0, 99), (60.0, 9900)], is_buy=False)
    assert stats is not None
    assert (stats.best, stats.percentile) == (1.0, 50.0)


def test_one_order_book() -> None:
    stats = side_stats([(7.5, 3)], is_buy=True)
    assert_side(stats, 7.5, 3, 1, 3, 7.5, 7.5)


def test_empty_side_and_zero_volume_orders() -> None:
    assert side_stats([], is_buy=False) is None
    assert side_stats([(10.0, 0)], is_buy=True) is None
    stats = side_stats([(10.0, 0), (12.0, 5)], is_buy=False)
    assert stats is not None
    assert (stats.best, stats.orders, stats.volume) == (12.0, 1, 5)


def test_depth_band_edge_is_inclusive() -> None:
    # 100 * (1 - 0.05) == 95.0 and 100 * (1 + 0.05) == 105.0 in binary floating point: both edges count.
    assert side_stats([(100.0, 1), (95.0, 2), (94.99, 4)], is_buy=True).depth == 3  # type: ignore[union-attr]
    assert side_stats([(100.0, 1), (105.0, 2), (105.01, 4)], is_buy=False).depth == 3  # type: ignore[union-attr]


def test_equal_prices_give_the_same_stats_in_any_order() -> None:
    book = [(10.0, 5), (10.0, 7), (11.0, 100), (10.0, 3)]
    assert side_stats(book, is_buy=False) == side_stats(list(reversed(book)), is_buy=False)
