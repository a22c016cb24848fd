"""app_meta's market data source: unset until the scheduler's first run, then what the last run said."""

from __future__ import annotations

import asyncpg

from adapters.postgres.app_meta import PgAppMeta


async def test_the_esi_source_is_what_the_last_scheduler_run_marked(pg_pool: asyncpg.Pool) -> None:
    meta = PgAppMeta(pg_pool)
    assert await meta.esi_source() is None
    await meta.mark_esi_source(demo=True)
    assert await meta.esi_source() == "demo"
    await meta.mark_esi_source(demo=False)
    assert await meta.esi_source() == "esi"
