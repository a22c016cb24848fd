"""The alert outbox for delivery: claim due rows for the streams, lease a row to one deliverer, and record its
fate (sent, retry later, failed, target disabled) with updates conditional on holding the lease."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import orjson

from core.alerts.delivery import Claim, ClaimState, Notice, OutboxMessage, identity_targets
from core.alerts.model import AlertTarget, RuleError, TargetKind

MAX_ERROR_CHARS = 500

# $1 now, $2 stuck cutoff (queued or leased before it and still not sent), $3 batch size.
_DUE = """
SELECT id, target_platform, dispatch_seq FROM alert_outbox
WHERE (status = 'pending' AND (not_before IS NULL OR not_before <= $1))
   OR (status = 'queued' AND queued_at <= $2)
   OR (status = 'sending' AND lease_until <= $2)
ORDER BY id LIMIT $3
FOR UPDATE SKIP LOCKED
"""

# A deliverer may take a row that is queued, due and pending (its entry raced the dispatcher's commit), or leased
# by a deliverer whose lease ran out (or by itself, after a crash of its own handling).
_BEGIN = """
UPDATE alert_outbox
SET status = 'sending', lease_owner = $2, lease_until = now() + $3::interval, attempts = attempts + 1
WHERE id = $1 AND (status = 'queued'
    OR (status = 'pending' AND (not_before IS NULL OR not_before <= now()))
    OR (status = 'sending' AND (lease_until <= now() OR lease_owner = $2)))
RETURNING id, idempotency_key, account_id, rule_id, payload, target_platform, target_kind, target_address, attempts
"""

_HOLDING = "WHERE id = $1 AND status = 'sending' AND lease_owner = $2"
_RELEASE = "lease_owner = NULL, lease_until = NULL"


@dataclass(frozen=True)
class DueRow:
    """A row the dispatcher puts on its platform's stream as entry (outbox_id, seq)."""

    outbox_id: int
    platform: str
    seq: int


def _payload(value: Any) -> dict[str, Any]:
    return dict(orjson.loads(value) if isinstance(value, str | bytes) else value)


def _error(text: str | None) -> str | None:
    return text[:MAX_ERROR_CHARS] if text else None


def message_from_record(row: Any) -> OutboxMessage:
    """An OutboxMessage from a row returned by the lease update."""
    target = AlertTarget(row["target_platform"], TargetKind(row["target_kind"]), row["target_address"])
    return OutboxMessage(
        outbox_id=row["id"],
        idempotency_key=row["idempotency_key"],
        account_id=row["account_id"],
        rule_id=row["rule_id"],
        payload=_payload(row["payload"]),
        target=target,
        attempts=row["attempts"],
    )


class PgOutbox:
    """OutboxStore on asyncpg, plus the dispatcher's claim of due rows."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @asynccontextmanager
    async def dispatch_batch(
        self, now: datetime, stuck_after: timedelta, limit: int = 500
    ) -> AsyncIterator[list[DueRow]]:
        """Lock up to `limit` due rows (pending and due, or stuck in flight for `stuck_after`) and yield them with
        their next stream sequence; on a clean exit they become queued. An exception rolls back (rows stay due)."""
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_DUE, now, now - stuck_after, limit)
            due = [DueRow(row["id"], row["target_platform"], row["dispatch_seq"] + 1) for row in rows]
            yield due
            if due:
                await conn.execute(
                    f"UPDATE alert_outbox SET status = 'queued', queued_at = $2, dispatch_seq = dispatch_seq + 1,"
                    f" {_RELEASE} WHERE id = ANY($1::bigint[])",
                    [row.outbox_id for row in due],
                    now,
                )

    async def oldest_due_age(self) -> float:
        """Seconds since the oldest row that is due but not delivered became due (0 when there is none)."""
        age = await self._pool.fetchval(
            "SELECT EXTRACT(EPOCH FROM now() - min(COALESCE(not_before, created_at))) FROM alert_outbox"
            " WHERE status IN ('pending', 'queued', 'sending') AND (not_before IS NULL OR not_before <= now())"
        )
        return max(0.0, float(age or 0))

    async def begin_send(self, outbox_id: int, owner: str, lease: timedelta) -> Claim:
        """Take the lease on a row (one attempt more), or DONE (nothing to send now) / BUSY (leased elsewhere)."""
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(_BEGIN, outbox_id, owner, lease)
            if row is not None:
                return Claim(ClaimState.CLAIMED, message_from_record(row))
            busy = await conn.fetchval(
                "SELECT true FROM alert_outbox WHERE id = $1 AND status = 'sending' AND lease_until > now()", outbox_id
            )
        return Claim(ClaimState.BUSY if busy else ClaimState.DONE)

    async def mark_sent(self, outbox_id: int, owner: str, ref: str | None) -> bool:
        """Record the delivery (delivered_at, the platform's ref); False when the lease was lost."""
        status = await self._pool.execute(
            f"UPDATE alert_outbox SET status = 'sent', delivered_at = now(), delivered_ref = $3, last_error = NULL,"
            f" {_RELEASE} {_HOLDING}",
            outbox_id,
            owner,
            ref,
        )
        return bool(status == "UPDATE 1")

    async def retry_later(self, outbox_id: int, owner: str, at: datetime, error: str | None) -> bool:
        """Back to pending until `at` (the dispatcher queues it again then)."""
        status = await self._pool.execute(
            f"UPDATE alert_outbox SET status = 'pending', not_before = $3, last_error = $4, {_RELEASE} {_HOLDING}",
            outbox_id,
            owner,
            at,
            _error(error),
        )
        return bool(status == "UPDATE 1")

    async def mark_failed(self, outbox_id: int, owner: str, error: str | None) -> bool:
        """Give the row up."""
        status = await self._pool.execute(
            f"UPDATE alert_outbox SET status = 'failed', last_error = $3, {_RELEASE} {_HOLDING}",
            outbox_id,
            owner,
            _error(error),
        )
        return bool(status == "UPDATE 1")

    async def notice_candidates(self, account_id: int, platforms: Collection[str]) -> list[AlertTarget]:
        """The account's chat identities as DMs (most recently seen first), then its active rules' targets."""
        async with self._pool.acquire() as conn:
            identities = await conn.fetch(
                "SELECT platform, external_id FROM account_identities WHERE account_id = $1"
                " ORDER BY last_seen_at DESC, platform",
                account_id,
            )
            rules = await conn.fetch(
                "SELECT DISTINCT target_platform, target_kind, target_address FROM alert_rules"
                " WHERE account_id = $1 AND active ORDER BY 1, 2, 3",
                account_id,
            )
        found = identity_targets([(r["platform"], r["external_id"]) for r in identities], platforms)
        for row in rules:
            try:
                found.append(AlertTarget(row[0], TargetKind(row[1]), row[2]))
            except (RuleError, ValueError):
                continue
        return found

    async def disable_target(self, outbox_id: int, owner: str, error: str | None, notice: Notice | None) -> bool:
        """Disable the row and its target for the account (rules paused, undelivered rows dropped) and write the
        notice, all in one transaction; False (nothing changed) when the lease was lost."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                f"UPDATE alert_outbox SET status = 'disabled', last_error = $3, {_RELEASE} {_HOLDING}"
                " RETURNING account_id, target_platform, target_address",
                outbox_id,
                owner,
                _error(error),
            )
            if row is None:
                return False
            account, platform, address = row["account_id"], row["target_platform"], row["target_address"]
            await conn.execute(
                "UPDATE alert_rules SET active = false"
                " WHERE account_id = $1 AND target_platform = $2 AND target_address = $3 AND active",
                account,
                platform,
                address,
            )
            await conn.execute(
                f"UPDATE alert_outbox SET status = 'disabled', last_error = $4, {_RELEASE}"
                " WHERE account_id = $1 AND target_platform = $2 AND target_address = $3"
                " AND status IN ('pending', 'queued')",
                account,
                platform,
                address,
                _error(f"target disabled: {error}" if error else "target disabled"),
            )
            if notice is not None:
                await conn.execute(
                    "INSERT INTO alert_outbox (account_id, idempotency_key, payload, target_platform, target_kind,"
                    " target_address) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING",
                    account,
                    notice.idempotency_key,
                    notice.payload,  # the pool's jsonb codec encodes it
                    notice.target.platform,
                    notice.target.kind.value,
                    notice.target.address,
                )
        return True
