"""The market_quotes columns and reading a stored quote back into a core Quote."""

from __future__ import annotations

from typing import Any

from core.market.model import Quote

QUOTE_COLUMNS: tuple[str, ...] = (
    "region_id",
    "location_id",
    "type_id",
    "best_buy",
    "best_sell",
    "buy_volume",
    "sell_volume",
    "buy_orders",
    "sell_orders",
    "buy_depth",
    "sell_depth",
    "buy_percentile",
    "sell_percentile",
    "buy_top5_avg",
    "sell_top5_avg",
    "as_of",
)


def quote_from_record(record: Any) -> Quote:
    """Build a core Quote from a market_quotes row (a Record selected as SELECT_QUOTES, or a mapping)."""
    return Quote(*(record[name] for name in QUOTE_COLUMNS)) if isinstance(record, dict) else Quote(*record)


SELECT_QUOTES = f"SELECT {', '.join(QUOTE_COLUMNS)} FROM market_quotes"
