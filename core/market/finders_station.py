"""Station-trading finder: outbid the buy side, undercut the sell side in one market, after outlier filtering.

Rules, in order (each either drops orders or skips the item):
1. blueprint copies are skipped: BPC orders are not comparable to BPO orders and are a classic scam;
2. when history gives a daily volume it must reach `min_daily_volume`;
3. bait buys: buy orders below `bait_ratio` (10%) of the buy side's 99th percentile are dropped; scam sells:
   sell orders above `scam_ratio` (10x) of the sell side's 1st percentile are dropped. The percentiles are
   volume-weighted (quotes.side_stats), so a tiny order at the top of the book cannot move them;
4. thin books are skipped: after filtering each side needs `min_orders` orders and `min_top_volume` units
   within 5% of its best price (quotes.py's depth);
5. expected daily units = min(`daily_share` x daily volume, depth of the thinner side); without history,
   `daily_share` x that depth (a guess, since resting volume is not traded volume);
6. we bid one tick over the best buy and ask one tick under the best sell; fees are charged on orders of one
   day's units, so the 100 ISK broker minimum bites on cheap, slow items. The margin on cost must be positive
   and lie within [min_margin, max_margin]: max_margin guards against too-good-to-be-true spreads between sides.
Score: expected daily profit = profit per unit x expected daily units; the best `top_n` come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.market.fees import DEFAULT_SCHEDULE, DEFAULT_SKILLS, FeeSchedule, Margin, TradeSkills, station_trade_margin
from core.market.finders import BookLevel
from core.market.quotes import SideStats, side_stats
from core.market.reads import TopOfBook


@dataclass(frozen=True)
class StationRules:
    """Outlier, thin-book and fill-share thresholds of the station finder (see the module docstring)."""

    bait_ratio: float = 0.1
    scam_ratio: float = 10.0
    min_orders: int = 2
    min_top_volume: int = 10
    daily_share: float = 0.1


DEFAULT_RULES = StationRules()


@dataclass(frozen=True)
class StationInput:
    """One type's book in one station: buy and sell levels, daily history volume, and whether it is a BPC."""

    type_id: int
    name: str
    buys: Sequence[BookLevel]
    sells: Sequence[BookLevel]
    daily_volume: float | None = None
    is_blueprint_copy: bool = False


@dataclass(frozen=True)
class StationPlan:
    """A station trade: our order prices and fees (margin), expected daily units and profit, the filtered book."""

    type_id: int
    name: str
    margin: Margin
    daily_units: float
    daily_profit: float
    buy_orders: int
    sell_orders: int
    depth: int
    outliers: int


def _side(levels: Sequence[BookLevel], *, is_buy: bool, ratio: float) -> tuple[SideStats | None, int]:
    """Stats of a side after dropping outliers relative to its percentile, and how many orders were dropped."""
    pairs = [(level.price, level.volume) for level in levels if level.volume > 0]
    stats = side_stats(pairs, is_buy=is_buy)
    if stats is None:
        return None, 0
    limit = ratio * stats.percentile
    kept = [(price, volume) for price, volume in pairs if (price >= limit if is_buy else price <= limit)]
    if len(kept) == len(pairs):
        return stats, 0  # nothing dropped: the stats stand
    return side_stats(kept, is_buy=is_buy), len(pairs) - len(kept)


def could_clear(
    buys: Sequence[BookLevel],
    sells: Sequence[BookLevel],
    skills: TradeSkills,
    schedule: FeeSchedule,
    min_margin: float,
) -> bool:
    """A cheap, exact pre-check: can this book clear `min_margin` at all, however many units are traded?

    The outlier rules only drop buys far below and sells far above the percentiles, never the best orders, so
    the best prices here are the ones _evaluate prices at; a huge quantity spreads the 100 ISK minimum broker
    fee to nothing, so this margin is an upper bound of the real one.
    """
    best_buy = max((level.price for level in buys if level.volume > 0), default=None)
    best_sell = min((level.price for level in sells if level.volume > 0), default=None)
    return could_clear_at(best_buy, best_sell, skills, schedule, min_margin)


def could_clear_at(
    best_buy: float | None, best_sell: float | None, skills: TradeSkills, schedule: FeeSchedule, min_margin: float
) -> bool:
    """could_clear from the best prices alone (e.g. a snapshot's quotes, before any book is read)."""
    if best_buy is None or best_sell is None or best_sell <= 0.01:
        return False
    bound = station_trade_margin(best_buy, best_sell, skills, schedule, quantity=1_000_000_000)
    return bound.profit > 0 and bound.margin_on_cost >= min_margin


def could_qualify(
    top: TopOfBook,
    skills: TradeSkills,
    schedule: FeeSchedule,
    min_margin: float,
    rules: StationRules = DEFAULT_RULES,
) -> bool:
    """A pre-check from the quote alone, before any book is read: False only for items the finder would reject.

    could_clear_at, and the thin-book rule (4) on the whole book: dropping outliers never removes orders near the
    best price, so the depth stays and the order counts can only fall.
    """
    orders, depth = min(top.buy_orders, top.sell_orders), min(top.buy_depth, top.sell_depth)
    if orders < rules.min_orders or depth < rules.min_top_volume:
        return False
    return could_clear_at(top.best_buy, top.best_sell, skills, schedule, min_margin)


def _evaluate(
    item: StationInput, skills: TradeSkills, schedule: FeeSchedule, rules: StationRules, margins: tuple[float, float]
) -> StationPlan | None:
    """The plan for one item, or None when a rule of the module docstring rejects it."""
    if not could_clear(item.buys, item.sells, skills, schedule, margins[0]):
        return None
    buys, bait = _side(item.buys, is_buy=True, ratio=rules.bait_ratio)
    sells, scam = _side(item.sells, is_buy=False, ratio=rules.scam_ratio)
    if buys is None or sells is None or min(buys.orders, sells.orders) < rules.min_orders:
        return None
    depth = min(buys.depth, sells.depth)
    if depth < rules.min_top_volume:
        return None
    units = min(rules.daily_share * (depth if item.daily_volume is None else item.daily_volume), float(depth))
    if units <= 0 or sells.best <= 0.01:
        return None
    margin = station_trade_margin(buys.best, sells.best, skills, schedule, quantity=max(1, int(units)))
    if margin.profit <= 0 or not margins[0] <= margin.margin_on_cost <= margins[1]:
        return None
    return StationPlan(
        item.type_id, item.name, margin, units, margin.profit * units, buys.orders, sells.orders, depth, bait + scam
    )


def station_candidates(
    items: Sequence[StationInput],
    *,
    skills: TradeSkills = DEFAULT_SKILLS,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
    min_margin: float = 0.05,
    max_margin: float = 1.0,
    min_daily_volume: float = 0.0,
    top_n: int = 10,
    rules: StationRules = DEFAULT_RULES,
) -> list[StationPlan]:
    """The best station trades by expected daily profit, after the rules of the module docstring."""
    plans = [
        plan
        for item in items
        if not item.is_blueprint_copy
        and (item.daily_volume is None or item.daily_volume >= min_daily_volume)
        and (plan := _evaluate(item, skills, schedule, rules, (min_margin, max_margin))) is not None
    ]
    return sorted(plans, key=lambda plan: plan.daily_profit, reverse=True)[:top_n]
