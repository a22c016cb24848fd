"""Sales notifications: one message per character and wallet refresh naming what sold and the profit it made."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from core.alerts.model import AlertTarget
from core.formatting import short_isk
from core.trading.fifo import MatchedSale
from core.trading.model import WalletTransaction

PlaceOf = Callable[[int], str]  # location id -> "Jita", "station 60012345"


NOTICE_MODES = ("off", "sales", "all")  # all: sales and buys
NOTICE_DEFAULT_MODE = "sales"


class NoticeSettings(Protocol):
    """What an account's trade notices announce and where they go (adapters.postgres.wallet.PgWalletStore)."""

    async def notice_mode(self, account_id: int) -> str:
        """'off', 'sales' or 'all'."""
        ...

    async def set_notices(self, account_id: int, mode: str, target: AlertTarget | None) -> None:
        """Save the mode and, when given, the target."""
        ...

    async def notice_target(self, account_id: int) -> AlertTarget | None:
        """Where the notices go now."""
        ...


def _lines(
    rows: Sequence[tuple[int, int, int, float, float | None]],
    verb: str,
    name_of: Callable[[int], str],
    place_of: PlaceOf,
) -> list[str]:
    """One line per (type, place): quantity, gross value and, for sales, the profit of the matched units."""
    grouped: dict[tuple[int, int], list[Any]] = defaultdict(lambda: [0, 0.0, None])
    for type_id, location_id, quantity, value, profit in rows:
        row = grouped[(type_id, location_id)]
        row[0] += quantity
        row[1] += value
        if profit is not None:
            row[2] = (row[2] or 0.0) + profit
    lines = []
    for (type_id, location_id), (quantity, value, profit) in sorted(grouped.items(), key=lambda kv: -kv[1][1]):
        line = f"{verb} {quantity:,} × {name_of(type_id)} for {short_isk(value)} in {place_of(location_id)}"
        if verb == "Sold":
            line += f" (profit {short_isk(profit)} after fees)" if profit is not None else " (cost unknown)"
        lines.append(line)
    return lines


def trade_notice(
    character: str,
    sales: Sequence[MatchedSale],
    buys: Sequence[WalletTransaction],
    name_of: Callable[[int], str],
    place_of: PlaceOf,
) -> str | None:
    """The message of one refresh of one character (None when there is nothing to say)."""
    sold = [
        (s.sale.type_id, s.sale.location_id, s.sale.quantity, s.sale.quantity * s.sale.unit_price,
         s.profit if s.matched else None)
        for s in sales
    ]  # fmt: skip
    bought = [(b.type_id, b.location_id, b.quantity, b.quantity * b.unit_price, None) for b in buys]
    lines = _lines(sold, "Sold", name_of, place_of) + _lines(bought, "Bought", name_of, place_of)
    if not lines:
        return None
    return f"{character}: " + lines[0] if len(lines) == 1 else f"{character}:\n" + "\n".join(lines)


def notice_items(sales: Sequence[MatchedSale], buys: Sequence[WalletTransaction], limit: int = 3) -> list[int]:
    """The type ids a notice is about, as its lines run (sales by value, then buys), at most `limit`: each gets an
    "Open in game" button."""
    ordered: list[int] = []
    for trades in ([s.sale for s in sales], list(buys)):
        value: dict[int, float] = defaultdict(float)
        for trade in trades:
            value[trade.type_id] += trade.quantity * trade.unit_price
        ordered += [type_id for type_id in sorted(value, key=lambda t: -value[t]) if type_id not in ordered]
    return ordered[:limit]


def notice_key(character_id: int, transaction_ids: Sequence[int]) -> str:
    """The outbox key of a refresh's notice: the same transactions never make a second message."""
    return f"sales:{character_id}:{min(transaction_ids)}-{max(transaction_ids)}:{len(transaction_ids)}"
