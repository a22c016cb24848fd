"""PgRouteStore: stargate routes from ESI kept for good in Postgres (table routes, migration 0019)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

import asyncpg

NO_ROUTE_RETRY: Final = timedelta(hours=1)  # a "no route" answer is asked again after this; a route never is


class PgRouteStore:
    """Routes by (origin, destination, preference): the systems list, or None for a remembered "no route"."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, origin: int, destination: int, preference: str) -> tuple[bool, list[int] | None]:
        """(found, systems): found is False on a miss or an expired "no route" (then ESI is asked)."""
        row = await self._pool.fetchrow(
            "SELECT systems, fetched_at FROM routes WHERE origin_system = $1 AND destination_system = $2"
            " AND preference = $3",
            origin,
            destination,
            preference,
        )
        if row is None:
            return False, None
        if row["systems"] is None:
            return row["fetched_at"] > datetime.now(UTC) - NO_ROUTE_RETRY, None
        return True, list(row["systems"])

    async def put(self, origin: int, destination: int, preference: str, systems: list[int] | None) -> None:
        """Remember ESI's answer (None: no route), replacing an older one."""
        await self._pool.execute(
            "INSERT INTO routes (origin_system, destination_system, preference, systems) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (origin_system, destination_system, preference)"
            " DO UPDATE SET systems = EXCLUDED.systems, fetched_at = now()",
            origin,
            destination,
            preference,
            systems,
        )
