"""The installation's facts kept in app_meta: where the market data comes from (ESI or the demo fake)."""

from __future__ import annotations

import asyncpg


class PgAppMeta:
    """Reads and writes app_meta's keys (jsonb values)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def esi_source(self) -> str | None:
        """'demo' when the scheduler ingests from the demo fake, 'esi' for ESI itself, None before any run."""
        value = await self._pool.fetchval("SELECT value FROM app_meta WHERE key = 'esi_source'")
        return None if value is None else str(value)

    async def mark_esi_source(self, demo: bool) -> None:
        """Remember whether the market data comes from the demo fake (reply footers then say it is simulated)."""
        await self._pool.execute(
            "INSERT INTO app_meta (key, value) VALUES ('esi_source', $1::jsonb)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
            "demo" if demo else "esi",
        )
