"""Panel refresh-token families in Postgres: hashed tokens, atomic rotation, late reuse revokes the family, purge."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg

from core.accounts.sessions import REFRESH_REUSE_GRACE, RotationOutcome, RotationResult

_START = """
WITH family AS (
    INSERT INTO web_session_families (account_id) VALUES ($1) RETURNING id, account_id
), first_token AS (
    INSERT INTO web_refresh_tokens (token_hash, family_id, expires_at) SELECT $2, id, $3 FROM family
)
SELECT family.id::text AS family_id, accounts.role FROM family JOIN accounts ON accounts.id = family.account_id
"""

# One statement: the UPDATE takes the token's row lock, so of two concurrent rotations of one token the
# second re-checks `used_at IS NULL` after the first commits, finds it false and inserts nothing.
_ROTATE = """
WITH used AS (
    UPDATE web_refresh_tokens AS token SET used_at = now()
    FROM web_session_families AS family
    WHERE token.token_hash = $1 AND token.used_at IS NULL AND token.expires_at > now()
      AND family.id = token.family_id AND family.revoked_at IS NULL
    RETURNING token.family_id, family.account_id
), successor AS (
    INSERT INTO web_refresh_tokens (token_hash, family_id, expires_at) SELECT $2, family_id, $3 FROM used
)
SELECT used.family_id::text AS family_id, used.account_id, accounts.role
FROM used JOIN accounts ON accounts.id = used.account_id
"""

# A token used within the grace window (a second tab refreshing at the same moment) gets a sibling successor.
_GRACE = """
WITH recent AS (
    SELECT token.family_id, family.account_id FROM web_refresh_tokens AS token
    JOIN web_session_families AS family ON family.id = token.family_id
    WHERE token.token_hash = $1 AND token.used_at > now() - $4::interval AND token.expires_at > now()
      AND family.revoked_at IS NULL
), successor AS (
    INSERT INTO web_refresh_tokens (token_hash, family_id, expires_at) SELECT $2, family_id, $3 FROM recent
)
SELECT recent.family_id::text AS family_id, recent.account_id, accounts.role
FROM recent JOIN accounts ON accounts.id = recent.account_id
"""

_REVOKE_IF_REUSED = """
UPDATE web_session_families AS family
SET revoked_at = coalesce(family.revoked_at, now()), revoked_reason = coalesce(family.revoked_reason, 'reuse')
FROM web_refresh_tokens AS token
WHERE token.token_hash = $1 AND token.used_at IS NOT NULL AND family.id = token.family_id
RETURNING family.id::text AS family_id, family.account_id
"""


def _uuid(family_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(family_id)
    except (ValueError, TypeError, AttributeError):
        return None


class PgSessionTokenStore:
    """SessionTokenStore over web_session_families and web_refresh_tokens (only SHA-256 hashes are stored)."""

    def __init__(self, pool: asyncpg.Pool, *, grace: timedelta = REFRESH_REUSE_GRACE) -> None:
        self._pool = pool
        self._grace = grace

    async def start_family(self, account_id: int, token_hash: bytes, expires_at: datetime) -> tuple[str, str]:
        """Open a family for `account_id` with its first token; returns (family id, the account's role)."""
        row = await self._pool.fetchrow(_START, account_id, token_hash, expires_at)
        if row is None:
            raise LookupError(f"no account {account_id}")
        return str(row["family_id"]), str(row["role"])

    async def rotate(self, old_hash: bytes, new_hash: bytes, expires_at: datetime) -> RotationResult:
        """Mark the old token used and store its successor; reuse after the grace window revokes the family."""
        row = await self._pool.fetchrow(_ROTATE, old_hash, new_hash, expires_at)
        if row is None:
            row = await self._pool.fetchrow(_GRACE, old_hash, new_hash, expires_at, self._grace)
        if row is not None:
            return RotationResult(RotationOutcome.ROTATED, int(row["account_id"]), str(row["family_id"]), row["role"])
        reused = await self._pool.fetchrow(_REVOKE_IF_REUSED, old_hash)
        if reused is not None:
            return RotationResult(RotationOutcome.REUSED, int(reused["account_id"]), str(reused["family_id"]))
        return RotationResult(RotationOutcome.REJECTED)

    async def revoke_family(self, family_id: str, reason: str) -> bool:
        """Revoke every token of a family; True when it was active."""
        family = _uuid(family_id)
        if family is None:
            return False
        revoked = await self._pool.fetchval(
            "UPDATE web_session_families SET revoked_at = now(), revoked_reason = $2"
            " WHERE id = $1 AND revoked_at IS NULL RETURNING id",
            family,
            reason[:100],
        )
        return revoked is not None

    async def family_active(self, family_id: str) -> bool:
        """True while the family exists and has not been revoked."""
        family = _uuid(family_id)
        if family is None:
            return False
        active = await self._pool.fetchval("SELECT revoked_at IS NULL FROM web_session_families WHERE id = $1", family)
        return bool(active)

    async def revoke_account(self, account_id: int, reason: str) -> list[str]:
        """Revoke every active family of an account (sign out everywhere); returns their ids."""
        rows = await self._pool.fetch(
            "UPDATE web_session_families SET revoked_at = now(), revoked_reason = $2"
            " WHERE account_id = $1 AND revoked_at IS NULL RETURNING id::text AS family_id",
            account_id,
            reason[:100],
        )
        return [str(row["family_id"]) for row in rows]

    async def purge_expired(self) -> tuple[int, int]:
        """Delete expired refresh tokens, then families with no usable token left; returns (tokens, families)."""
        async with self._pool.acquire() as conn, conn.transaction():
            tokens = await conn.fetchval(
                "WITH gone AS (DELETE FROM web_refresh_tokens WHERE expires_at <= now() RETURNING 1)"
                " SELECT count(*) FROM gone"
            )
            families = await conn.fetchval(
                "WITH gone AS (DELETE FROM web_session_families AS family WHERE NOT EXISTS ("
                " SELECT 1 FROM web_refresh_tokens AS token WHERE token.family_id = family.id) RETURNING 1)"
                " SELECT count(*) FROM gone"
            )
        return int(tokens or 0), int(families or 0)
