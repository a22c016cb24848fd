"""A sales notice names the items it may open in game: sales by value (one per type), then buys, at most three."""

from __future__ import annotations

from datetime import UTC, datetime

from core.trading.fifo import MatchedSale
from core.trading.model import WalletTransaction
from core.trading.notify import notice_items

AT = datetime(2026, 12, 1, tzinfo=UTC)


def _tx(transaction_id: int, type_id: int, quantity: int, unit_price: float, is_buy: bool) -> WalletTransaction:
    return WalletTransaction(transaction_id, AT, type_id, quantity, unit_price, is_buy, 60003760, transaction_id, 1)


def _sold(transaction_id: int, type_id: int, quantity: int, unit_price: float) -> MatchedSale:
    return MatchedSale(
        _tx(transaction_id, type_id, quantity, unit_price, False),
        0,
        0.0,
        0.0,
        0.0,
        0.0,
        quantity,
        quantity * unit_price,
    )


def test_sales_by_value_then_buys_at_most_three() -> None:
    sales = [_sold(1, 34, 100, 5.0), _sold(2, 638, 1, 180e6), _sold(3, 34, 10, 5.0)]
    buys = [_tx(4, 638, 1, 150e6, True), _tx(5, 35, 10, 9.0, True), _tx(6, 36, 10, 50.0, True)]
    assert notice_items(sales, buys) == [638, 34, 36]
    assert notice_items(sales[:1], []) == [34]
    assert notice_items([], []) == []
