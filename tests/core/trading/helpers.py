"""Builders for wallet rows in trading tests."""

from __future__ import annotations

from datetime import UTC, datetime

from core.trading.model import BROKERS_FEE, TRANSACTION_TAX, JournalEntry, WalletTransaction

DAY1 = datetime(2024, 5, 1, tzinfo=UTC)


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    """A UTC instant on day `day` (1 = 2024-05-01)."""
    return DAY1.replace(day=day, hour=hour, minute=minute, second=second)


def tx(
    transaction_id: int,
    when: datetime,
    quantity: int,
    price: float,
    *,
    buy: bool,
    type_id: int = 34,
    character_id: int = 1,
) -> WalletTransaction:
    """A wallet transaction."""
    return WalletTransaction(transaction_id, when, type_id, quantity, price, buy, 60003760, 0, character_id)


def fee(
    entry_id: int,
    when: datetime,
    amount: float,
    *,
    tax: bool,
    character_id: int = 1,
    transaction_id: int | None = None,
) -> JournalEntry:
    """A transaction_tax (tax=True) or brokers_fee journal entry of `amount` ISK paid."""
    return JournalEntry(
        entry_id,
        when,
        TRANSACTION_TAX if tax else BROKERS_FEE,
        -amount,
        character_id,
        context_id=transaction_id,
        context_id_type=None if transaction_id is None else "market_transaction_id",
    )
