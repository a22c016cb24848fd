"""FIFO profit benchmark: P&L over 100,000 wallet transactions (and their fee journal) of three characters.

Builds a synthetic year of trading (buys before sales of 500 types, a sales tax per sale at the same second and a
broker fee per order day), then times profit_report over the whole year, per character and per account. Prints one
JSON object with the median and worst time beside the target (< 1 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

import orjson

from core.trading.model import BROKERS_FEE, TRANSACTION_TAX, JournalEntry, WalletTransaction
from core.trading.report import profit_report

TARGET_S = 1.0
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def synthetic_book(n: int, seed: int = 15) -> tuple[list[WalletTransaction], list[JournalEntry]]:
    """`n` transactions over a year (about 55% buys) with a tax entry per sale and a broker fee every few trades."""
    rnd = random.Random(seed)
    book: list[WalletTransaction] = []
    journal: list[JournalEntry] = []
    step = 365 * 86400 / n
    for i in range(n):
        when = T0 + timedelta(seconds=int(i * step))
        character, type_id = rnd.randint(1, 3), rnd.randint(1, 500)
        is_buy = rnd.random() < 0.55
        price = round(rnd.uniform(1, 1e6), 2)
        quantity = rnd.randint(1, 1000)
        book.append(WalletTransaction(i + 1, when, type_id, quantity, price, is_buy, 60003760, 0, character))
        if not is_buy:
            journal.append(JournalEntry(2 * i + 1, when, TRANSACTION_TAX, -0.036 * price * quantity, character))
        if rnd.random() < 0.3:
            journal.append(JournalEntry(2 * i + 2, when, BROKERS_FEE, -0.015 * price * quantity, character))
    rnd.shuffle(book)  # as if fetched in any order
    return book, journal


def main(argv: list[str] | None = None) -> int:
    """Time the report; print JSON; exit 1 when the median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    book, journal = synthetic_book(args.transactions)
    figures: dict[str, list[float]] = {"per_character": [], "per_account": []}
    report = None
    for _ in range(args.runs):
        for mode, per_account in (("per_character", False), ("per_account", True)):
            started = time.perf_counter()
            report = profit_report(book, journal, date(2025, 1, 1), date(2025, 12, 31), per_account=per_account)
            figures[mode].append(time.perf_counter() - started)
    assert report is not None
    result = {
        "benchmark": "profit",
        "transactions": len(book),
        "journal_entries": len(journal),
        "sales_reported": len(report.sales),
        "target_s": TARGET_S,
        **{f"{mode}_median_s": round(statistics.median(times), 3) for mode, times in figures.items()},
        **{f"{mode}_max_s": round(max(times), 3) for mode, times in figures.items()},
    }
    result["meets_target"] = all(statistics.median(times) < TARGET_S for times in figures.values())
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
