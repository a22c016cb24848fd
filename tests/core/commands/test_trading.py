"""/profit and /sales over an in-memory wallet: private replies, data keys as the API's, periods, characters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from core.chat import Caller, CommandContext, Invocation, dispatch
from core.chat.model import SourceAge
from core.commands.default import build_registry
from core.trading.model import JournalEntry, WalletTransaction
from core.usecases.accounts import AccountServices

REGISTRY = build_registry()
ALICE = Caller("discord", "1001", "Alice", guild_id="g", chat_id="c", account_id=5)
NOW = datetime.now(UTC).replace(microsecond=0)
API_KEYS = {
    "from", "to", "revenue", "cost", "broker_fees", "sales_tax", "profit", "items", "unmatched", "fetching", "sources"
}  # fmt: skip
FETCHED = NOW - timedelta(minutes=7)


class Wallet:
    def __init__(self) -> None:
        ago = NOW - timedelta(days=2)
        self.rows = [
            WalletTransaction(1, ago, 34, 100, 5.0, True, 60003760, 0, 1),
            WalletTransaction(2, NOW - timedelta(hours=1), 34, 60, 8.0, False, 60003760, 0, 1),
            WalletTransaction(3, NOW - timedelta(hours=1), 35, 10, 9.0, False, 60003760, 0, 2),
        ]

    async def account_characters(self, account_id: int) -> dict[int, str]:
        return {1: "Trader One", 2: "Hauler Two"} if account_id == 5 else {}

    async def history(
        self, character_ids: Sequence[int], until: date
    ) -> tuple[list[WalletTransaction], list[JournalEntry]]:
        return [t for t in self.rows if t.character_id in character_ids], []

    async def fetched_at(self, character_ids: Sequence[int]) -> dict[int, datetime]:
        return {1: FETCHED} if 1 in character_ids else {}  # Hauler Two's wallet never fetched


class Names:
    def name_of(self, type_id: int) -> str | None:
        return {34: "Tritanium", 35: "Pyerite"}.get(type_id)


def context() -> CommandContext:
    services = AccountServices(None, None, "https://panel", wallet=Wallet())  # type: ignore[arg-type]
    return CommandContext(accounts=services, catalog=Names())  # type: ignore[arg-type]


async def run(text: str):
    return await dispatch(REGISTRY, Invocation.from_text(text, ALICE), context())


async def test_profit_totals_items_and_unmatched_privately() -> None:
    reply = await run("/profit 7d")
    assert reply.private and not reply.is_error
    assert set(reply.data) == API_KEYS
    assert reply.data["profit"] == 180.0  # 60 x (8 - 5)
    assert reply.data["items"][0]["name"] == "Tritanium"
    assert reply.data["unmatched"] == [{"type_id": 35, "quantity": 10, "revenue": 90.0}]
    assert "without a known purchase" in reply.text
    assert reply.data["sources"] == [
        {"kind": "wallet", "id": 1, "name": "Trader One's wallet", "as_of": FETCHED.isoformat()},
        {"kind": "wallet", "id": 2, "name": "Hauler Two's wallet", "as_of": None},
    ]
    footer = reply.footer
    assert footer is not None and footer.source == "ESI wallet data" and footer.as_of == FETCHED
    assert footer.sources == (SourceAge("Trader One's wallet", FETCHED), SourceAge("Hauler Two's wallet", None))


async def test_one_character_by_name_and_a_stranger_refused() -> None:
    reply = await run("/profit 7d hauler two")
    assert reply.data["profit"] == 0.0 and reply.data["unmatched"][0]["type_id"] == 35
    assert reply.footer is not None and reply.footer.sources == (SourceAge("Hauler Two's wallet", None),)
    refused = await run("/profit 7d Somebody Else")
    assert refused.is_error and refused.private and "not one of your characters" in refused.text


async def test_a_bad_period_is_explained() -> None:
    reply = await run("/profit fortnight")
    assert reply.is_error and "7d" in reply.text


async def test_sales_list_each_with_its_profit() -> None:
    reply = await run("/sales today")
    assert reply.private and set(reply.data) >= API_KEYS
    profits = {s["transaction_id"]: s["profit"] for s in reply.data["sales"]}
    assert profits == {2: 180.0, 3: None}
    assert "unknown cost" in str(reply.tables[0].rows)
    assert [s["name"] for s in reply.data["sources"]] == ["Trader One's wallet", "Hauler Two's wallet"]
    assert reply.footer is not None and len(reply.footer.sources) == 2
