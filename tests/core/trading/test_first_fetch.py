"""The first /profit for a character never fetched fetches its wallet first, waiting a bounded time."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from core.chat import Caller, CommandContext, Invocation, dispatch
from core.commands.default import build_registry
from core.trading.book import FetchingBook, FirstFetch, account_profit
from core.trading.model import JournalEntry, WalletTransaction
from core.usecases.accounts import AccountServices

NOW = datetime.now(UTC).replace(microsecond=0)
ROWS = [
    WalletTransaction(1, NOW - timedelta(days=1), 34, 100, 5.0, True, 60003760, 0, 7),
    WalletTransaction(2, NOW - timedelta(hours=1), 34, 100, 6.0, False, 60003760, 0, 7),
]


class Esi:
    """Stored wallet rows that appear once a fetch ran; `gate` holds the fetch back until the test opens it."""

    def __init__(self) -> None:
        self.stored: list[WalletTransaction] = []
        self.fetched: set[int] = set()
        self.calls: list[list[int]] = []
        self.gate = asyncio.Event()

    async def fetch(self, character_ids: list[int]) -> None:
        self.calls.append(character_ids)
        await self.gate.wait()
        self.stored = list(ROWS)
        self.fetched.update(character_ids)

    async def account_characters(self, account_id: int) -> dict[int, str]:
        return {7: "Trader"}

    async def history(
        self, character_ids: Sequence[int], until: date
    ) -> tuple[list[WalletTransaction], list[JournalEntry]]:
        return [t for t in self.stored if t.character_id in character_ids], []

    async def ever_fetched(self, character_ids: Sequence[int]) -> bool:
        return bool(self.fetched & set(character_ids))

    async def fetched_at(self, character_ids: Sequence[int]) -> dict[int, datetime]:
        return {cid: NOW for cid in character_ids if cid in self.fetched}


async def test_a_quick_first_fetch_is_waited_for_and_done_once() -> None:
    esi = Esi()
    esi.gate.set()
    book = FetchingBook(esi, FirstFetch(esi.fetch, wait_s=30))
    report, _ = await account_profit(book, 1, NOW.date(), NOW.date())
    assert report.profit == 100.0 and not report.fetching  # the answer has the fetched sale
    await account_profit(book, 1, NOW.date(), NOW.date())
    assert esi.calls == [[7]]  # fetched before: not again


async def test_a_slow_first_fetch_answers_with_what_is_stored_and_goes_on() -> None:
    esi = Esi()
    book = FetchingBook(esi, FirstFetch(esi.fetch, wait_s=0.05))
    services = AccountServices(None, None, "http://panel", wallet=book)  # type: ignore[arg-type]
    caller = Caller("telegram", "1", "Trader", account_id=1)
    reply = await dispatch(
        build_registry(), Invocation.from_text("/profit 7d", caller), CommandContext(accounts=services)
    )
    assert not reply.is_error and reply.data["fetching"] is True and "still being fetched" in reply.text
    assert reply.data["sources"] == [{"kind": "wallet", "id": 7, "name": "Trader's wallet", "as_of": None}]
    second, _ = await account_profit(book, 1, NOW.date(), NOW.date())
    assert second.fetching and esi.calls == [[7]]  # the running fetch is waited on, not started again
    esi.gate.set()
    third, _ = await account_profit(book, 1, NOW.date(), NOW.date())
    assert not third.fetching and third.profit == 100.0 and esi.calls == [[7]]
