"""Shared appraisals in Postgres: saved with a random id, hidden once expired, purged by the scheduler."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from core.appraisal.archive import DEFAULT_TTL_DAYS, StoredAppraisal, new_appraisal_id

_COLUMNS = "id, hub, priced_at, body, created_at, expires_at"
_INSERT = f"""INSERT INTO appraisals (id, hub, priced_at, body, expires_at)
              VALUES ($1, $2, $3, $4::jsonb, now() + $5::interval)
              ON CONFLICT (id) DO NOTHING RETURNING {_COLUMNS}"""
_ATTEMPTS = 3  # a collision of 62**10 ids is next to impossible; retry a few times anyway


def _stored(row: asyncpg.Record) -> StoredAppraisal:
    """A row as core's value (the pool's codec decodes jsonb)."""
    return StoredAppraisal(row["id"], row["hub"], row["priced_at"], row["body"], row["created_at"], row["expires_at"])


class PgAppraisals:
    """The AppraisalArchive over the appraisals table; rows live `ttl_days` days."""

    def __init__(self, pool: asyncpg.Pool, ttl_days: float = DEFAULT_TTL_DAYS) -> None:
        self._pool = pool
        self._ttl = timedelta(days=ttl_days)

    async def save(self, hub: str, priced_at: datetime | None, body: Mapping[str, Any]) -> StoredAppraisal:
        """Store the appraisal under a new random id; returns what was stored."""
        for _ in range(_ATTEMPTS):
            row = await self._pool.fetchrow(_INSERT, new_appraisal_id(), hub, priced_at, dict(body), self._ttl)
            if row is not None:
                return _stored(row)
        raise RuntimeError("could not allocate an appraisal id")

    async def get(self, appraisal_id: str) -> StoredAppraisal | None:
        """The appraisal unless unknown or expired (an expired row is deleted on the way)."""
        row = await self._pool.fetchrow(
            f"SELECT {_COLUMNS}, expires_at <= now() AS expired FROM appraisals WHERE id = $1", appraisal_id
        )
        if row is None:
            return None
        if row["expired"]:
            await self._pool.execute("DELETE FROM appraisals WHERE id = $1 AND expires_at <= now()", appraisal_id)
            return None
        return _stored(row)

    async def purge_expired(self) -> int:
        """Delete every expired appraisal; returns how many."""
        gone = await self._pool.fetchval(
            "WITH gone AS (DELETE FROM appraisals WHERE expires_at <= now() RETURNING 1) SELECT count(*) FROM gone"
        )
        return int(gone or 0)
