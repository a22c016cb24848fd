"""Hand-worked FIFO profit examples: fees attributed, partial lots, unmatched units, per character and account."""

from __future__ import annotations

from datetime import date

import pytest

from core.trading.attribution import attribute_fees
from core.trading.report import profit_report
from tests.core.trading.helpers import at, fee, tx

# Day 1: two buys (100 @ 5, 50 @ 6) and an 8 ISK broker fee shared by value (5 and 3).
# Day 2: sell 120 @ 8 with 28.80 tax at the same second and a 12 ISK broker fee (its only candidate that day).
# Day 3: sell 40 @ 7 with 8.40 tax: 30 units come from the second lot, 10 have no known purchase.
BOOK = [
    tx(1, at(1, 10), 100, 5.0, buy=True),
    tx(2, at(1, 12), 50, 6.0, buy=True),
    tx(3, at(2, 9), 120, 8.0, buy=False),
    tx(4, at(3, 9), 40, 7.0, buy=False),
]
JOURNAL = [
    fee(1001, at(1, 9), 8.0, tax=False),
    fee(2001, at(2, 9), 28.80, tax=True),
    fee(2002, at(2, 8), 12.0, tax=False),
    fee(3001, at(3, 9), 8.40, tax=True),
]


def test_the_worked_example() -> None:
    """Day 2: 960 - (500 + 120) - (5 + 1.2 + 12) - 28.8 = 293; day 3: 210 - 180 - 1.8 - 6.3 = 21.9."""
    report = profit_report(BOOK, JOURNAL, date(2024, 5, 1), date(2024, 5, 3), name_of=lambda t: "Tritanium")
    data = report.as_dict()
    assert data == {
        "from": "2024-05-01",
        "to": "2024-05-03",
        "revenue": 1170.0,
        "cost": 800.0,
        "broker_fees": 20.0,
        "sales_tax": 35.1,
        "profit": 314.9,
        "items": [
            {
                "type_id": 34,
                "name": "Tritanium",
                "sold": 150,
                "revenue": 1170.0,
                "cost": 800.0,
                "fees": 55.1,
                "profit": 314.9,
            }
        ],
        "unmatched": [{"type_id": 34, "quantity": 10, "revenue": 70.0}],
        "fetching": False,
    }
    assert [(d.day.day, round(d.profit, 2), round(d.cumulative, 2)) for d in report.daily] == [
        (2, 293.0, 293.0),
        (3, 21.9, 314.9),
    ]


def test_the_period_counts_earlier_buys_but_only_its_own_sales() -> None:
    """Only day 3's sale is reported, matched to the lot left over from day 1 after day 2's sale."""
    report = profit_report(BOOK, JOURNAL, date(2024, 5, 3), date(2024, 5, 3))
    assert (round(report.revenue, 2), round(report.cost, 2), round(report.profit, 2)) == (210.0, 180.0, 21.9)
    assert [(s.sale.transaction_id, s.matched, s.unmatched) for s in report.sales] == [(4, 30, 10)]


def test_a_linked_entry_goes_to_its_transaction_and_a_day_without_trades_carries_forward() -> None:
    """context_id wins over the same-second rule; a fee on a quiet day goes to the next day with trades."""
    book = [tx(1, at(2), 10, 1.0, buy=True), tx(2, at(4), 5, 3.0, buy=False), tx(3, at(4), 5, 1.0, buy=False)]
    journal = [
        fee(1, at(4), 0.6, tax=True, transaction_id=3),
        fee(2, at(1), 2.0, tax=False),  # day 1: no trades; day 2's buy takes it
        fee(3, at(3), 4.0, tax=False),  # day 3: no trades; day 4's sales share it 15:5
        fee(4, at(5), 9.0, tax=False),  # after the last trade: unattributed
    ]
    attribution = attribute_fees(book, journal)
    assert attribution.of(3).sales_tax == pytest.approx(0.6)
    assert attribution.of(2).sales_tax == 0.0
    assert attribution.of(1).broker_fees == pytest.approx(2.0)
    assert attribution.of(2).broker_fees == pytest.approx(3.0)
    assert attribution.of(3).broker_fees == pytest.approx(1.0)
    assert [e.id for e in attribution.unattributed] == [4]


def test_per_account_matches_another_characters_buys() -> None:
    """Character 2 sells what character 1 bought: unmatched per character, matched per account."""
    book = [tx(1, at(1), 10, 2.0, buy=True, character_id=1), tx(2, at(2), 10, 3.0, buy=False, character_id=2)]
    alone = profit_report(book, [], date(2024, 5, 1), date(2024, 5, 2), character_id=2)
    assert (alone.profit, [(u.quantity, u.revenue) for u in alone.unmatched]) == (0.0, [(10, 30.0)])
    pooled = profit_report(book, [], date(2024, 5, 1), date(2024, 5, 2), character_id=2, per_account=True)
    assert (pooled.profit, pooled.unmatched) == (10.0, [])


def test_items_are_ordered_by_profit_and_types_never_mix() -> None:
    """A loss-making type comes last; each type takes only its own lots."""
    book = [
        tx(1, at(1), 10, 10.0, buy=True, type_id=1),
        tx(2, at(1), 10, 1.0, buy=True, type_id=2),
        tx(3, at(2), 10, 5.0, buy=False, type_id=1),
        tx(4, at(2), 10, 4.0, buy=False, type_id=2),
    ]
    report = profit_report(book, [], date(2024, 5, 2), date(2024, 5, 2))
    assert [(i.type_id, i.profit) for i in report.items] == [(2, 30.0), (1, -50.0)]
