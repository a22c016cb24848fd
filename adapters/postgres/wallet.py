"""Wallet transactions and journal of linked characters, kept for good, and their ESI caching headers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg

from core.accounts.route_fetches import FetchMeta
from core.alerts.model import AlertTarget, TargetKind
from core.trading.model import FEE_REF_TYPES, JournalEntry, WalletTransaction
from core.trading.notify import NOTICE_DEFAULT_MODE, NOTICE_MODES

_TX_COLUMNS = (
    "character_id, transaction_id, date, type_id, quantity, unit_price, is_buy, location_id, journal_ref_id,"
    " client_id, is_personal"
)
_JOURNAL_COLUMNS = (
    "character_id, id, date, ref_type, amount, balance, context_id, context_id_type, description, first_party_id,"
    " second_party_id, reason"
)
_SAVE_TX = f"""
INSERT INTO wallet_transactions ({_TX_COLUMNS})
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::integer[], $5::integer[],
    $6::double precision[], $7::boolean[], $8::bigint[], $9::bigint[], $10::bigint[], $11::boolean[])
ON CONFLICT (character_id, transaction_id) DO NOTHING
"""
_SAVE_JOURNAL = f"""
INSERT INTO wallet_journal ({_JOURNAL_COLUMNS})
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[], $5::double precision[],
    $6::double precision[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::text[])
ON CONFLICT (character_id, id) DO NOTHING
"""
_SAVE_META = """
INSERT INTO wallet_fetches (character_id, route, etag, expires, last_modified, fetched_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (character_id, route) DO UPDATE SET etag = EXCLUDED.etag, expires = EXCLUDED.expires,
    last_modified = EXCLUDED.last_modified, fetched_at = now()
"""


def _count(status: str) -> int:
    """The row count of an 'INSERT 0 n' status."""
    return int(status.rsplit(" ", 1)[-1])


def day_end(day: date) -> datetime:
    """The first instant after UTC day `day`."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


class PgWalletStore:
    """Reads and idempotent writes of wallet rows; SQL for the wallet lives here only.

    `chat_platforms`: the chat platforms (their names, e.g. "discord") whose latest seen identity gets the account's
    trade notices when it chose no target; none: no such fallback. The bootstrap passes every platform it lists.
    """

    def __init__(self, pool: asyncpg.Pool, chat_platforms: Collection[str] = ()) -> None:
        self._pool = pool
        self._chat_platforms = sorted(chat_platforms)

    async def save_transactions(self, character_id: int, rows: Sequence[WalletTransaction]) -> list[int]:
        """Store `rows` (already stored ids are skipped); returns the ids that were new, ascending."""
        if not rows:
            return []
        names = (
            "transaction_id",
            "date",
            "type_id",
            "quantity",
            "unit_price",
            "is_buy",
            "location_id",
            "journal_ref_id",
            "client_id",
            "is_personal",
        )
        columns = [[character_id] * len(rows), *([getattr(r, name) for r in rows] for name in names)]
        inserted = await self._pool.fetch(_SAVE_TX + " RETURNING transaction_id", *columns)
        return sorted({r["transaction_id"] for r in inserted})

    async def save_journal(self, character_id: int, rows: Sequence[JournalEntry]) -> int:
        """Store journal `rows` (already stored ids are skipped); returns how many were new."""
        if not rows:
            return 0
        names = (
            "id",
            "date",
            "ref_type",
            "amount",
            "balance",
            "context_id",
            "context_id_type",
            "description",
            "first_party_id",
            "second_party_id",
            "reason",
        )
        columns = [[character_id] * len(rows), *([getattr(r, name) for r in rows] for name in names)]
        return _count(await self._pool.execute(_SAVE_JOURNAL, *columns))

    async def newest_transaction_id(self, character_id: int) -> int | None:
        """The highest stored transaction id of the character (None before the first fetch)."""
        value = await self._pool.fetchval(
            "SELECT max(transaction_id) FROM wallet_transactions WHERE character_id = $1", character_id
        )
        return None if value is None else int(value)

    async def fetch_meta(self, character_id: int, route: str) -> FetchMeta | None:
        """The stored caching headers of 'transactions' or 'journal' (None before the first fetch)."""
        row = await self._pool.fetchrow(
            "SELECT etag, expires, last_modified FROM wallet_fetches WHERE character_id = $1 AND route = $2",
            character_id,
            route,
        )
        return FetchMeta(row["etag"], row["expires"], row["last_modified"]) if row else None

    async def save_meta(self, character_id: int, route: str, meta: FetchMeta) -> None:
        """Remember a route's caching headers after a fetch."""
        await self._pool.execute(_SAVE_META, character_id, route, meta.etag, meta.expires, meta.last_modified)

    async def account_characters(self, account_id: int) -> dict[int, str]:
        """The account's linked characters, id -> name."""
        rows = await self._pool.fetch(
            "SELECT character_id, name FROM characters WHERE account_id = $1 ORDER BY name", account_id
        )
        return {r["character_id"]: r["name"] for r in rows}

    async def ever_fetched(self, character_ids: Sequence[int]) -> bool:
        """Whether any of the characters' wallets was fetched at least once."""
        return bool(
            await self._pool.fetchval(
                "SELECT EXISTS (SELECT 1 FROM wallet_fetches WHERE character_id = ANY($1::bigint[]))",
                list(character_ids),
            )
        )

    async def fetched_at(self, character_ids: Sequence[int]) -> dict[int, datetime]:
        """When each character's stored wallet was current (the older of its transactions and journal, as ESI's
        Last-Modified or else the fetch time); characters never fetched are absent."""
        rows = await self._pool.fetch(
            "SELECT character_id, min(coalesce(last_modified, fetched_at)) AS as_of FROM wallet_fetches"
            " WHERE character_id = ANY($1::bigint[]) GROUP BY character_id",
            list(character_ids),
        )
        return {r["character_id"]: r["as_of"] for r in rows}

    async def history(
        self, character_ids: Sequence[int], until: date
    ) -> tuple[list[WalletTransaction], list[JournalEntry]]:
        """Every stored transaction and fee journal entry of the characters up to the end of UTC day `until`."""
        ids, end = list(character_ids), day_end(until)
        async with self._pool.acquire() as conn:
            txs = await conn.fetch(
                f"SELECT {_TX_COLUMNS} FROM wallet_transactions WHERE character_id = ANY($1::bigint[]) AND date < $2",
                ids,
                end,
            )
            entries = await conn.fetch(
                f"SELECT {_JOURNAL_COLUMNS} FROM wallet_journal WHERE character_id = ANY($1::bigint[])"
                " AND date < $2 AND ref_type = ANY($3::text[])",
                ids,
                end,
                list(FEE_REF_TYPES),
            )
        return [WalletTransaction(**dict(r)) for r in txs], [JournalEntry(**dict(r)) for r in entries]

    async def notice_mode(self, account_id: int) -> str:
        """What the account's trade notices announce: 'off', 'sales' (the default) or 'all' (sales and buys)."""
        mode = await self._pool.fetchval("SELECT mode FROM trade_notice_preferences WHERE account_id = $1", account_id)
        return str(mode or NOTICE_DEFAULT_MODE)

    async def set_notices(self, account_id: int, mode: str, target: AlertTarget | None) -> None:
        """Save what the notices announce and, when given, where they go (None keeps the chosen target)."""
        if mode not in NOTICE_MODES:
            raise ValueError(f"notices must be one of {', '.join(NOTICE_MODES)}")
        parts = (target.platform, target.kind.value, target.address) if target else (None, None, None)
        await self._pool.execute(
            "INSERT INTO trade_notice_preferences (account_id, mode, target_platform, target_kind, target_address)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET mode = EXCLUDED.mode,"
            " target_platform = coalesce(EXCLUDED.target_platform, trade_notice_preferences.target_platform),"
            " target_kind = coalesce(EXCLUDED.target_kind, trade_notice_preferences.target_kind),"
            " target_address = coalesce(EXCLUDED.target_address, trade_notice_preferences.target_address),"
            " updated_at = now()",
            account_id,
            mode,
            *parts,
        )

    async def notice_target(self, account_id: int) -> AlertTarget | None:
        """Where the account's trade notices go: the target chosen for them, else its digest's target, else the DM of
        its latest seen identity on one of the chat platforms."""
        row = await self._pool.fetchrow(
            """SELECT target_platform, target_kind, target_address FROM trade_notice_preferences
               WHERE account_id = $1 AND target_kind IS NOT NULL
               UNION ALL
               SELECT target_platform, target_kind, target_address FROM digest_preferences WHERE account_id = $1
               UNION ALL
               (SELECT platform, 'dm', external_id FROM account_identities
                WHERE account_id = $1 AND platform = ANY($2::text[]) ORDER BY last_seen_at DESC LIMIT 1)
               LIMIT 1""",
            account_id,
            self._chat_platforms,
        )
        return AlertTarget(row[0], TargetKind(row[1]), row[2]) if row else None

    async def enqueue_notice(self, account_id: int, key: str, payload: dict[str, Any], target: AlertTarget) -> bool:
        """Write a pre-rendered notice to the alert outbox; False when its key was written before."""
        status = await self._pool.execute(
            "INSERT INTO alert_outbox (account_id, idempotency_key, payload, target_platform, target_kind,"
            " target_address) VALUES ($1, $2, $3::jsonb, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING",
            account_id,
            key,
            payload,
            target.platform,
            target.kind.value,
            target.address,
        )
        return _count(status) == 1
