"""Job: refresh linked characters' market orders politely and write undercut / back on top / filled / expiring alerts.

Per character: the open orders are requested only once the stored Expires has passed (1200 s), with the stored
ETag (304: the stored orders stand); the order history only when an order left the list. Every run compares the
orders with the latest public books (the character's own orders left out), so a book refresh alone can raise an
undercut. Alerts go to the outbox only for accounts with an active rule of the kind (the rule says where to send
them); without a rule nothing is written, though the orders' state is still kept current.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from adapters.esi.errors import EsiError
from core.accounts.route_fetches import FetchMeta, is_due
from core.accounts.sso import SCOPE_CHARACTER_ORDERS, SsoError
from core.accounts.tokens import CharacterTokens, TokenSubject
from core.alerts.orders import (
    CharacterOrder,
    OrderStatus,
    book_key,
    expiring_window,
    outbox_entries,
    review_orders,
)
from scheduler.character_calls import authorized

if TYPE_CHECKING:
    from adapters.esi.character_orders import EsiCharacterOrders
    from adapters.postgres.character_orders import PgCharacterOrderStore


log = logging.getLogger(__name__)
ORDERS, HISTORY = "orders", "history"
ORDERS_CACHE = timedelta(seconds=1200)  # docs/domain.md (ESI caching), when ESI sends no Expires
HISTORY_CACHE = timedelta(seconds=3600)
KEEP_CLOSED = timedelta(days=7)


@dataclass
class OrderRefreshSummary:
    """What one run did."""

    characters: int = 0
    fetched: int = 0
    not_modified: int = 0
    fresh: int = 0  # stored orders still within their Expires: not requested
    alerts: int = 0
    failed: dict[int, str] = field(default_factory=dict)


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def refresh_character_orders(
    tokens: CharacterTokens,
    esi: EsiCharacterOrders,
    store: PgCharacterOrderStore,
    *,
    clock: Callable[[], datetime] = _utc_now,
) -> OrderRefreshSummary:
    """Refresh every linked character with the orders scope; one character failing does not stop the others."""
    summary = OrderRefreshSummary()
    for subject in await store.characters_with_scope(SCOPE_CHARACTER_ORDERS):
        summary.characters += 1
        try:
            summary.alerts += await refresh_one(subject, tokens, esi, store, clock(), summary)
        except (SsoError, EsiError) as exc:
            summary.failed[subject.character_id] = str(exc)
            log.warning(
                "character orders not refreshed", extra={"character_id": subject.character_id, "error": str(exc)}
            )
    await store.prune_closed(clock() - KEEP_CLOSED)
    return summary


async def refresh_one(
    subject: TokenSubject,
    tokens: CharacterTokens,
    esi: EsiCharacterOrders,
    store: PgCharacterOrderStore,
    now: datetime,
    summary: OrderRefreshSummary,
) -> int:
    """Refresh one character's orders and alerts; returns how many outbox rows were written."""
    character_id = subject.character_id
    previous = await store.states(character_id)
    stored = await store.fetch_meta(character_id, ORDERS)
    fetches: dict[str, FetchMeta] = {}
    current: list[CharacterOrder] | None = None
    if is_due(stored, now):
        etag = stored.etag if stored is not None and previous else None
        answer = await authorized(tokens, subject, lambda token: esi.open_orders(character_id, token, etag))
        fetches[ORDERS] = FetchMeta.answered(answer, now, ORDERS_CACHE)
        current = answer.orders
        summary.not_modified += answer.not_modified
        summary.fetched += not answer.not_modified
    else:
        summary.fresh += 1
    listed = [s.order for s in previous.values() if s.status is OrderStatus.OPEN] if current is None else current
    listed_ids = {order.order_id for order in listed}
    departed = any(
        s.status is OrderStatus.GONE or (s.status is OrderStatus.OPEN and order_id not in listed_ids)
        for order_id, s in previous.items()
    )
    history: dict[int, CharacterOrder] = {}
    if departed:
        history = await _history(subject, tokens, esi, store, now, fetches)
    competition = await store.competition([book_key(order) for order in listed], sorted(listed_ids))
    rules = await store.order_rules(subject.account_id)
    orders_meta = fetches.get(ORDERS) or stored
    review = review_orders(
        previous,
        current,
        competition.best,
        history=history,
        instant=(orders_meta.last_modified if orders_meta and orders_meta.last_modified else now),
        now=now,
        book_as_of=competition.as_of,
        expiring_within=expiring_window(rules),
    )
    entries = outbox_entries(character_id, review.alerts, rules, now)
    return await store.save(character_id, review.states, fetches, entries)


async def _history(
    subject: TokenSubject,
    tokens: CharacterTokens,
    esi: EsiCharacterOrders,
    store: PgCharacterOrderStore,
    now: datetime,
    fetches: dict[str, FetchMeta],
) -> dict[int, CharacterOrder]:
    """The order history by order id, when its Expires allows a request (else empty: departures wait)."""
    stored = await store.fetch_meta(subject.character_id, HISTORY)
    if not is_due(stored, now):
        return {}
    answer = await authorized(tokens, subject, lambda token: esi.order_history(subject.character_id, token))
    fetches[HISTORY] = FetchMeta.answered(answer, now, HISTORY_CACHE)
    return {order.order_id: order for order in answer.orders or []}
