"""The values snapshot rules compare with their thresholds: margin after fees and volume versus its average."""

from __future__ import annotations

from dataclasses import dataclass

from core.market.fees import DEFAULT_SCHEDULE, DEFAULT_SKILLS, FeeSchedule, TradeSkills, broker_fee_rate, sales_tax_rate

SPIKE_WINDOW_DAYS = 30  # the average is total volume over this many days before the latest day, / 30 (as history_stats)
SPIKE_MAX_AGE_DAYS = 2  # the latest history day must be at most this many days before the snapshot's date


@dataclass(frozen=True)
class FeeAssumption:
    """Fee rates assumed for margin alerts (default skills of core.market.fees: Accounting IV, Broker Relations IV)."""

    broker_rate: float
    sales_tax_rate: float


def fee_assumption(schedule: FeeSchedule = DEFAULT_SCHEDULE, skills: TradeSkills = DEFAULT_SKILLS) -> FeeAssumption:
    """The rates margin alerts assume under a fee schedule (the configured one: Settings.fee_schedule())."""
    return FeeAssumption(broker_rate=broker_fee_rate(skills, schedule), sales_tax_rate=sales_tax_rate(skills, schedule))


DEFAULT_FEES = fee_assumption()


def margin_pct(best_buy: float | None, best_sell: float | None, fees: FeeAssumption = DEFAULT_FEES) -> float | None:
    """Percent profit on cost of buying at the best buy and selling at the best sell, after fees.

    Cost is the buy price plus its broker fee; proceeds are the sell price less broker fee and sales tax.
    The one-tick step of station_trade_margin is left out (under 0.1% on the 4-significant-digit grid).
    """
    if best_buy is None or best_sell is None or best_buy <= 0:
        return None
    cost = best_buy * (1 + fees.broker_rate)
    proceeds = best_sell * (1 - fees.broker_rate - fees.sales_tax_rate)
    return (proceeds - cost) / cost * 100


def volume_ratio(latest_volume: int, window_total: int) -> float | None:
    """The latest day's volume as a multiple of the average daily volume over the window (None when it is 0)."""
    average = window_total / SPIKE_WINDOW_DAYS
    return latest_volume / average if average > 0 else None
