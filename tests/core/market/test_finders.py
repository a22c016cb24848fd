"""Book walking, the hauling finder and the station-trading finder on hand-computed books."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.market.fees import DEFAULT_SCHEDULE, DEFAULT_SKILLS, FeeSchedule, TradeSkills, station_trade_margin
from core.market.finders import BookLevel, Fill, walk_fill
from core.market.finders_haul import HaulInput, haul_candidates
from core.market.finders_station import StationInput, StationRules, could_qualify, station_candidates
from core.market.quotes import quote_from_levels
from core.market.reads import TopOfBook

ZERO_SKILLS = TradeSkills(accounting=0, broker_relations=0)
HAUL_FEES = FeeSchedule(sales_tax_base=0.10)  # tax 10%, broker 3% with zero skills
STATION_FEES = FeeSchedule(sales_tax_base=0.05, broker_base=0.02)  # tax 5%, broker 2% with zero skills


def levels(*pairs: tuple[float, int]) -> list[BookLevel]:
    return [BookLevel(price, volume) for price, volume in pairs]


# ---- walk_fill


def test_walk_fill_consumes_the_best_levels_first_and_fills_partially() -> None:
    sells = levels((10.0, 5), (12.0, 5), (11.0, 5))  # unsorted on purpose
    assert walk_fill(sells, 8, ascending=True) == Fill(8, 83.0, 83.0 / 8, 11.0)
    assert walk_fill(sells, 100, ascending=True) == Fill(15, 165.0, 11.0, 12.0)  # book too shallow
    assert walk_fill(sells, 7, ascending=False) == Fill(7, 82.0, 82.0 / 7, 11.0)  # as buys: 5 @ 12 + 2 @ 11
    assert walk_fill(sells, 0, ascending=True) == Fill(0, 0.0, None, None)
    assert walk_fill([], 5, ascending=True) == Fill(0, 0.0, None, None)
    with pytest.raises(ValueError):
        BookLevel(0.0, 5)


# ---- hauling: A walks three chunks (5 @ 100 -> 200, 5 @ 100 -> 150, 10 @ 110 -> 150; then 150 -> 150 loses);
# B is one chunk of 100 units at 100 -> 160 (44 ISK a unit after 10% tax, 440 ISK/m3, 0.44 ISK per ISK).
ITEM_A = HaulInput(1, "A", 1.0, levels((100, 10), (110, 10), (150, 100)), levels((200, 5), (150, 20), (120, 100)))
ITEM_B = HaulInput(2, "B", 0.1, levels((100, 100)), levels((160, 100)))


def haul(items: list[HaulInput], **kwargs: object) -> dict[str, tuple[int, float, float]]:
    plans = haul_candidates(items, skills=ZERO_SKILLS, schedule=HAUL_FEES, **kwargs)  # type: ignore[arg-type]
    return {plan.name: (plan.quantity, round(plan.cost, 6), round(plan.profit, 6)) for plan in plans}


def test_haul_unconstrained_takes_every_profitable_unit() -> None:
    plans = haul_candidates(
        [ITEM_A, ITEM_B], cargo_m3=1000, budget_isk=1e6, skills=ZERO_SKILLS, schedule=HAUL_FEES, jumps=8
    )
    assert [plan.name for plan in plans] == ["B", "A"]  # by profit
    b, a = plans
    assert (a.quantity, a.cost, a.revenue) == (20, 2100.0, 3250.0)
    assert (a.sales_tax, a.profit, a.broker_fee) == pytest.approx((325.0, 825.0, 0.0))
    assert (a.roi, a.isk_per_m3, a.max_buy_price, a.min_sell_price) == pytest.approx((825 / 2100, 41.25, 110.0, 150.0))
    assert (b.quantity, b.volume_m3, b.profit, b.isk_per_m3) == pytest.approx((100, 10.0, 4400.0, 440.0))
    assert b.isk_per_jump == pytest.approx(550.0)


def test_haul_cargo_limited_ranks_by_isk_per_m3() -> None:
    # 15 m3 for 30 m3 wanted: B (440/m3) fills 10 m3, then A's best chunk (80/m3) fills the last 5 m3.
    assert haul([ITEM_A, ITEM_B], cargo_m3=15, budget_isk=1e6) == {"B": (100, 10000.0, 4400.0), "A": (5, 500.0, 400.0)}


def test_haul_budget_limited_ranks_by_profit_per_isk() -> None:
    # 5000 ISK for 12100 wanted: A's first chunk (0.8 per ISK) costs 500, B (0.44) gets the other 4500 = 45 units:
    # revenue 7200, tax 720, profit 1980; A's later chunks (0.35, 0.23) find no budget left.
    assert haul([ITEM_A, ITEM_B], cargo_m3=1000, budget_isk=5000) == {"B": (45, 4500.0, 1980.0), "A": (5, 500.0, 400.0)}


def test_haul_top_n_limits_the_items_opened() -> None:
    assert haul([ITEM_A, ITEM_B], cargo_m3=1000, budget_isk=1e6, top_n=1) == {"B": (100, 10000.0, 4400.0)}


def test_haul_order_mode_pays_the_broker_fee_and_caps_at_daily_volume() -> None:
    # sell order at 199.9; keep 87% per unit; 30 units (daily volume): revenue 5997, tax 599.7, broker 179.91.
    item = HaulInput(4, "D", 1.0, levels((100, 1000)), destination_best_sell=200.0, daily_volume=30)
    assert haul([item], cargo_m3=1000, budget_isk=1e6, sell_mode="order") == {"D": (30, 3000.0, 2217.39)}
    assert haul([replace(item, destination_best_sell=None)], cargo_m3=1000, budget_isk=1e6, sell_mode="order") == {}


def test_haul_great_top_of_book_but_negative_after_walking_and_fees_is_dropped() -> None:
    # Top of book: buy at 100, sell at 200 (+100%). The walk stops after 1 unit (the next source order is 1000),
    # and that unit's 199.9 - 19.99 tax - 100 ISK minimum broker fee - 100 cost = -20.09.
    item = HaulInput(3, "C", 1.0, levels((100, 1), (1000, 50)), destination_best_sell=200.0)
    assert haul([item], cargo_m3=1000, budget_isk=1e6, sell_mode="order") == {}


def test_haul_nothing_profitable_or_nothing_fits() -> None:
    losing = HaulInput(5, "E", 1.0, levels((100, 10)), levels((105, 10)))  # 105 x 0.9 < 100
    assert haul([losing], cargo_m3=1000, budget_isk=1e6) == {}
    assert haul([ITEM_A], cargo_m3=0.5, budget_isk=1e6) == {}
    assert haul([ITEM_A], cargo_m3=1000, budget_isk=99) == {}


# ---- station trading: bid 100.1, ask 119.9, 100 units a day (10% of 1000): broker 2.002 + 2.398, tax 5.995.
BUYS = levels((100.0, 3000), (99.5, 2000))
SELLS = levels((120.0, 3000), (121.0, 2000))
GOOD = StationInput(10, "Good", BUYS, SELLS, daily_volume=1000)


def station(items: list[StationInput], **kwargs: object) -> dict[str, float]:
    plans = station_candidates(items, skills=ZERO_SKILLS, schedule=STATION_FEES, **kwargs)  # type: ignore[arg-type]
    return {plan.name: round(plan.daily_profit, 6) for plan in plans}


def test_station_plan_figures() -> None:
    (plan,) = station_candidates([GOOD], skills=ZERO_SKILLS, schedule=STATION_FEES)
    assert (plan.margin.buy_order_price, plan.margin.sell_order_price) == (100.1, 119.9)
    assert plan.margin.profit == pytest.approx(9.405)
    assert plan.margin.margin_on_cost == pytest.approx(9.405 / 102.102)
    assert (plan.daily_units, plan.daily_profit) == pytest.approx((100.0, 940.5))
    assert (plan.buy_orders, plan.sell_orders, plan.depth, plan.outliers) == (2, 2, 5000, 0)


def test_station_bait_buy_order_is_ignored() -> None:
    baited = replace(GOOD, name="Baited", buys=[*BUYS, BookLevel(0.01, 1000)])
    (plan,) = station_candidates([baited], skills=ZERO_SKILLS, schedule=STATION_FEES)
    assert (plan.buy_orders, plan.outliers, plan.daily_profit) == pytest.approx((2, 1, 940.5))
    # the bait cannot make a one-order buy side look like a two-order book
    assert station([replace(GOOD, buys=levels((100.0, 5000), (0.01, 1000)))]) == {}
    # a book of bait buys alone shows a 100x "margin": max_margin rejects it
    bait_only = replace(GOOD, buys=levels((0.01, 1_000_000), (0.01, 500_000)))
    assert station([bait_only]) == {}
    assert "Good" in station([bait_only], max_margin=1e9)


def test_station_scam_sell_order_is_ignored() -> None:
    scammed = replace(GOOD, sells=[*SELLS, BookLevel(12_000.0, 1)])  # 100x the real price
    (plan,) = station_candidates([scammed], skills=ZERO_SKILLS, schedule=STATION_FEES)
    assert (plan.sell_orders, plan.outliers, plan.daily_profit) == pytest.approx((2, 1, 940.5))
    assert station([replace(GOOD, sells=levels((12_000.0, 100), (12_000.0, 100)))]) == {}


def test_station_thin_books_blueprint_copies_and_low_volume_are_skipped() -> None:
    assert station([replace(GOOD, sells=levels((120.0, 3), (121.0, 4)))]) == {}  # 7 units near the top < 10
    assert station([replace(GOOD, sells=levels((120.0, 5000)))]) == {}  # one sell order < 2
    assert station([replace(GOOD, sells=levels((120.0, 5000)))], rules=StationRules(min_orders=1)) != {}
    assert station([replace(GOOD, is_blueprint_copy=True)]) == {}
    assert station([replace(GOOD, daily_volume=50)], min_daily_volume=100) == {}
    # without history: 10% of the 5000-unit depth = 500 units a day
    assert station([replace(GOOD, daily_volume=None)], min_daily_volume=100) == {"Good": pytest.approx(500 * 9.40500)}


def test_station_great_spread_but_negative_after_fees_is_not_recommended() -> None:
    # 10 -> 20 ISK looks like +100%, and per-unit rates alone leave a profit, but 5 trades a day means orders of
    # one unit that each pay the 100 ISK broker minimum.
    trickle = StationInput(11, "Trickle", levels((10.0, 100), (9.9, 100)), levels((20.0, 100), (20.5, 100)), 5)
    assert station_trade_margin(10.0, 20.0, ZERO_SKILLS, STATION_FEES).profit > 0
    assert station([trickle]) == {}


def test_station_margin_bounds_and_ranking() -> None:
    small = replace(GOOD, name="Small", daily_volume=500)
    assert list(station([small, GOOD])) == ["Good", "Small"]
    assert list(station([small, GOOD], top_n=1)) == ["Good"]
    assert station([GOOD], min_margin=0.10) == {}  # 9.2%
    assert station([GOOD], max_margin=0.09) == {}


def book_side(usual: tuple[float, float], outlier: float) -> st.SearchStrategy[list[tuple[float, int]]]:
    """Price multipliers of a base price (mostly `usual`, sometimes a bait/scam `outlier`) with volumes."""
    multiplier = st.one_of(st.floats(*usual), st.just(outlier))
    return st.lists(st.tuples(multiplier, st.integers(min_value=0, max_value=500)), max_size=8)


@settings(max_examples=400, deadline=None)
@given(
    base=st.floats(min_value=0.01, max_value=1e6),
    buys=book_side((0.6, 1.0), 0.01),
    sells=book_side((1.0, 1.6), 40.0),
    min_margin=st.sampled_from([0.0, 0.05, 0.2]),
)
def test_the_quote_pre_check_never_drops_an_item_the_finder_keeps(
    base: float, buys: list[tuple[float, int]], sells: list[tuple[float, int]], min_margin: float
) -> None:
    # Books around a base price with bait buys and scam sells: about a third of them the finder keeps.
    buy_levels = sorted((BookLevel(base * m, v) for m, v in buys if v > 0), key=lambda level: -level.price)
    sell_levels = sorted((BookLevel(base * m, v) for m, v in sells if v > 0), key=lambda level: level.price)
    kept = station_candidates([StationInput(1, "Item", buy_levels, sell_levels)], min_margin=min_margin, max_margin=1e9)
    quote = quote_from_levels(1, 2, 1, buy_levels, sell_levels, datetime(2026, 11, 26, tzinfo=UTC))
    top = TopOfBook.of(quote) if quote is not None else TopOfBook(None, None, 0, 0, 0, 0)
    assert could_qualify(top, DEFAULT_SKILLS, DEFAULT_SCHEDULE, min_margin) or not kept


def test_the_quote_pre_check_drops_thin_and_marginless_books() -> None:
    deep = TopOfBook(4.0, 5.0, buy_orders=5, sell_orders=5, buy_depth=1000, sell_depth=1000)
    assert could_qualify(deep, DEFAULT_SKILLS, DEFAULT_SCHEDULE, 0.05)
    assert not could_qualify(deep._replace(sell_orders=1), DEFAULT_SKILLS, DEFAULT_SCHEDULE, 0.05)
    assert not could_qualify(deep._replace(buy_depth=9), DEFAULT_SKILLS, DEFAULT_SCHEDULE, 0.05)
    assert not could_qualify(deep._replace(best_sell=4.01), DEFAULT_SKILLS, DEFAULT_SCHEDULE, 0.05)
    assert not could_qualify(deep._replace(best_buy=None), DEFAULT_SKILLS, DEFAULT_SCHEDULE, 0.05)
