"""Hauling finder: buy from a source market's sell orders, sell at the destination, walking both books.

Rules:
- an item's books are walked together, cheapest source sell against best destination outlet, one chunk per
  pair of levels, while the marginal profit per unit after fees is positive (sales tax; in "order" mode also
  the broker rate of a sell order placed one tick under the destination's best sell);
- "immediate" mode sells into the destination buy orders: one wanting more units (min_volume) than the source
  and the hold can still supply is passed over, and a chunk taken into one must reach its minimum (conservative
  when an order takes units from several source levels); "order" mode lists a sell order and caps the
  quantity at one day of history volume when it is known;
- cargo and budget are shared (a knapsack). Heuristic: find which is scarcer (the m3 of every profitable unit
  that could be taken, i.e. whose item fits one unit in the hold and whose price fits the budget, over the cargo
  versus their cost over the budget), then take chunks of all items greedily by profit per m3 or
  per ISK. Marginal profit falls along each walk, so an item's chunks are taken in walk order;
- after allocation the order-mode broker fee (100 ISK minimum) is charged; unprofitable items are dropped.
  The budget covers purchases only. Plans come back by profit, at most `top_n` items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from core.market.fees import (
    DEFAULT_SCHEDULE,
    DEFAULT_SKILLS,
    FeeSchedule,
    TradeSkills,
    broker_fee,
    broker_fee_rate,
    next_tick_down,
    sales_tax_rate,
)
from core.market.finders import BookLevel, sorted_side

SellMode = Literal["immediate", "order"]
EPSILON = 1e-9


@dataclass(frozen=True)
class HaulInput:
    """One type's books for a haul: source sells, destination buys and best sell, and daily history volume."""

    type_id: int
    name: str
    volume_m3: float
    source_sells: Sequence[BookLevel]
    destination_buys: Sequence[BookLevel] = ()
    destination_best_sell: float | None = None
    daily_volume: float | None = None

    def __post_init__(self) -> None:
        if not self.volume_m3 > 0:
            raise ValueError(f"volume_m3 of {self.name} must be positive, got {self.volume_m3!r}")


@dataclass(frozen=True)
class HaulPlan:
    """What to haul of one type: units, m3, ISK in and out, fees, profit, and the price limits to respect."""

    type_id: int
    name: str
    quantity: int
    volume_m3: float
    cost: float
    revenue: float
    sales_tax: float
    broker_fee: float
    profit: float
    roi: float
    isk_per_m3: float
    isk_per_jump: float | None
    max_buy_price: float
    min_sell_price: float


class _Chunk(NamedTuple):
    """Units of one item bought at one source price and sold at one destination price."""

    item: int
    units: int
    buy_price: float
    sell_price: float
    unit_profit: float
    min_units: int = 1  # the destination buy order's minimum volume: a smaller sale into it is refused


def _chunks(index: int, item: HaulInput, mode: SellMode, keep: float, cargo_units: int) -> list[_Chunk]:
    """Walk an item's source sells against its destination outlets while each unit still makes a profit."""
    if mode == "immediate":
        outlets = sorted_side(item.destination_buys, ascending=False)
    elif item.destination_best_sell is None:
        return []
    else:
        cap = cargo_units if item.daily_volume is None else min(cargo_units, int(item.daily_volume))
        outlets = [BookLevel(next_tick_down(item.destination_best_sell), max(cap, 0))]
    sources = sorted_side(item.source_sells, ascending=True)
    chunks: list[_Chunk] = []
    i = j = used_source = used_outlet = 0
    supply = min(sum(level.volume for level in sources), cargo_units)  # units that could ever be hauled
    while i < len(sources) and j < len(outlets):
        buy, sell = sources[i], outlets[j]
        if used_outlet == 0 and sell.smallest_fill > supply:  # an order wanting more than can ever come
            j += 1
            continue
        unit_profit = sell.price * keep - buy.price
        take = min(buy.volume - used_source, sell.volume - used_outlet)
        if unit_profit <= 0 or take <= 0:
            break
        chunks.append(_Chunk(index, take, buy.price, sell.price, unit_profit, sell.smallest_fill))
        used_source, used_outlet, supply = used_source + take, used_outlet + take, supply - take
        if used_source == buy.volume:
            i, used_source = i + 1, 0
        if used_outlet == sell.volume:
            j, used_outlet = j + 1, 0
    return chunks


def haul_candidates(
    items: Sequence[HaulInput],
    *,
    cargo_m3: float,
    budget_isk: float,
    skills: TradeSkills = DEFAULT_SKILLS,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
    sell_mode: SellMode = "immediate",
    top_n: int = 10,
    jumps: int | None = None,
) -> list[HaulPlan]:
    """The most profitable haul plans under a shared cargo and budget (rules in the module docstring)."""
    tax = sales_tax_rate(skills, schedule)
    keep = 1 - tax - (broker_fee_rate(skills, schedule) if sell_mode == "order" else 0.0)
    chunks = [
        chunk
        for index, item in enumerate(items)
        for chunk in _chunks(index, item, sell_mode, keep, int(cargo_m3 / item.volume_m3 + EPSILON))
    ]
    # Only chunks of which one unit fits both the hold and the budget can be taken: the others (a freighter in a
    # 100k m3 hold) must not decide which of the two binds.
    takeable = [c for c in chunks if items[c.item].volume_m3 <= cargo_m3 + EPSILON and c.buy_price <= budget_isk]
    wanted_m3 = sum(c.units * items[c.item].volume_m3 for c in takeable)
    wanted_isk = sum(c.units * c.buy_price for c in takeable)
    if wanted_m3 / max(cargo_m3, EPSILON) >= wanted_isk / max(budget_isk, EPSILON):
        chunks.sort(key=lambda c: c.unit_profit / items[c.item].volume_m3, reverse=True)
    else:
        chunks.sort(key=lambda c: c.unit_profit / c.buy_price, reverse=True)
    taken: dict[int, list[tuple[int, _Chunk]]] = {}
    cargo_left, budget_left = cargo_m3, budget_isk
    for chunk in chunks:
        if chunk.item not in taken and len(taken) >= top_n:
            continue
        volume = items[chunk.item].volume_m3
        units = min(chunk.units, int(cargo_left / volume + EPSILON), int(budget_left / chunk.buy_price + EPSILON))
        if units > 0 and units >= chunk.min_units:
            taken.setdefault(chunk.item, []).append((units, chunk))
            cargo_left -= units * volume
            budget_left -= units * chunk.buy_price
    plans = [_plan(items[index], parts, sell_mode, tax, skills, schedule, jumps) for index, parts in taken.items()]
    return sorted((plan for plan in plans if plan.profit > 0), key=lambda plan: plan.profit, reverse=True)


def _plan(
    item: HaulInput,
    parts: list[tuple[int, _Chunk]],
    mode: SellMode,
    tax: float,
    skills: TradeSkills,
    schedule: FeeSchedule,
    jumps: int | None,
) -> HaulPlan:
    """Total the chunks taken of one item into a plan, charging sales tax and, in order mode, the broker fee."""
    quantity = sum(units for units, _ in parts)
    cost = sum(units * chunk.buy_price for units, chunk in parts)
    revenue = sum(units * chunk.sell_price for units, chunk in parts)
    fee = broker_fee(revenue, skills, schedule) if mode == "order" else 0.0
    profit = revenue * (1 - tax) - fee - cost
    volume = quantity * item.volume_m3
    per_jump = profit / jumps if jumps else None
    max_buy = max(chunk.buy_price for _, chunk in parts)
    min_sell = min(chunk.sell_price for _, chunk in parts)
    return HaulPlan(
        item.type_id, item.name, quantity, volume, cost, revenue, revenue * tax, fee, profit, profit / cost,
        profit / volume, per_jump, max_buy, min_sell,
    )  # fmt: skip
