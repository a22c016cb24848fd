"""Job: fetch linked characters' wallet transactions and journal once ESI's cache for them has expired.

Per character with esi-wallet.read_character_wallet.v1 and per route: asked only once the stored Expires has
passed (3600 s when ESI sends none), with the stored ETag (304: nothing new); transactions walk back from the
newest until they reach the newest stored one. Rows are stored idempotently, so a run cut short is simply redone.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from adapters.esi.errors import EsiError
from core.accounts.route_fetches import FetchMeta, is_due
from core.accounts.sso import SsoError
from core.accounts.tokens import CharacterTokens, TokenSubject
from core.market.hubs import HUBS
from core.trading.notify import notice_items, notice_key, trade_notice
from core.trading.report import profit_report
from scheduler.character_calls import authorized

if TYPE_CHECKING:
    from adapters.esi.wallet import EsiWallet, WalletAnswer
    from adapters.postgres.wallet import PgWalletStore


log = logging.getLogger(__name__)
TRANSACTIONS, JOURNAL = "transactions", "journal"
WALLET_CACHE = timedelta(seconds=3600)  # docs/domain.md (ESI caching), when ESI sends no Expires
TypeNames = Callable[[Sequence[int]], Awaitable[dict[int, str]]]  # type ids -> their static-data names


@dataclass
class WalletRefreshSummary:
    """What one run did."""

    characters: int = 0
    fetched: int = 0
    not_modified: int = 0
    fresh: int = 0  # routes still within their Expires: not requested
    new_transactions: dict[int, list[int]] = field(default_factory=dict)
    backfilled: set[int] = field(default_factory=set)  # first fetches: their history is not news
    failed: dict[int, str] = field(default_factory=dict)


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def notify_trades(
    names: TypeNames, store: PgWalletStore, summary: WalletRefreshSummary, subjects: list[TokenSubject]
) -> int:
    """One outbox message per character whose refresh found new sales (not on its first fetch); returns how many."""
    written = 0
    for subject in subjects:
        new = summary.new_transactions.get(subject.character_id)
        if not new or subject.character_id in summary.backfilled:
            continue
        mode = await store.notice_mode(subject.account_id)
        target = await store.notice_target(subject.account_id) if mode != "off" else None
        if target is None:
            continue
        notice = await _notice(names, store, subject, set(new), buys=mode == "all")
        if notice is not None:
            key = notice_key(subject.character_id, new)
            written += await store.enqueue_notice(subject.account_id, key, {"subject": "Sales", **notice}, target)
    return written


async def _notice(
    type_names: TypeNames, store: PgWalletStore, subject: TokenSubject, new: set[int], *, buys: bool = False
) -> dict[str, Any] | None:
    """The payload of the character's new sell transactions' notice, each with its FIFO profit after fees (and new
    buys): its `text` and the `type_ids` it may offer to open in game."""
    today = _utc_now().date()
    transactions, journal = await store.history([subject.character_id], today)
    fresh = [t for t in transactions if t.transaction_id in new]
    if not any(buys or not t.is_buy for t in fresh):
        return None
    first = min(t.date for t in fresh).date()
    report = profit_report(transactions, journal, first, today, character_id=subject.character_id)
    sales = [s for s in report.sales if s.sale.transaction_id in new]
    names = await type_names(sorted({t.type_id for t in fresh}))
    owned = await store.account_characters(subject.account_id)
    bought = [t for t in fresh if t.is_buy] if buys else []
    text = trade_notice(
        owned.get(subject.character_id, f"character {subject.character_id}"),
        sales,
        bought,
        lambda type_id: names.get(type_id, f"type {type_id}"),
        _place,
    )
    return None if text is None else {"text": text, "type_ids": notice_items(sales, bought)}


def _place(location_id: int) -> str:
    hub = next((h for h in HUBS if h.station_id == location_id), None)
    return hub.name if hub else f"station {location_id}"


async def refresh_wallets(
    tokens: CharacterTokens,
    esi: EsiWallet,
    store: PgWalletStore,
    subjects: list[TokenSubject],
    *,
    clock: Callable[[], datetime] = _utc_now,
) -> WalletRefreshSummary:
    """Refresh every character in `subjects`; one character failing does not stop the others."""
    summary = WalletRefreshSummary()
    for subject in subjects:
        summary.characters += 1
        try:
            await refresh_one(subject, tokens, esi, store, clock(), summary)
        except (SsoError, EsiError) as exc:
            summary.failed[subject.character_id] = str(exc)
            log.warning("wallet not refreshed", extra={"character_id": subject.character_id, "error": str(exc)})
    return summary


async def refresh_one(
    subject: TokenSubject,
    tokens: CharacterTokens,
    esi: EsiWallet,
    store: PgWalletStore,
    now: datetime,
    summary: WalletRefreshSummary,
) -> None:
    """Fetch and store one character's transactions and journal, each only when its Expires has passed."""
    character_id = subject.character_id
    stored = await store.fetch_meta(character_id, TRANSACTIONS)
    if is_due(stored, now):
        newest = await store.newest_transaction_id(character_id)
        etag = stored.etag if stored is not None and newest is not None else None
        answer = await authorized(
            tokens, subject, lambda token: esi.transactions(character_id, token, newest_known=newest, etag=etag)
        )
        if answer.rows is not None:
            new = await store.save_transactions(character_id, answer.rows)
            if new:
                summary.new_transactions[character_id] = new
            if newest is None:
                summary.backfilled.add(character_id)
        await store.save_meta(character_id, TRANSACTIONS, FetchMeta.answered(answer, now, WALLET_CACHE))
        _count(answer, summary)
    else:
        summary.fresh += 1
    stored = await store.fetch_meta(character_id, JOURNAL)
    if is_due(stored, now):
        etag = stored.etag if stored is not None else None
        journal = await authorized(tokens, subject, lambda token: esi.journal(character_id, token, etag=etag))
        if journal.rows is not None:
            await store.save_journal(character_id, journal.rows)
        await store.save_meta(character_id, JOURNAL, FetchMeta.answered(journal, now, WALLET_CACHE))
        _count(journal, summary)
    else:
        summary.fresh += 1


def _count(answer: WalletAnswer[Any], summary: WalletRefreshSummary) -> None:
    summary.not_modified += answer.not_modified
    summary.fetched += not answer.not_modified
