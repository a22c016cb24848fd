"""The account's book: periods people type, and the profit use case the chat command and the API share."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from core.formatting import short_isk
from core.trading.model import JournalEntry, WalletTransaction
from core.trading.report import DailyProfit, NameOf, ProfitReport, profit_report

MAX_DAYS = 3660
_DAYS = re.compile(r"(\d{1,4})d")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")
PERIOD_HELP = "today, yesterday, 7d, 30d, month, 2024-05-01 or 2024-05-01..2024-05-31"
FIRST_FETCH_WAIT_S = 10.0


class PeriodError(ValueError):
    """A period or character that cannot be used; the message says what would work."""


class CharacterError(PeriodError):
    """A character that is not one of the account's (or has nothing stored); the message names theirs."""


class WalletHistory(Protocol):
    """Stored wallet rows of an account's characters (adapters.postgres.wallet.PgWalletStore)."""

    async def account_characters(self, account_id: int) -> dict[int, str]:
        """The account's characters, id -> name."""
        ...

    async def history(
        self, character_ids: Sequence[int], until: date
    ) -> tuple[list[WalletTransaction], list[JournalEntry]]:
        """Transactions and fee entries of the characters up to the end of `until`."""
        ...

    async def ever_fetched(self, character_ids: Sequence[int]) -> bool:
        """Whether any of the characters' wallets was fetched at least once."""
        ...

    async def fetched_at(self, character_ids: Sequence[int]) -> dict[int, datetime]:
        """When each character's stored wallet was current (absent: never fetched)."""
        ...


class FirstFetch:
    """Fetches wallets never fetched before an answer uses them, waiting at most `wait_s` (the fetch goes on)."""

    def __init__(self, fetch: Callable[[list[int]], Awaitable[object]], wait_s: float = FIRST_FETCH_WAIT_S) -> None:
        self._fetch = fetch
        self._wait_s = wait_s
        self._running: dict[int, asyncio.Task[object]] = {}

    async def ready(self, book: WalletHistory, character_ids: Sequence[int]) -> bool:
        """True once every character's wallet was fetched (now or before); False while a fetch still runs."""
        never = [cid for cid in character_ids if not await book.ever_fetched([cid])]
        if not never:
            return True
        missing = [cid for cid in never if cid not in self._running]
        if missing:
            task = asyncio.ensure_future(self._fetch(missing))
            for cid in missing:
                self._running[cid] = task
            task.add_done_callback(lambda done: self._forget(done, missing))
        _, pending = await asyncio.wait({self._running[cid] for cid in never}, timeout=self._wait_s)
        return not pending

    def _forget(self, done: asyncio.Task[object], character_ids: list[int]) -> None:
        for cid in character_ids:
            if self._running.get(cid) is done:
                del self._running[cid]
        if not done.cancelled():
            done.exception()  # a failed fetch was logged by the fetcher; the next call tries again


class ProfitChart(Protocol):
    """Renders the daily and cumulative realised profit to PNG bytes (off the event loop)."""

    async def __call__(self, days: Sequence[DailyProfit], *, title: str) -> bytes:
        """PNG bytes of the chart."""
        ...


@dataclass(frozen=True)
class FetchingBook:
    """Stored wallets whose characters never fetched are fetched before a report reads them (bounded wait).

    The commands' wallet book: it also carries the profit chart renderer when the app has one.
    """

    store: WalletHistory
    first_fetch: FirstFetch
    chart: ProfitChart | None = None

    async def account_characters(self, account_id: int) -> dict[int, str]:
        """The account's characters, id -> name."""
        return await self.store.account_characters(account_id)

    async def history(
        self, character_ids: Sequence[int], until: date
    ) -> tuple[list[WalletTransaction], list[JournalEntry]]:
        """Transactions and fee entries of the characters up to the end of `until`."""
        return await self.store.history(character_ids, until)

    async def ever_fetched(self, character_ids: Sequence[int]) -> bool:
        """Whether any of the characters' wallets was fetched at least once."""
        return await self.store.ever_fetched(character_ids)

    async def fetched_at(self, character_ids: Sequence[int]) -> dict[int, datetime]:
        """When each character's stored wallet was current (absent: never fetched)."""
        return await self.store.fetched_at(character_ids)


def parse_period(text: str | None, today: date) -> tuple[date, date]:
    """(first day, last day) of a period as typed (default: the last 30 days, today included)."""
    raw = (text or "30d").strip().lower()
    if raw == "today":
        return today, today
    if raw == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if raw == "month":
        return today.replace(day=1), today
    if (days := _DAYS.fullmatch(raw)) is not None and 1 <= int(days.group(1)) <= MAX_DAYS:
        return today - timedelta(days=int(days.group(1)) - 1), today
    if (dates := _RANGE.fullmatch(raw)) is not None:
        try:
            start = date.fromisoformat(dates.group(1))
            end = date.fromisoformat(dates.group(2) or dates.group(1))
        except ValueError:
            raise PeriodError(f"period: {text!r} is not a calendar date (try {PERIOD_HELP})") from None
        return check_range(start, end)
    raise PeriodError(f"period: {text!r} is not a period (try {PERIOD_HELP})")


def check_range(start: date, end: date) -> tuple[date, date]:
    """`start`..`end` when it is a sensible range; PeriodError otherwise."""
    if end < start:
        raise PeriodError("the period ends before it starts")
    if (end - start).days >= MAX_DAYS:
        raise PeriodError(f"a period covers at most {MAX_DAYS} days")
    return start, end


async def account_profit(
    book: WalletHistory,
    account_id: int,
    start: date,
    end: date,
    *,
    character: str | int | None = None,
    name_of: NameOf = str,
) -> tuple[ProfitReport, dict[int, str]]:
    """The account's P&L (all characters pooled) or one character's (its own FIFO); also the characters used.

    `character` is a name (any case) or id of one of the account's characters; PeriodError when it is not one.
    A FetchingBook fetches wallets never fetched first (bounded wait; the report says when still fetching).
    """
    owned = await book.account_characters(account_id)
    chosen = owned
    if character is not None:
        wanted = str(character).strip().lower()
        chosen = {cid: name for cid, name in owned.items() if name.lower() == wanted or str(cid) == wanted}
        if not chosen:
            names = ", ".join(owned.values()) or "none linked"
            raise CharacterError(f"character: {character!s} is not one of your characters ({names})")
    ready = not isinstance(book, FetchingBook) or not chosen or await book.first_fetch.ready(book, sorted(chosen))
    transactions, journal = await book.history(sorted(chosen), end)
    one = next(iter(chosen)) if character is not None else None
    report = profit_report(
        transactions, journal, start, end, name_of=name_of, per_account=one is None, character_id=one
    )
    return (report if ready else replace(report, fetching=True)), chosen


@dataclass(frozen=True)
class DigestProfit:
    """The daily digest's profit line: the account's realised profit (all characters pooled) of the UTC day before
    the digest's date, once any of its characters' wallets was fetched."""

    book: WalletHistory
    name_of: NameOf = str

    async def lines(self, account_id: int, day: date) -> list[str]:
        """'Realised profit on <day - 1>: ...' (empty: no character's wallet fetched yet)."""
        characters = await self.book.account_characters(account_id)
        if not characters or not await self.book.ever_fetched(sorted(characters)):
            return []
        yesterday = day - timedelta(days=1)
        report, _ = await account_profit(self.book, account_id, yesterday, yesterday, name_of=self.name_of)
        sold = sum(item.sold for item in report.items)
        text = f"Realised profit on {yesterday.isoformat()} (UTC): {short_isk(report.profit)} ISK after fees"
        text += f" on {sold:,} units sold" if sold else " (no matched sales)"
        if report.items and report.items[0].profit > 0:
            text += f"; best {report.items[0].name} ({short_isk(report.items[0].profit)})"
        return [text]
