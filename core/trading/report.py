"""Profit and loss over a period: totals, per item, unmatched sales and the daily realised profit series."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.trading.attribution import attribute_fees, in_order
from core.trading.fifo import MatchedSale, match_fifo
from core.trading.model import JournalEntry, WalletTransaction

NameOf = Callable[[int], str]


@dataclass(frozen=True)
class ItemProfit:
    """One type's matched sales in the period."""

    type_id: int
    name: str
    sold: int
    revenue: float
    cost: float
    fees: float
    profit: float


@dataclass(frozen=True)
class UnmatchedSales:
    """Units of one type sold without a known purchase (loot, industry, contracts, before our first fetch)."""

    type_id: int
    name: str
    quantity: int
    revenue: float


@dataclass(frozen=True)
class DailyProfit:
    """Realised profit of one UTC day and the running total since the period began."""

    day: date
    profit: float
    cumulative: float


@dataclass(frozen=True)
class ProfitReport:
    """The P&L of a period: totals over matched units (profit = revenue - cost - broker_fees - sales_tax)."""

    start: date
    end: date
    revenue: float
    cost: float
    broker_fees: float
    sales_tax: float
    profit: float
    items: list[ItemProfit]
    unmatched: list[UnmatchedSales]
    daily: list[DailyProfit]
    sales: list[MatchedSale]
    fetching: bool = False  # a first wallet fetch was still running: what is stored so far

    def as_dict(self) -> dict[str, Any]:
        """The API's and the chat command's `data`: ISO dates, ISK rounded to cents."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "revenue": _isk(self.revenue),
            "cost": _isk(self.cost),
            "broker_fees": _isk(self.broker_fees),
            "sales_tax": _isk(self.sales_tax),
            "profit": _isk(self.profit),
            "items": [
                {
                    "type_id": i.type_id,
                    "name": i.name,
                    "sold": i.sold,
                    "revenue": _isk(i.revenue),
                    "cost": _isk(i.cost),
                    "fees": _isk(i.fees),
                    "profit": _isk(i.profit),
                }
                for i in self.items
            ],
            "unmatched": [
                {"type_id": u.type_id, "quantity": u.quantity, "revenue": _isk(u.revenue)} for u in self.unmatched
            ],
            "fetching": self.fetching,
        }


def _isk(value: float) -> float:
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def profit_report(
    transactions: Sequence[WalletTransaction],
    journal: Iterable[JournalEntry],
    start: date,
    end: date,
    *,
    name_of: NameOf = str,
    per_account: bool = False,
    character_id: int | None = None,
) -> ProfitReport:
    """P&L of the sales made from `start` to `end` (UTC days, inclusive), FIFO over the whole history given.

    `character_id` reports that character's sales only; with `per_account` its sales may still be matched to the
    other characters' buys (items hauled or moved between them).
    """
    if character_id is not None and not per_account:
        transactions = [tx for tx in transactions if tx.character_id == character_id]
    ordered = in_order(transactions)
    attribution = attribute_fees(ordered, journal, ordered=True)
    sales = [
        s
        for s in match_fifo(ordered, attribution, per_account=per_account, ordered=True)
        if start <= s.sale.date.date() <= end and (character_id is None or s.sale.character_id == character_id)
    ]
    return summarise(sales, start, end, name_of)


def summarise(sales: list[MatchedSale], start: date, end: date, name_of: NameOf) -> ProfitReport:
    """Totals, items (most profitable first), unmatched (most revenue first) and the daily series of `sales`."""
    items: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    unmatched: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    days: dict[date, float] = defaultdict(float)
    broker = tax = 0.0
    for s in sales:
        if s.matched:
            row = items[s.sale.type_id]
            row[0] += s.matched
            row[1] += s.revenue
            row[2] += s.cost
            row[3] += s.fees
            broker += s.broker_fees
            tax += s.sales_tax
            days[s.sale.date.date()] += s.profit
        if s.unmatched:
            gap = unmatched[s.sale.type_id]
            gap[0] += s.unmatched
            gap[1] += s.unmatched_revenue
    item_rows = [ItemProfit(t, name_of(t), int(r[0]), r[1], r[2], r[3], r[1] - r[2] - r[3]) for t, r in items.items()]
    item_rows.sort(key=lambda i: (-i.profit, i.type_id))
    gaps = [UnmatchedSales(t, name_of(t), int(g[0]), g[1]) for t, g in unmatched.items()]
    gaps.sort(key=lambda u: (-u.revenue, u.type_id))
    running, daily = 0.0, []
    for day in sorted(days):
        running += days[day]
        daily.append(DailyProfit(day, days[day], running))
    revenue = sum(i.revenue for i in item_rows)
    cost = sum(i.cost for i in item_rows)
    return ProfitReport(
        start, end, revenue, cost, broker, tax, revenue - cost - broker - tax, item_rows, gaps, daily, sales
    )
