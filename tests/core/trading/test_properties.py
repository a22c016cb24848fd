"""Hypothesis properties of FIFO profit: no over-matching, totals add up, fetch order does not matter."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.trading.attribution import attribute_fees
from core.trading.fifo import match_fifo
from core.trading.model import JournalEntry, WalletTransaction
from core.trading.report import profit_report
from tests.core.trading.helpers import DAY1, fee, tx

START, END = date(2024, 5, 1), date(2024, 5, 10)

rows = st.tuples(
    st.integers(1, 2),  # character
    st.integers(1, 3),  # type
    st.integers(0, 9 * 24 * 60),  # minutes after day 1 began
    st.integers(1, 50),  # quantity
    st.integers(1, 10_000),  # price in cents
    st.booleans(),  # buy
)
fees = st.tuples(st.integers(1, 2), st.integers(0, 9 * 24 * 60), st.integers(1, 5_000), st.booleans())


def _book(raw: list[tuple[int, int, int, int, int, bool]]) -> list[WalletTransaction]:
    return [
        tx(i + 1, DAY1 + timedelta(minutes=m), q, p / 100, buy=b, type_id=t, character_id=c)
        for i, (c, t, m, q, p, b) in enumerate(raw)
    ]


def _journal(raw: list[tuple[int, int, int, bool]]) -> list[JournalEntry]:
    return [
        fee(i + 1, DAY1 + timedelta(minutes=m), a / 100, tax=tax, character_id=c)
        for i, (c, m, a, tax) in enumerate(raw)
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(rows, max_size=60), st.lists(fees, max_size=20), st.booleans())
def test_never_matches_more_than_was_bought(raw, raw_fees, per_account) -> None:
    """At every sale, the units matched so far for its key never exceed the units bought before it."""
    book = _book(raw)
    bought: dict[tuple[int, int], int] = defaultdict(int)
    matched: dict[tuple[int, int], int] = defaultdict(int)
    sales = iter(match_fifo(book, attribute_fees(book, _journal(raw_fees)), per_account=per_account))
    for t in sorted(book, key=lambda t: (t.date, t.transaction_id)):
        key = (0 if per_account else t.character_id, t.type_id)
        if t.is_buy:
            bought[key] += t.quantity
            continue
        sale = next(sales)
        assert sale.sale == t
        assert sale.matched + sale.unmatched == t.quantity and sale.matched >= 0 and sale.unmatched >= 0
        matched[key] += sale.matched
        assert matched[key] <= bought[key]
        # FIFO leaves a sale unmatched only when everything bought before it was used up
        assert sale.unmatched == 0 or matched[key] == bought[key]


@settings(max_examples=150, deadline=None)
@given(st.lists(rows, max_size=60), st.lists(fees, max_size=20), st.booleans())
def test_totals_add_up(raw, raw_fees, per_account) -> None:
    """Totals are the sums of the items, profit is revenue less cost and fees, the daily series ends at profit."""
    book, journal = _book(raw), _journal(raw_fees)
    report = profit_report(book, journal, START, END, per_account=per_account)
    assert report.revenue == pytest.approx(sum(i.revenue for i in report.items))
    assert report.cost == pytest.approx(sum(i.cost for i in report.items))
    assert report.broker_fees + report.sales_tax == pytest.approx(sum(i.fees for i in report.items), abs=1e-6)
    expected = report.revenue - report.cost - report.broker_fees - report.sales_tax
    assert report.profit == pytest.approx(expected, abs=1e-6)
    assert sum(i.profit for i in report.items) == pytest.approx(report.profit, abs=1e-6)
    assert (report.daily[-1].cumulative if report.daily else 0.0) == pytest.approx(report.profit, abs=1e-6)
    sold = sum(t.quantity for t in book if not t.is_buy)
    assert sum(i.sold for i in report.items) + sum(u.quantity for u in report.unmatched) == sold
    paid = sum(-e.amount for e in journal)
    attribution = attribute_fees(book, journal)
    attributed = sum(f.sales_tax + f.broker_fees for f in attribution.fees.values())
    assert attributed + sum(-e.amount for e in attribution.unattributed) == pytest.approx(paid, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.lists(rows, max_size=60), st.lists(fees, max_size=20), st.booleans(), st.randoms(use_true_random=False))
def test_fetch_order_does_not_change_the_result(raw, raw_fees, per_account, rnd: random.Random) -> None:
    """Shuffled transactions and journal give exactly the same report."""
    book, journal = _book(raw), _journal(raw_fees)
    first = profit_report(book, journal, START, END, per_account=per_account)
    rnd.shuffle(book)
    rnd.shuffle(journal)
    again = profit_report(book, journal, START, END, per_account=per_account)
    assert again.as_dict() == first.as_dict()
    assert again.daily == first.daily
