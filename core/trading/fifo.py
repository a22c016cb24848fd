"""FIFO matching: each sale takes the earliest unmatched buys of its type (per character, or per account)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.trading.attribution import Attribution, in_order
from core.trading.model import WalletTransaction


@dataclass(frozen=True, slots=True)
class MatchedSale:
    """One sell transaction after matching: what was matched to known buys and what was not.

    `revenue`, `cost`, `broker_fees` and `sales_tax` cover the matched units only (the sale's fees are shared by
    quantity; `broker_fees` holds the matched buys' broker fees plus the sale's share); `unmatched_revenue` is the
    gross value of the units sold without a known purchase.
    """

    sale: WalletTransaction
    matched: int
    revenue: float
    cost: float
    broker_fees: float
    sales_tax: float
    unmatched: int
    unmatched_revenue: float

    @property
    def fees(self) -> float:
        """Broker fees and sales tax of the matched units."""
        return self.broker_fees + self.sales_tax

    @property
    def profit(self) -> float:
        """Realised profit of the matched units: revenue - cost - fees."""
        return self.revenue - self.cost - self.broker_fees - self.sales_tax


class _Lot:
    """What is left of one buy: units, unit price and broker fee per unit."""

    __slots__ = ("fee_per_unit", "remaining", "unit_price")

    def __init__(self, remaining: int, unit_price: float, fee_per_unit: float) -> None:
        self.remaining = remaining
        self.unit_price = unit_price
        self.fee_per_unit = fee_per_unit


def match_fifo(
    transactions: Iterable[WalletTransaction],
    attribution: Attribution,
    *,
    per_account: bool = False,
    ordered: bool = False,
) -> Iterator[MatchedSale]:
    """Every sale in date order (then transaction id), matched to earlier buys of its type, oldest first.

    Buys are kept per (character, type), or per type across all characters when `per_account`; `ordered` says
    `transactions` are already in_order().
    """
    lots: dict[tuple[int, int], deque[_Lot]] = {}
    for tx in transactions if ordered else in_order(transactions):
        key = (0 if per_account else tx.character_id, tx.type_id)
        fees = attribution.fees.get(tx.transaction_id)
        if tx.is_buy:
            fee_per_unit = fees.broker_fees / tx.quantity if fees is not None else 0.0
            lots.setdefault(key, deque()).append(_Lot(tx.quantity, tx.unit_price, fee_per_unit))
            continue
        yield _sell(tx, lots.get(key), fees.broker_fees if fees else 0.0, fees.sales_tax if fees else 0.0)


def _sell(sale: WalletTransaction, queue: deque[_Lot] | None, broker: float, tax: float) -> MatchedSale:
    """Take `sale.quantity` units from the oldest lots of `queue`."""
    wanted, cost, buy_fees = sale.quantity, 0.0, 0.0
    while wanted and queue:
        lot = queue[0]
        take = min(wanted, lot.remaining)
        cost += take * lot.unit_price
        buy_fees += take * lot.fee_per_unit
        lot.remaining -= take
        wanted -= take
        if lot.remaining == 0:
            queue.popleft()
    matched = sale.quantity - wanted
    share = matched / sale.quantity
    return MatchedSale(
        sale=sale,
        matched=matched,
        revenue=matched * sale.unit_price,
        cost=cost,
        broker_fees=buy_fees + broker * share,
        sales_tax=tax * share,
        unmatched=wanted,
        unmatched_revenue=wanted * sale.unit_price,
    )
