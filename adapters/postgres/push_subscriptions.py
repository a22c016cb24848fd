"""Browser push subscriptions in Postgres: add (one row per endpoint), list, look up, remove, and expire."""

from __future__ import annotations

from typing import Any

import asyncpg

from core.alerts.webpush import MAX_SUBSCRIPTIONS, PLATFORM, PushSubscription, StoredSubscription

_COLUMNS = "id, account_id, label, endpoint, p256dh, auth"
# A removed subscription's rules pause, a digest going there stops, its undelivered rows are dropped.
_STOP = (
    "UPDATE alert_rules SET active = false"
    " WHERE account_id = $1 AND target_platform = 'webpush' AND target_address = $2 AND active",
    "UPDATE digest_preferences SET enabled = false"
    " WHERE account_id = $1 AND target_platform = 'webpush' AND target_address = $2",
    "UPDATE alert_outbox SET status = 'disabled', last_error = $3"
    " WHERE account_id = $1 AND target_platform = 'webpush' AND target_address = $2"
    " AND status IN ('pending', 'queued')",
)


class TooManySubscriptions(Exception):
    """The account already has MAX_SUBSCRIPTIONS browsers subscribed."""


def _stored(row: Any) -> StoredSubscription:
    sub = PushSubscription(row["endpoint"], row["p256dh"], row["auth"])
    return StoredSubscription(int(row["id"]), int(row["account_id"]), row["label"], sub)


async def _stop(conn: asyncpg.Connection, account_id: int, subscription_id: int, why: str) -> None:
    for statement in _STOP:
        args = (account_id, str(subscription_id), why)[: 3 if "$3" in statement else 2]
        await conn.execute(statement, *args)


class PgPushSubscriptions:
    """The push_subscriptions table (migration 0020)."""

    platform = PLATFORM

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def add(self, account_id: int, subscription: PushSubscription, label: str) -> int:
        """Store a subscription for the account; its id. The same endpoint again keeps its id (keys refreshed);
        an endpoint another account had is taken from it (that account's rules to it pause)."""
        async with self._pool.acquire() as conn, conn.transaction():
            old = await conn.fetchrow(
                "SELECT id, account_id FROM push_subscriptions WHERE endpoint = $1 FOR UPDATE", subscription.endpoint
            )
            if old is not None and old["account_id"] == account_id:
                await conn.execute(
                    "UPDATE push_subscriptions SET p256dh = $2, auth = $3, label = $4 WHERE id = $1",
                    old["id"],
                    subscription.p256dh,
                    subscription.auth,
                    label,
                )
                return int(old["id"])
            if old is not None:
                await conn.execute("DELETE FROM push_subscriptions WHERE id = $1", old["id"])
                await _stop(conn, old["account_id"], old["id"], "the browser subscribed for another account")
            await conn.execute("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE", account_id)  # serialise the count
            count = await conn.fetchval("SELECT count(*) FROM push_subscriptions WHERE account_id = $1", account_id)
            if count >= MAX_SUBSCRIPTIONS:
                raise TooManySubscriptions(f"you have {count} browsers subscribed: remove one first")
            found = await conn.fetchval(
                "INSERT INTO push_subscriptions (account_id, endpoint, p256dh, auth, label)"
                " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                account_id,
                subscription.endpoint,
                subscription.p256dh,
                subscription.auth,
                label[:80] or "Browser",
            )
            return int(found)

    async def list_for(self, account_id: int) -> list[StoredSubscription]:
        """The account's subscriptions, oldest first."""
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM push_subscriptions WHERE account_id = $1 ORDER BY id", account_id
        )
        return [_stored(row) for row in rows]

    async def get(self, subscription_id: int) -> StoredSubscription | None:
        """One subscription by id (the deliverer's look-up), or None when it is gone."""
        row = await self._pool.fetchrow(f"SELECT {_COLUMNS} FROM push_subscriptions WHERE id = $1", subscription_id)
        return _stored(row) if row is not None else None

    async def remove(self, account_id: int, subscription_id: int) -> bool:
        """Delete one of the account's own subscriptions; its rules pause. False: the account has no such one."""
        async with self._pool.acquire() as conn, conn.transaction():
            result = await conn.execute(
                "DELETE FROM push_subscriptions WHERE id = $1 AND account_id = $2", subscription_id, account_id
            )
            if result == "DELETE 0":
                return False
            await _stop(conn, account_id, subscription_id, "browser notifications turned off")
            return True

    async def expire(self, subscription_id: int) -> None:
        """Delete a subscription the push service no longer knows (404/410); the deliverer pauses its rules."""
        await self._pool.execute("DELETE FROM push_subscriptions WHERE id = $1", subscription_id)
