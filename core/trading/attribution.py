"""Which wallet transaction each sales tax and broker fee belongs to (ESI links neither to an order).

Rules, in order (docs/domain-trading.md explains why): an entry whose context_id names a market transaction goes
to it; sales tax goes to the character's sales at the same second, else that UTC day's sales; a broker fee (order
placement or relist) goes to the character's buys and sales of that UTC day; a fee on a day without candidates
goes to the next day that has some. Several candidates share an amount in proportion to their value. Fees after
the character's last candidate stay unattributed until a later fill arrives.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from core.trading.model import TRANSACTION_TAX, JournalEntry, WalletTransaction

DAY_S = 86400
Group = list[WalletTransaction]


@dataclass
class TransactionFees:
    """The fees attributed to one transaction (positive ISK paid)."""

    sales_tax: float = 0.0
    broker_fees: float = 0.0


@dataclass
class Attribution:
    """Fees by transaction id, and the fee entries no transaction could take."""

    fees: dict[int, TransactionFees] = field(default_factory=dict)
    unattributed: list[JournalEntry] = field(default_factory=list)

    def of(self, transaction_id: int) -> TransactionFees:
        """The fees of one transaction (zero when none were attributed)."""
        return self.fees.get(transaction_id) or TransactionFees()


def in_order(transactions: Iterable[WalletTransaction]) -> list[WalletTransaction]:
    """Transactions by date, then transaction id: the order P&L processes them in, whatever the fetch order."""
    return sorted(sorted(transactions, key=attrgetter("transaction_id")), key=attrgetter("date"))


class _Days:
    """One character's candidates by UTC day (days since the epoch), with the days sorted for 'next day with some'."""

    def __init__(self) -> None:
        self.by_day: dict[int, Group] = {}
        self._days: list[int] | None = None

    def add(self, day: int, tx: WalletTransaction) -> None:
        """Add a candidate (in date order)."""
        group = self.by_day.get(day)
        if group is None:
            self.by_day[day] = [tx]
        else:
            group.append(tx)

    def on_or_after(self, day: int) -> tuple[int, Group]:
        """The candidates of `day`, else of the first later day that has some (empty after the last)."""
        group = self.by_day.get(day)
        if group is not None:
            return day, group
        if self._days is None:
            self._days = sorted(self.by_day)
        at = bisect.bisect_left(self._days, day)
        return (self._days[at], self.by_day[self._days[at]]) if at < len(self._days) else (0, [])


def attribute_fees(
    transactions: Sequence[WalletTransaction], journal: Iterable[JournalEntry], *, ordered: bool = False
) -> Attribution:
    """Attribute every transaction_tax and brokers_fee entry of `journal` to the transactions it was paid for.

    `ordered` says `transactions` are already in_order().
    """
    txs = transactions if ordered else in_order(transactions)
    by_id: dict[int, WalletTransaction] = {}
    same_second: dict[tuple[int, int], Group] = {}
    sells: dict[int, _Days] = {}
    trades: dict[int, _Days] = {}
    for tx in txs:
        by_id[tx.transaction_id] = tx
        second = int(tx.date.timestamp())
        day = second // DAY_S
        (trades.get(tx.character_id) or trades.setdefault(tx.character_id, _Days())).add(day, tx)
        if not tx.is_buy:
            (sells.get(tx.character_id) or sells.setdefault(tx.character_id, _Days())).add(day, tx)
            same_second.setdefault((tx.character_id, second), []).append(tx)
    result = Attribution()
    groups: dict[tuple[int, ...], tuple[Group, list[float]]] = {}
    entries = sorted(sorted((e for e in journal if e.is_fee), key=attrgetter("id")), key=attrgetter("date"))
    for entry in entries:
        is_tax = entry.ref_type == TRANSACTION_TAX
        linked = by_id.get(entry.transaction_id) if entry.transaction_id is not None else None
        if linked is not None and linked.character_id == entry.character_id:
            key: tuple[int, ...] = (0, linked.transaction_id)
            candidates = [linked]
        else:
            second = int(entry.date.timestamp())
            candidates = same_second.get((entry.character_id, second), []) if is_tax else []
            key = (1, entry.character_id, second)
            if not candidates and (own := (sells if is_tax else trades).get(entry.character_id)) is not None:
                day, candidates = own.on_or_after(second // DAY_S)
                key = (2 if is_tax else 3, entry.character_id, day)
        if not candidates:
            result.unattributed.append(entry)
            continue
        amounts = groups.setdefault(key, (candidates, [0.0, 0.0]))[1]
        amounts[0 if is_tax else 1] -= entry.amount
    for candidates, (tax, broker) in groups.values():  # one split per group: the shares are linear in the amount
        _share(result.fees, candidates, tax, broker)
    return result


def _share(fees: dict[int, TransactionFees], candidates: Group, tax: float, broker: float) -> None:
    """Split the amounts over `candidates` by value (equally when they are all worth nothing)."""
    total = sum(tx.quantity * tx.unit_price for tx in candidates)
    for tx in candidates:
        weight = tx.quantity * tx.unit_price / total if total > 0 else 1.0 / len(candidates)
        slot = fees.get(tx.transaction_id)
        if slot is None:
            slot = fees[tx.transaction_id] = TransactionFees()
        slot.sales_tax += tax * weight
        slot.broker_fees += broker * weight
