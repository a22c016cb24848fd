"""Trading fees and the price tick grid (docs/domain.md, docs/fees.md): tax, broker and relist fees, margins, and
an account's fee settings (AccountSettings)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from core.market.fee_schedule import CCP_DEFAULTS

MAX_SKILL_LEVEL = 5
MAX_STANDING = 10.0


@dataclass(frozen=True)
class TradeSkills:
    """A trader's fee skills (levels 0-5) and NPC standings (-10..10); defaults are assumed when unknown.

    Unknown characters get Accounting IV and Broker Relations IV (what active traders train first),
    Advanced Broker Relations 0 and neutral standings. Standings enter the broker formula exactly as
    docs/domain.md gives it: positive ones lower the rate, negative ones raise it (the floor still applies).
    """

    accounting: int = 4
    broker_relations: int = 4
    advanced_broker_relations: int = 0
    faction_standing: float = 0.0
    corp_standing: float = 0.0

    def __post_init__(self) -> None:
        levels = {"accounting": self.accounting, "broker_relations": self.broker_relations}
        levels["advanced_broker_relations"] = self.advanced_broker_relations
        for name, level in levels.items():
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_SKILL_LEVEL:
                raise ValueError(f"{name} must be a skill level 0-{MAX_SKILL_LEVEL}, got {level!r}")
        for name, standing in (("faction_standing", self.faction_standing), ("corp_standing", self.corp_standing)):
            if not -MAX_STANDING <= standing <= MAX_STANDING:
                raise ValueError(f"{name} must be within -10..10, got {standing!r}")


@dataclass(frozen=True)
class FeeSchedule:
    """CCP's fee parameters (rates are fractions, amounts ISK); defaults and their dates in core.market.fee_schedule.

    `structure_broker_rate`, when set, is an Upwell owner's broker rate: skills and standings do not apply, and the
    SCC surcharge is added on top of it.
    """

    sales_tax_base: float = CCP_DEFAULTS["sales_tax_base"]
    accounting_reduction: float = CCP_DEFAULTS["accounting_reduction"]
    broker_base: float = CCP_DEFAULTS["broker_base"]
    broker_relations_reduction: float = CCP_DEFAULTS["broker_relations_reduction"]
    faction_standing_reduction: float = CCP_DEFAULTS["faction_standing_reduction"]
    corp_standing_reduction: float = CCP_DEFAULTS["corp_standing_reduction"]
    broker_floor: float = CCP_DEFAULTS["broker_floor"]
    broker_min_isk: float = CCP_DEFAULTS["broker_min_isk"]
    relist_discount_base: float = CCP_DEFAULTS["relist_discount_base"]
    relist_discount_per_level: float = CCP_DEFAULTS["relist_discount_per_level"]
    scc_surcharge: float = CCP_DEFAULTS["scc_surcharge"]
    structure_broker_rate: float | None = None

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value is None or name == "broker_min_isk":
                continue
            if not (isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 1):
                raise ValueError(f"fee {name} must be a fraction between 0 and 1, got {value!r}")
        if not (math.isfinite(self.broker_min_isk) and self.broker_min_isk >= 0):
            raise ValueError(f"fee broker_min_isk must be a non-negative ISK amount, got {self.broker_min_isk!r}")
        if self.accounting_reduction * MAX_SKILL_LEVEL > 1:
            raise ValueError("fee accounting_reduction x 5 levels must not exceed 100%")
        if self.broker_floor > self.broker_base:
            raise ValueError("fee broker_floor must not exceed broker_base")
        if self.relist_discount_base + self.relist_discount_per_level * MAX_SKILL_LEVEL > 1:
            raise ValueError("fee relist discount at Advanced Broker Relations V must not exceed 100%")


DEFAULT_SKILLS = TradeSkills()
DEFAULT_SCHEDULE = FeeSchedule()


@dataclass(frozen=True)
class AccountSettings:
    """An account's own default hub (None = the global default) and the skills/standings its fee maths uses."""

    default_hub: str | None = None
    skills: TradeSkills = DEFAULT_SKILLS
    skills_overridden: bool = False  # True once the user saved their own skills: they win over the characters'


def sales_tax_rate(skills: TradeSkills = DEFAULT_SKILLS, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> float:
    """Sales tax rate paid by the seller on every fill: base x (1 - 0.11 x Accounting); 8% to 3.6%."""
    return schedule.sales_tax_base * (1 - schedule.accounting_reduction * skills.accounting)


def broker_fee_rate(skills: TradeSkills = DEFAULT_SKILLS, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> float:
    """Broker rate on order value: 3% - 0.3% x BR - 0.03% x faction - 0.02% x corp standing, floor 1%.

    In an Upwell structure (`structure_broker_rate` set) it is the owner's rate plus the SCC surcharge.
    """
    if schedule.structure_broker_rate is not None:
        return schedule.structure_broker_rate + schedule.scc_surcharge
    rate = (
        schedule.broker_base
        - schedule.broker_relations_reduction * skills.broker_relations
        - schedule.faction_standing_reduction * skills.faction_standing
        - schedule.corp_standing_reduction * skills.corp_standing
    )
    return max(schedule.broker_floor, rate)


def broker_fee(
    order_value: float, skills: TradeSkills = DEFAULT_SKILLS, schedule: FeeSchedule = DEFAULT_SCHEDULE
) -> float:
    """Broker fee in ISK for placing an order worth `order_value` ISK (never below the 100 ISK minimum)."""
    if order_value < 0:
        raise ValueError(f"order value must not be negative, got {order_value!r}")
    return max(schedule.broker_min_isk, broker_fee_rate(skills, schedule) * order_value)


def relist_fee(
    old_value: float, new_value: float, skills: TradeSkills = DEFAULT_SKILLS, schedule: FeeSchedule = DEFAULT_SCHEDULE
) -> float:
    """Fee for modifying an order from `old_value` to `new_value` ISK: max(0, BR x (P2 - P1)) + (1 - RD) x BR x P2.

    BR is the broker rate and RD = 50% + 6% x Advanced Broker Relations; the 100 ISK minimum applies.
    """
    rate = broker_fee_rate(skills, schedule)
    discount = schedule.relist_discount_base + schedule.relist_discount_per_level * skills.advanced_broker_relations
    fee = max(0.0, rate * (new_value - old_value)) + (1 - discount) * rate * new_value
    return max(schedule.broker_min_isk, fee)


def _tick_exponent(price: float) -> int:
    """Power of ten of the tick at `price`: floor(log10 p) - 3, never below -2 (0.01 ISK)."""
    if not (math.isfinite(price) and price > 0):
        raise ValueError(f"price must be a positive number, got {price!r}")
    exponent = math.floor(math.log10(price))
    if 10.0**exponent > price:  # guard log10 rounding just below a power of ten
        exponent -= 1
    elif 10.0 ** (exponent + 1) <= price:
        exponent += 1
    return max(exponent - 3, -2)


def tick_size(price: float) -> float:
    """The smallest price step at `price` on the 4-significant-digit grid (0.01 ISK floor)."""
    return 10.0 ** _tick_exponent(price)


def next_tick_up(price: float) -> float:
    """The lowest grid price strictly above `price` (outbidding a buy order)."""
    tick = Decimal(1).scaleb(_tick_exponent(price))
    return float((Decimal(repr(price)) / tick).to_integral_value(rounding=ROUND_FLOOR) * tick + tick)


def next_tick_down(price: float) -> float:
    """The highest grid price strictly below `price` (undercutting a sell order); ValueError below 0.01."""
    exponent = _tick_exponent(price)
    tick = Decimal(1).scaleb(exponent)
    exact = Decimal(repr(price))
    down = (exact / tick).to_integral_value(rounding=ROUND_CEILING) * tick - tick
    if exponent > -2 and down < Decimal(1).scaleb(exponent + 3):  # stepping below 10^n: the finer grid applies
        down = exact - tick / 10
    if down <= 0:
        raise ValueError(f"no price tick below {price!r}")
    return float(down)


@dataclass(frozen=True)
class Margin:
    """Per-unit result of station trading: our order prices, each fee, profit, and profit as a fraction of cost."""

    buy_order_price: float
    sell_order_price: float
    buy_broker_fee: float
    sell_broker_fee: float
    sales_tax: float
    profit: float
    margin_on_cost: float

    @property
    def fees(self) -> float:
        """All fees per unit: both broker fees and the sales tax."""
        return self.buy_broker_fee + self.sell_broker_fee + self.sales_tax


def station_trade_margin(
    buy_price: float,
    sell_price: float,
    skills: TradeSkills = DEFAULT_SKILLS,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
    *,
    quantity: int | None = None,
) -> Margin:
    """Margin of buying via a buy order one tick above `buy_price` and selling one tick below `sell_price`.

    Broker fees are paid on both orders and sales tax on the sale. Without `quantity` fees are pure rates;
    with it, each order is worth quantity x price, so the 100 ISK broker minimum is spread over the units.
    Cost is the buy order price plus its broker fee; `margin_on_cost` = profit / cost.
    """
    bid, ask = next_tick_up(buy_price), next_tick_down(sell_price)
    if quantity is None:
        rate = broker_fee_rate(skills, schedule)
        buy_fee, sell_fee = rate * bid, rate * ask
    else:
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity!r}")
        buy_fee = broker_fee(bid * quantity, skills, schedule) / quantity
        sell_fee = broker_fee(ask * quantity, skills, schedule) / quantity
    tax = sales_tax_rate(skills, schedule) * ask
    profit = ask - bid - buy_fee - sell_fee - tax
    return Margin(bid, ask, buy_fee, sell_fee, tax, profit, profit / (bid + buy_fee))
