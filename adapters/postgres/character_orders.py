"""Characters' last seen orders, their alert state, ESI caching headers, competitor prices and order alert rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from core.accounts.route_fetches import FetchMeta
from core.accounts.tokens import TokenSubject
from core.alerts.model import AlertKind, AlertTarget, QuietHours, TargetKind
from core.alerts.orders import BookKey, CharacterOrder, OrderRule, OrderState, OrderStatus, OutboxEntry

ORDER_RULE_KINDS = [AlertKind.ORDER_UNDERCUT.value, AlertKind.ORDER_FILLED.value, AlertKind.ORDER_EXPIRING.value]
# The best price of each (region, location, type, side) without the character's own orders, for regions that
# have a live snapshot (absent rows: no book to compare with); best is NULL when nobody else is on that side.
_COMPETITORS = """
SELECT k.region_id, k.location_id, k.type_id, k.is_buy, b.market_id,
       coalesce(s.last_modified, s.updated_at) AS as_of,
       (SELECT CASE WHEN k.is_buy THEN max(o.price) ELSE min(o.price) END FROM market_orders o
        WHERE o.region_id = b.market_id AND o.location_id = k.location_id AND o.type_id = k.type_id
          AND o.is_buy_order = k.is_buy AND o.volume_remain > 0 AND o.price > 0
          AND o.order_id <> ALL($5::bigint[])) AS best
FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::boolean[]) AS k(region_id, location_id, type_id, is_buy)
CROSS JOIN LATERAL (SELECT coalesce((SELECT m.market_id FROM structure_markets m WHERE m.structure_id = k.location_id),
                                    k.region_id) AS market_id) b  -- a tracked structure's book is its own partition
JOIN market_snapshots s ON s.region_id = b.market_id AND s.generation IS NOT NULL
"""
_SAVE_ORDER = """
INSERT INTO character_orders (character_id, order_id, type_id, region_id, location_id, is_buy_order, price,
    volume_remain, volume_total, issued, duration, status, on_top, best_competitor, last_notified,
    expiring_notified, gone_since, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now())
ON CONFLICT (character_id, order_id) DO UPDATE SET type_id = EXCLUDED.type_id, region_id = EXCLUDED.region_id,
    location_id = EXCLUDED.location_id, is_buy_order = EXCLUDED.is_buy_order, price = EXCLUDED.price,
    volume_remain = EXCLUDED.volume_remain, volume_total = EXCLUDED.volume_total, issued = EXCLUDED.issued,
    duration = EXCLUDED.duration, status = EXCLUDED.status, on_top = EXCLUDED.on_top,
    best_competitor = EXCLUDED.best_competitor, last_notified = EXCLUDED.last_notified,
    expiring_notified = EXCLUDED.expiring_notified, gone_since = EXCLUDED.gone_since, updated_at = now()
"""


@dataclass(frozen=True)
class Competition:
    """Competitor best prices per book, the as-of instant of each region's snapshot, and each book's market (its
    region, or a tracked structure's market id) with that market's as-of instant."""

    best: dict[BookKey, float | None]
    as_of: dict[int, datetime]
    market_of: dict[BookKey, int]
    market_as_of: dict[int, datetime]


class PgCharacterOrderStore:
    """Everything the order alert job reads and writes in Postgres."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def characters_with_scope(self, scope: str) -> list[TokenSubject]:
        """Linked characters whose token works and grants `scope`."""
        rows = await self._pool.fetch(
            "SELECT character_id, account_id, owner_hash FROM characters"
            " WHERE token_status = 'ok' AND refresh_token_enc IS NOT NULL AND $1 = ANY(scopes) ORDER BY character_id",
            scope,
        )
        return [TokenSubject(r["character_id"], r["account_id"], r["owner_hash"]) for r in rows]

    async def fetch_meta(self, character_id: int, route: str) -> FetchMeta | None:
        """The stored ETag/Expires/Last-Modified of one route ("orders" or "history"), None before the first fetch."""
        row = await self._pool.fetchrow(
            "SELECT etag, expires, last_modified FROM character_order_fetches WHERE character_id = $1 AND route = $2",
            character_id,
            route,
        )
        return FetchMeta(row["etag"], row["expires"], row["last_modified"]) if row else None

    async def states(self, character_id: int) -> dict[int, OrderState]:
        """Every remembered order of the character, by order id."""
        rows = await self._pool.fetch("SELECT * FROM character_orders WHERE character_id = $1", character_id)
        return {r["order_id"]: _state(r) for r in rows}

    async def competition(self, keys: Sequence[BookKey], own_order_ids: Sequence[int]) -> Competition:
        """Best competing prices of `keys`, the character's own orders (`own_order_ids`) left out."""
        unique = list(dict.fromkeys(keys))
        columns = [list(column) for column in zip(*unique, strict=True)] if unique else [[], [], [], []]
        rows = await self._pool.fetch(_COMPETITORS, *columns, list(own_order_ids))
        keyed = [((r["region_id"], r["location_id"], r["type_id"], r["is_buy"]), r) for r in rows]
        return Competition(
            {key: r["best"] for key, r in keyed},
            {r["region_id"]: r["as_of"] for r in rows},
            {key: r["market_id"] for key, r in keyed},
            {r["market_id"]: r["as_of"] for r in rows},
        )

    async def order_rules(self, account_id: int) -> list[OrderRule]:
        """The account's active order rules that are not snoozed, with its quiet hours."""
        rows = await self._pool.fetch(
            "SELECT r.id, r.account_id, r.kind, r.region_id, r.type_id, r.threshold, r.target_platform,"
            " r.target_kind, r.target_address, p.timezone, p.quiet_start, p.quiet_end"
            " FROM alert_rules r LEFT JOIN alert_preferences p ON p.account_id = r.account_id"
            " WHERE r.account_id = $1 AND r.active AND r.kind = ANY($2::text[])"
            " AND (r.muted_until IS NULL OR r.muted_until <= now()) ORDER BY r.id",
            account_id,
            ORDER_RULE_KINDS,
        )
        return [
            OrderRule(
                r["id"], r["account_id"], AlertKind(r["kind"]), r["region_id"], r["type_id"], r["threshold"],
                AlertTarget(r["target_platform"], TargetKind(r["target_kind"]), r["target_address"]),
                QuietHours(r["timezone"], r["quiet_start"], r["quiet_end"]) if r["quiet_start"] is not None else None,
            )
            for r in rows
        ]  # fmt: skip

    async def save(
        self,
        character_id: int,
        states: Sequence[OrderState],
        fetches: dict[str, FetchMeta],
        entries: Sequence[OutboxEntry],
    ) -> int:
        """Store the orders' states, the routes' caching headers and the outbox rows in one transaction.

        Returns how many outbox rows are new (a repeated idempotency key is skipped).
        """
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.executemany(_SAVE_ORDER, [_row(character_id, state) for state in states])
            for route, meta in fetches.items():
                await conn.execute(
                    "INSERT INTO character_order_fetches (character_id, route, etag, expires, last_modified)"
                    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (character_id, route) DO UPDATE SET"
                    " etag = EXCLUDED.etag, expires = EXCLUDED.expires, last_modified = EXCLUDED.last_modified,"
                    " fetched_at = now()",
                    character_id, route, meta.etag, meta.expires, meta.last_modified,
                )  # fmt: skip
            inserted = 0
            for entry in entries:
                status = await conn.execute(
                    "INSERT INTO alert_outbox (rule_id, account_id, idempotency_key, payload, target_platform,"
                    " target_kind, target_address, not_before) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)"
                    " ON CONFLICT (idempotency_key) DO NOTHING",
                    entry.rule_id, entry.account_id, entry.idempotency_key, entry.payload,
                    entry.target.platform, entry.target.kind.value, entry.target.address, entry.not_before,
                )  # fmt: skip
                inserted += status == "INSERT 0 1"
        return inserted

    async def prune_closed(self, before: datetime) -> int:
        """Forget closed orders last updated before `before`; returns how many."""
        status = await self._pool.execute(
            "DELETE FROM character_orders WHERE status NOT IN ('open', 'gone') AND updated_at < $1", before
        )
        return int(status.split()[-1])


def _state(r: asyncpg.Record) -> OrderState:
    order = CharacterOrder(
        r["order_id"], r["type_id"], r["region_id"], r["location_id"], r["is_buy_order"], r["price"],
        r["volume_remain"], r["volume_total"], r["issued"], r["duration"],
    )  # fmt: skip
    return OrderState(
        order, OrderStatus(r["status"]), r["on_top"], r["best_competitor"], r["last_notified"],
        r["expiring_notified"], r["gone_since"],
    )  # fmt: skip


def _row(character_id: int, s: OrderState) -> tuple[object, ...]:
    o = s.order
    return (
        character_id, o.order_id, o.type_id, o.region_id, o.location_id, o.is_buy_order, o.price, o.volume_remain,
        o.volume_total, o.issued, o.duration, s.status.value, s.on_top, s.best_competitor, s.last_notified,
        s.expiring_notified, s.gone_since,
    )  # fmt: skip
