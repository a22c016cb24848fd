"""Wallet rows as ESI reports them (transactions and journal entries), parsed into frozen value objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

TRANSACTION_TAX = "transaction_tax"
BROKERS_FEE = "brokers_fee"
FEE_REF_TYPES = (TRANSACTION_TAX, BROKERS_FEE)
MARKET_TRANSACTION_ID = "market_transaction_id"


def parse_esi_datetime(text: str) -> datetime:
    """An ESI date-time ('2024-05-01T12:00:00Z') as an aware UTC datetime."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class WalletTransaction:
    """One market fill in a character's wallet: `quantity` units of `type_id` at `unit_price`, bought or sold."""

    transaction_id: int
    date: datetime
    type_id: int
    quantity: int
    unit_price: float
    is_buy: bool
    location_id: int
    journal_ref_id: int
    character_id: int
    client_id: int = 0
    is_personal: bool = True

    @property
    def value(self) -> float:
        """Gross value of the fill (quantity x unit price)."""
        return self.quantity * self.unit_price

    @classmethod
    def from_esi(cls, character_id: int, row: Mapping[str, Any]) -> WalletTransaction:
        """Parse one row of GET /characters/{id}/wallet/transactions/ (KeyError/ValueError/TypeError if malformed)."""
        quantity = int(row["quantity"])
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        return cls(
            transaction_id=int(row["transaction_id"]),
            date=parse_esi_datetime(str(row["date"])),
            type_id=int(row["type_id"]),
            quantity=quantity,
            unit_price=float(row["unit_price"]),
            is_buy=bool(row["is_buy"]),
            location_id=int(row["location_id"]),
            journal_ref_id=int(row["journal_ref_id"]),
            character_id=int(character_id),
            client_id=int(row.get("client_id", 0)),
            is_personal=bool(row.get("is_personal", True)),
        )


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One wallet journal line; `amount` is negative for ISK leaving the wallet (fees and taxes)."""

    id: int
    date: datetime
    ref_type: str
    amount: float
    character_id: int
    context_id: int | None = None
    context_id_type: str | None = None
    description: str = ""
    first_party_id: int | None = None
    second_party_id: int | None = None
    balance: float | None = None
    reason: str = ""

    @property
    def is_fee(self) -> bool:
        """Whether this is a sales tax or broker fee (relist fees are broker fees too) that P&L attributes."""
        return self.ref_type in FEE_REF_TYPES

    @property
    def transaction_id(self) -> int | None:
        """The market transaction this entry names, when ESI links it (context_id of type market_transaction_id)."""
        return self.context_id if self.context_id_type == MARKET_TRANSACTION_ID else None

    @classmethod
    def from_esi(cls, character_id: int, row: Mapping[str, Any]) -> JournalEntry:
        """Parse one row of GET /characters/{id}/wallet/journal/ (KeyError/ValueError/TypeError if malformed)."""
        return cls(
            id=int(row["id"]),
            date=parse_esi_datetime(str(row["date"])),
            ref_type=str(row["ref_type"]),
            amount=float(row.get("amount", 0.0)),
            character_id=int(character_id),
            context_id=_optional_int(row.get("context_id")),
            context_id_type=_optional_str(row.get("context_id_type")),
            description=str(row.get("description", "")),
            first_party_id=_optional_int(row.get("first_party_id")),
            second_party_id=_optional_int(row.get("second_party_id")),
            balance=None if row.get("balance") is None else float(row["balance"]),
            reason=str(row.get("reason") or ""),
        )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)
