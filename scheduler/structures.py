"""Job: refresh every tracked structure market with its adding character's token, through the region snapshot path.

Each structure is its own snapshot under its market id (migrations/0024): claimed once its Expires (300 s) has
passed, fetched page by page from one cache generation, staged and swapped in like a region, quotes and alert
rules after the swap. A character without a usable token or without access (ESI 403 "Market access denied") leaves
the last snapshot as it is and the reason in market_snapshots.last_error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.accounts.sso import SsoError
from core.market.errors import IngestFailed
from core.market.ingest import RefreshOutcome, RegionRefresher
from core.market.ports import OrderBookStore
from core.market.structures import StructureMarket, TokenSource, TrackedMarkets
from scheduler.dispatch import RegionDispatcher

if TYPE_CHECKING:
    from adapters.esi.structures import EsiStructures
    from adapters.redis.locks import Writer


log = logging.getLogger(__name__)


@dataclass
class StructureRefreshSummary:
    """What one run did: outcomes by structure id, and the reasons of those that failed."""

    refreshed: dict[int, RefreshOutcome] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


async def refresh_structures(
    markets: TrackedMarkets,
    books: OrderBookStore,
    tokens: TokenSource,
    esi: EsiStructures,
    base: RegionRefresher,
    dispatcher: RegionDispatcher | None = None,
    writer: Writer | None = None,
) -> StructureRefreshSummary:
    """Refresh the due structure markets (all of them without a dispatcher; with one: claimed, run-locked)."""
    summary = StructureRefreshSummary()
    tracked = await markets.markets()
    due = {m.market_id for m in tracked}
    if dispatcher is not None:
        due = set(await dispatcher.claim_due(sorted(due), writer))
    for market in tracked:
        if market.market_id in due:
            await _refresh_one(market, markets, books, tokens, esi, base, dispatcher, writer, summary)
    return summary


async def _refresh_one(
    market: StructureMarket,
    markets: TrackedMarkets,
    books: OrderBookStore,
    tokens: TokenSource,
    esi: EsiStructures,
    base: RegionRefresher,
    dispatcher: RegionDispatcher | None,
    writer: Writer | None,
    summary: StructureRefreshSummary,
) -> None:
    subject = await markets.subject(market.character_id)
    try:
        if subject is None:
            raise SsoError("the character that added it has no working token: sign in again at /link trading")
        token = (await tokens.access_token(subject)).token
    except SsoError as exc:
        reason = f"{market.name}: {exc}"
        await books.record_failure(market.market_id, reason)
        summary.failed[market.structure_id] = reason
        return
    book = esi.market_source(market.structure_id, token)
    refresher = base.with_source(book, book.book)
    try:
        if dispatcher is not None:
            outcome = await dispatcher.execute(refresher, market.market_id, writer)
        else:
            outcome = await refresher.refresh(market.market_id)
    except IngestFailed as exc:
        summary.failed[market.structure_id] = exc.reason
        return
    if outcome is None:
        meta = await books.snapshot_meta(market.market_id)
        summary.failed[market.structure_id] = (meta.last_error if meta else None) or "not refreshed"
    else:
        summary.refreshed[market.structure_id] = outcome
