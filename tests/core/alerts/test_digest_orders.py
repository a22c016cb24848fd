"""The digest's orders section: undercut orders first, what closed since the last digest, a cap."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from core.alerts.digest_orders import MAX_ORDER_LINES, DigestOrder, order_lines

SINCE = datetime(2026, 11, 25, tzinfo=UTC)
NAMES = {34: "Tritanium", 35: "Pyerite"}.get
ON_TOP = DigestOrder("Trader One", 34, 60003760, False, 4.5, 1000, 5000, "open", True, 4.6, SINCE)


def test_undercut_first_then_on_top_then_closed_since_the_last_digest():
    undercut = replace(ON_TOP, type_id=35, on_top=False, best_competitor=9.99, price=10.0)
    filled = replace(ON_TOP, status="filled", volume_remain=0, updated_at=SINCE + timedelta(hours=3))
    old_fill = replace(filled, updated_at=SINCE - timedelta(hours=1))
    lines = order_lines([ON_TOP, undercut, filled, old_fill], NAMES, SINCE)
    assert lines == [
        "2 open, 1 undercut, 1 filled since the last digest",
        "Trader One: sell Pyerite at Jita: 1,000/5,000 left @ 10.00, undercut (best 9.99)",
        "Trader One: sell Tritanium at Jita: 1,000/5,000 left @ 4.50, on top",
        "Trader One: sell Tritanium at Jita: filled @ 4.50",
    ]


def test_no_orders_means_no_section_and_many_are_capped():
    assert order_lines([], NAMES, SINCE) == []
    many = [replace(ON_TOP, type_id=99, location_id=1) for _ in range(MAX_ORDER_LINES + 4)]
    lines = order_lines(many, NAMES, SINCE)
    assert len(lines) == MAX_ORDER_LINES + 2 and lines[-1] == "… and 4 more on the panel"
    assert lines[1] == "Trader One: sell type 99 at station 1: 1,000/5,000 left @ 4.50, on top"
