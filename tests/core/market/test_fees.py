"""Fee formulas, the tick grid and station margins of core/market/fees.py, checked against hand-computed figures."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from core.market.fee_schedule import CCP_DEFAULTS, CCP_FEE_PARAMETERS
from core.market.fees import (
    FeeSchedule,
    TradeSkills,
    broker_fee,
    broker_fee_rate,
    next_tick_down,
    next_tick_up,
    relist_fee,
    sales_tax_rate,
    station_trade_margin,
    tick_size,
)
from evetrader.config import SettingsError, load_settings

NOVICE = TradeSkills(accounting=0, broker_relations=0)
EXPERT = TradeSkills(accounting=5, broker_relations=5, advanced_broker_relations=5)


def test_default_skills_are_accounting_and_broker_relations_four() -> None:
    # 8% x (1 - 0.44) = 4.48%; 3% - 1.2% = 1.8%.
    assert sales_tax_rate() == pytest.approx(0.0448)
    assert broker_fee_rate() == pytest.approx(0.018)


def test_sales_tax_at_accounting_zero_and_five() -> None:
    assert sales_tax_rate(NOVICE) == pytest.approx(0.08)
    assert sales_tax_rate(EXPERT) == pytest.approx(0.036)  # CCP: 8% down to 3.6% at Accounting V
    assert sales_tax_rate(EXPERT, FeeSchedule(sales_tax_base=0.075)) == pytest.approx(0.03375)


def test_broker_rate_at_levels_zero_and_five_with_standings_and_floor() -> None:
    assert broker_fee_rate(NOVICE) == pytest.approx(0.03)
    assert broker_fee_rate(EXPERT) == pytest.approx(0.015)
    # 3% - 1.5% - 0.03% x 5 - 0.02% x 5 = 1.25%
    assert broker_fee_rate(TradeSkills(broker_relations=5, faction_standing=5, corp_standing=5)) == pytest.approx(
        0.0125
    )
    # 1.5% - 0.3% - 0.2% = 1.0% exactly at the floor; more standing cannot go lower
    assert broker_fee_rate(TradeSkills(broker_relations=5, faction_standing=10, corp_standing=10)) == pytest.approx(
        0.01
    )
    assert (
        broker_fee_rate(
            TradeSkills(broker_relations=5, faction_standing=10, corp_standing=10), FeeSchedule(broker_floor=0.012)
        )
        == 0.012
    )
    # negative standings enter the formula as given: 3% + 0.03% x 10 = 3.3%
    assert broker_fee_rate(TradeSkills(broker_relations=0, faction_standing=-10)) == pytest.approx(0.033)
    # an Upwell owner's rate applies as set, plus the SCC surcharge of 0.5%; skills and standings do not
    assert broker_fee_rate(EXPERT, FeeSchedule(structure_broker_rate=0.01)) == pytest.approx(0.015)
    assert broker_fee_rate(NOVICE, FeeSchedule(structure_broker_rate=0.01, scc_surcharge=0.0)) == 0.01


def test_broker_fee_has_a_100_isk_minimum() -> None:
    assert broker_fee(1_000_000, NOVICE) == pytest.approx(30_000)
    assert broker_fee(1_000_000, EXPERT) == pytest.approx(15_000)
    assert broker_fee(3_000, NOVICE) == 100.0  # 3% would be 90 ISK
    assert broker_fee(0, EXPERT) == 100.0
    assert broker_fee(3_000, NOVICE, FeeSchedule(broker_min_isk=50)) == pytest.approx(90)
    with pytest.raises(ValueError):
        broker_fee(-1)


def test_relist_fee_examples() -> None:
    # default BR 1.8%, ABR 0 -> RD 50%: raise 1.0M -> 1.1M = 1,800 + 0.5 x 0.018 x 1.1M = 11,700
    assert relist_fee(1_000_000, 1_100_000) == pytest.approx(11_700)
    # lowering the price: no difference term, 0.5 x 0.018 x 900k = 8,100
    assert relist_fee(1_000_000, 900_000) == pytest.approx(8_100)
    # ABR V -> RD 80%, BR V -> 1.5%: 0.015 x 100k + 0.2 x 0.015 x 1.1M = 1,500 + 3,300
    assert relist_fee(1_000_000, 1_100_000, EXPERT) == pytest.approx(4_800)
    # ABR 0, BR 0 -> 3%: 0 + 0.5 x 0.03 x 1M
    assert relist_fee(1_000_000, 1_000_000, NOVICE) == pytest.approx(15_000)
    assert relist_fee(1_000, 1_100) == 100.0  # 11.7 ISK -> the minimum


def test_invalid_skills_are_rejected() -> None:
    bad_skills: list[dict[str, float]] = [
        {"accounting": 6},
        {"broker_relations": -1},
        {"advanced_broker_relations": 2.5},
        {"faction_standing": 10.5},
        {"corp_standing": -11.0},
    ]
    for bad in bad_skills:
        with pytest.raises(ValueError):
            TradeSkills(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("price", "tick"),
    [(4.52, 0.01), (0.5, 0.01), (99.99, 0.01), (123.4, 0.1), (1234.5, 1.0), (1000.0, 1.0), (999.0, 0.1),
     (12_345_678.0, 10_000.0), (1e9, 1e6)],
)  # fmt: skip
def test_tick_size_on_the_four_significant_digit_grid(price: float, tick: float) -> None:
    assert tick_size(price) == pytest.approx(tick)


def test_next_ticks() -> None:
    assert next_tick_up(4.52) == 4.53
    assert next_tick_down(4.52) == 4.51
    assert next_tick_up(1234.0) == 1235.0
    assert next_tick_up(1234.5) == 1235.0  # off-grid price rounds up to the grid
    assert next_tick_down(1234.5) == 1234.0
    assert next_tick_up(9999.0) == 10_000.0
    assert next_tick_up(10_000.0) == 10_010.0
    assert next_tick_down(10_000.0) == 9_999.0  # below 10^4 the finer 1 ISK grid applies
    assert next_tick_down(100.0) == 99.99
    assert next_tick_down(12_345_678.0) == 12_340_000.0
    assert next_tick_up(12_340_000.0) == 12_350_000.0
    with pytest.raises(ValueError):
        next_tick_down(0.01)
    with pytest.raises(ValueError):
        tick_size(0.0)


def test_station_trade_margin_per_unit() -> None:
    # bid 100.1, ask 119.9; broker 3% on both, tax 8% on the sale
    margin = station_trade_margin(100.0, 120.0, NOVICE)
    assert (margin.buy_order_price, margin.sell_order_price) == (100.1, 119.9)
    assert margin.buy_broker_fee == pytest.approx(3.003)
    assert margin.sell_broker_fee == pytest.approx(3.597)
    assert margin.sales_tax == pytest.approx(9.592)
    assert margin.fees == pytest.approx(16.192)
    assert margin.profit == pytest.approx(119.9 - 100.1 - 16.192)
    assert margin.margin_on_cost == pytest.approx(3.608 / 103.103)


def test_station_trade_margin_spreads_the_broker_minimum_over_the_quantity() -> None:
    # 5 units at 10.01: a 50 ISK order pays the 100 ISK minimum = 20 ISK per unit, on each side
    margin = station_trade_margin(10.0, 20.0, NOVICE, quantity=5)
    assert margin.buy_broker_fee == pytest.approx(20.0)
    assert margin.sell_broker_fee == pytest.approx(20.0)
    assert margin.profit == pytest.approx(19.99 - 10.01 - 40.0 - 0.08 * 19.99)
    assert station_trade_margin(10.0, 20.0, NOVICE).profit > 0
    with pytest.raises(ValueError):
        station_trade_margin(10.0, 20.0, quantity=0)


def test_the_schedule_is_ccps_dated_table_and_refuses_inconsistent_overrides() -> None:
    assert FeeSchedule() == FeeSchedule(**CCP_DEFAULTS)
    for parameter in CCP_FEE_PARAMETERS:
        assert date.fromisoformat(parameter.effective + ("-01" if len(parameter.effective) == 7 else ""))
        assert parameter.source.startswith(("CCP", "Advanced Broker Relations"))
    assert {p.name for p in CCP_FEE_PARAMETERS} == {f.name for f in fields(FeeSchedule)} - {"structure_broker_rate"}
    for bad in (
        {"sales_tax_base": 1.5},
        {"broker_floor": 0.05},
        {"relist_discount_per_level": 0.2},
        {"broker_min_isk": -1},
    ):
        with pytest.raises(ValueError):
            FeeSchedule(**bad)


def test_settings_override_the_schedule_and_bad_values_are_refused() -> None:
    assert load_settings().fee_schedule() == FeeSchedule()
    schedule = load_settings(fee_sales_tax_base=0.075, fee_scc_surcharge=0.01).fee_schedule()
    assert schedule == FeeSchedule(sales_tax_base=0.075, scc_surcharge=0.01)
    assert sales_tax_rate(TradeSkills(accounting=5), schedule) == pytest.approx(0.03375)
    with pytest.raises(SettingsError, match="FEE_SALES_TAX_BASE"):
        load_settings(fee_sales_tax_base=1.5)
    with pytest.raises(SettingsError, match="broker_floor"):
        load_settings(fee_broker_floor=0.05)
