"""Watchlists, digest preferences and the daily digest's reads and outbox writes, in Postgres."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from core.alerts.digest import DigestCandidate, WatchPrice
from core.alerts.model import AlertTarget, RuleError, TargetKind
from core.alerts.watchlist import (
    DEFAULT_DIGEST_HOUR,
    MAX_WATCHED,
    DigestSettings,
    WatchedItem,
    WatchlistLimitReached,
    check_digest_hour,
)
from core.market.hubs import Hub

PREVIOUS_DAYS = 3  # the digest compares with the latest daily average at most this many days before its date


def _target(row: Any) -> AlertTarget:
    return AlertTarget(row["target_platform"], TargetKind(row["target_kind"]), row["target_address"])


class PgWatchlist:
    """WatchlistStore on asyncpg (tables watchlist and digest_preferences)."""

    def __init__(self, pool: asyncpg.Pool, max_items: int = MAX_WATCHED) -> None:
        self._pool = pool
        self._max_items = max_items

    async def add(self, account_id: int, type_id: int, region_id: int | None = None) -> bool:
        """Watch an item under the per-account limit (the account row is locked while counting)."""
        async with self._pool.acquire() as conn, conn.transaction():
            if await conn.fetchval("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE", account_id) is None:
                raise RuleError("unknown account")
            watched = await conn.fetch("SELECT type_id FROM watchlist WHERE account_id = $1", account_id)
            added = type_id not in {row["type_id"] for row in watched}
            if added and len(watched) >= self._max_items:
                raise WatchlistLimitReached(self._max_items)
            if added:
                await conn.execute("INSERT INTO watchlist (account_id, type_id) VALUES ($1, $2)", account_id, type_id)
            if region_id is not None:  # keep the item's daily history fresh where the account trades it
                await conn.execute(
                    "INSERT INTO watched_types (region_id, type_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    region_id,
                    type_id,
                )
        return added

    async def items(self, account_id: int) -> list[WatchedItem]:
        """The account's watched items, oldest first."""
        rows = await self._pool.fetch(
            "SELECT type_id, added_at FROM watchlist WHERE account_id = $1 ORDER BY added_at, type_id", account_id
        )
        return [WatchedItem(row["type_id"], row["added_at"]) for row in rows]

    async def remove(self, account_id: int, type_id: int) -> bool:
        """Stop watching an item; False if it was not watched."""
        status = await self._pool.execute(
            "DELETE FROM watchlist WHERE account_id = $1 AND type_id = $2", account_id, type_id
        )
        return bool(status == "DELETE 1")

    async def digest(self, account_id: int) -> DigestSettings:
        """The account's digest settings (off when never set)."""
        row = await self._pool.fetchrow(
            "SELECT enabled, hour, target_platform, target_kind, target_address, last_sent_on"
            " FROM digest_preferences WHERE account_id = $1",
            account_id,
        )
        if row is None:
            return DigestSettings(enabled=False)
        return DigestSettings(row["enabled"], row["hour"], _target(row), row["last_sent_on"])

    async def set_digest(
        self, account_id: int, enabled: bool, hour: int | None = None, target: AlertTarget | None = None
    ) -> DigestSettings:
        """Turn the digest on or off; the first time on needs a target; None keeps the hour and target."""
        if hour is not None:
            check_digest_hour(hour)
        if target is None:
            current = await self.digest(account_id)
            if current.target is None:
                if not enabled:
                    return current
                raise RuleError("say where the digest should go")
            target = current.target
        await self._pool.execute(
            """INSERT INTO digest_preferences (account_id, enabled, hour, target_platform, target_kind, target_address)
               VALUES ($1, $2, coalesce($3::smallint, $7::smallint), $4, $5, $6)
               ON CONFLICT (account_id) DO UPDATE SET enabled = EXCLUDED.enabled,
                   hour = coalesce($3::smallint, digest_preferences.hour), target_platform = EXCLUDED.target_platform,
                   target_kind = EXCLUDED.target_kind, target_address = EXCLUDED.target_address, updated_at = now()""",
            account_id,
            enabled,
            hour,
            target.platform,
            target.kind.value,
            target.address,
            DEFAULT_DIGEST_HOUR,
        )
        return await self.digest(account_id)


class PgDigestStore:
    """DigestStore on asyncpg: due candidates, watched prices at a hub, and the outbox write."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def candidates(self, now: datetime) -> list[DigestCandidate]:
        """Enabled digests with a watchlist or a linked character, nothing sent yet for the local date at `now`."""
        rows = await self._pool.fetch(
            """SELECT d.account_id, d.hour, d.target_platform, d.target_kind, d.target_address, d.last_sent_on,
                      coalesce(p.timezone, 'UTC') AS timezone, a.default_hub
               FROM digest_preferences d
               JOIN accounts a ON a.id = d.account_id
               LEFT JOIN alert_preferences p ON p.account_id = d.account_id
               WHERE d.enabled AND (EXISTS (SELECT 1 FROM watchlist w WHERE w.account_id = d.account_id)
                                    OR EXISTS (SELECT 1 FROM characters c WHERE c.account_id = d.account_id))
                 AND (d.last_sent_on IS NULL
                      OR d.last_sent_on < ($1::timestamptz AT TIME ZONE coalesce(p.timezone, 'UTC'))::date)
               ORDER BY d.account_id""",
            now,
        )
        return [
            DigestCandidate(r["account_id"], r["hour"], r["timezone"], r["default_hub"], _target(r), r["last_sent_on"])
            for r in rows
        ]

    async def watch_prices(self, account_id: int, hub: Hub, day: date) -> list[WatchPrice]:
        """Watched items at the hub's station with the latest daily average in the PREVIOUS_DAYS before `day`."""
        rows = await self._pool.fetch(
            """SELECT w.type_id, coalesce(t.name, 'type ' || w.type_id) AS name, q.best_sell, q.best_buy, q.as_of,
                      h.average, h.day
               FROM watchlist w
               LEFT JOIN sde_types t ON t.type_id = w.type_id
               LEFT JOIN market_quotes q ON q.region_id = $2 AND q.location_id = $3 AND q.type_id = w.type_id
               LEFT JOIN LATERAL (
                   SELECT average, day FROM market_history
                   WHERE region_id = $2 AND type_id = w.type_id AND day < $4 AND day >= $4 - $5::integer
                   ORDER BY day DESC LIMIT 1
               ) h ON true
               WHERE w.account_id = $1
               ORDER BY name""",
            account_id,
            hub.region_id,
            hub.station_id,
            day,
            PREVIOUS_DAYS,
        )
        return [
            WatchPrice(r["type_id"], r["name"], r["best_sell"], r["best_buy"], r["as_of"], r["average"], r["day"])
            for r in rows
        ]

    async def write(self, candidate: DigestCandidate, day: date, key: str, payload: dict[str, Any]) -> bool:
        """Insert the digest's outbox row (once per key) and mark the day sent, in one transaction."""
        target = candidate.target
        async with self._pool.acquire() as conn, conn.transaction():
            inserted = await conn.fetchval(
                """INSERT INTO alert_outbox (rule_id, account_id, idempotency_key, payload, target_platform,
                       target_kind, target_address)
                   VALUES (NULL, $1, $2, $3::jsonb, $4, $5, $6)
                   ON CONFLICT (idempotency_key) DO NOTHING RETURNING id""",
                candidate.account_id,
                key,
                payload,
                target.platform,
                target.kind.value,
                target.address,
            )
            await conn.execute(
                "UPDATE digest_preferences SET last_sent_on = greatest(last_sent_on, $2) WHERE account_id = $1",
                candidate.account_id,
                day,
            )
        return inserted is not None


async def item_names(pool: asyncpg.Pool, type_ids: Sequence[int]) -> dict[int, str]:
    """Names of the static-data types among `type_ids` (unknown ids are left out)."""
    rows = await pool.fetch("SELECT type_id, name FROM sde_types WHERE type_id = ANY($1::integer[])", list(type_ids))
    return {row["type_id"]: row["name"] for row in rows}


async def type_by_name(pool: asyncpg.Pool, name: str) -> tuple[int, str] | None:
    """(type_id, name) of the static-data type with exactly this name (any case), market types first."""
    row = await pool.fetchrow(
        "SELECT type_id, name FROM sde_types WHERE lower(name) = lower($1)"
        " ORDER BY (published AND market_group_id IS NOT NULL) DESC, type_id LIMIT 1",
        name,
    )
    return None if row is None else (int(row["type_id"]), str(row["name"]))


async def names_starting_with(pool: asyncpg.Pool, prefix: str, limit: int) -> list[str]:
    """Up to `limit` static-data type names starting with `prefix` (any case; LIKE wildcards in it match literally)."""
    pattern = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = await pool.fetch(
        "SELECT name FROM sde_types WHERE lower(name) LIKE $1 ESCAPE '\\'"
        " ORDER BY (published AND market_group_id IS NOT NULL) DESC, length(name), name LIMIT $2",
        pattern,
        limit,
    )
    return [str(row["name"]) for row in rows]


class PgTypeNames:
    """Static-data type names over one pool: the lookups above as a store the panel is handed."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def names(self, type_ids: Sequence[int]) -> dict[int, str]:
        """Names of the static-data types among `type_ids` (unknown ids are left out)."""
        return await item_names(self._pool, type_ids)

    async def by_name(self, name: str) -> tuple[int, str] | None:
        """(type_id, name) of the type with exactly this name (any case), market types first."""
        return await type_by_name(self._pool, name)

    async def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Up to `limit` type names starting with `prefix` (any case)."""
        return await names_starting_with(self._pool, prefix, limit)
