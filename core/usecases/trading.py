"""Trading use cases over the wallet: a period's realised profit and its sales list, with each wallet's age."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.chat.model import Footer, SourceAge
from core.trading.book import WalletHistory, account_profit
from core.trading.fifo import MatchedSale
from core.trading.report import NameOf, ProfitReport
from core.usecases.market_services import sources_data

SIMULATED_SOURCE = "simulated ESI (demo)"
WALLET_SOURCE = "ESI wallet data"


def ages_footer(source: str, ages: Iterable[SourceAge], simulated: bool) -> Footer:
    """A footer listing every source's age; its `as_of` is the oldest known one."""
    listed = tuple(ages)
    known = [age.as_of for age in listed if age.as_of is not None]
    return Footer(SIMULATED_SOURCE if simulated else source, min(known, default=None), simulated, listed)


def character_ages(kind: str, what: str, characters: dict[int, str], as_of: dict[int, datetime]) -> list[SourceAge]:
    """One age per character, as "<name>'s <what>" (None when never fetched); its id is the character's."""
    return [SourceAge(f"{name}'s {what}", as_of.get(cid), kind, cid) for cid, name in characters.items()]


@dataclass(frozen=True)
class WalletProfit:
    """/profit's answer: the P&L of a period for all the account's characters pooled or one of them."""

    report: ProfitReport
    characters: dict[int, str]  # the characters the report covers (empty: the account has none linked)
    one: bool  # one character asked for (else all of them, pooled)
    ages: tuple[SourceAge, ...]  # each covered character's wallet
    footer: Footer

    @property
    def who(self) -> str:
        """The character's name, or "all characters"."""
        return next(iter(self.characters.values()), "?") if self.one else "all characters"

    def as_data(self) -> dict[str, Any]:
        """The report's keys (the API's ProfitReport) and `sources`: each wallet's age."""
        return self.report.as_dict() | {"sources": sources_data(self.footer)}


@dataclass(frozen=True)
class SalesList:
    """/sales' answer: the period's sales (of a wallet_profit), newest first, each with its realised profit."""

    profit: WalletProfit

    @property
    def sales(self) -> list[MatchedSale]:
        """The period's sales, newest first."""
        return list(reversed(self.profit.report.sales))

    def as_data(self) -> dict[str, Any]:
        """The profit's keys and `sales` (README documents them)."""
        return self.profit.as_data() | {
            "sales": [
                {
                    "transaction_id": s.sale.transaction_id,
                    "date": s.sale.date.isoformat(),
                    "character_id": s.sale.character_id,
                    "type_id": s.sale.type_id,
                    "quantity": s.sale.quantity,
                    "unit_price": s.sale.unit_price,
                    "matched": s.matched,
                    "profit": round(s.profit, 2) if s.matched else None,
                }
                for s in self.sales
            ]
        }


async def wallet_profit(
    book: WalletHistory,
    account_id: int,
    start: date,
    end: date,
    *,
    character: str | int | None = None,
    name_of: NameOf = str,
    simulated: bool = False,
) -> WalletProfit:
    """The account's realised profit from `start` to `end` (UTC days), pooled or of one character (name or id).

    CharacterError (a PeriodError) names the account's characters when `character` is not one of them.
    """
    report, chosen = await account_profit(book, account_id, start, end, character=character, name_of=name_of)
    fetched = await book.fetched_at(sorted(chosen)) if chosen else {}
    ages = tuple(character_ages("wallet", "wallet", chosen, fetched))
    return WalletProfit(report, chosen, character is not None, ages, ages_footer(WALLET_SOURCE, ages, simulated))
