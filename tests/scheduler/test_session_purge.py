"""The scheduler's session purge: expired panel refresh tokens (and sessions left without one) are deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.postgres.sessions import PgSessionTokenStore
from core.accounts.sessions import RefreshTokens
from evetrader.app import App
from evetrader.bootstrap.scheduler import scheduler_deps
from scheduler.service import SchedulerService


async def test_the_session_job_purges_expired_refresh_tokens_and_keeps_live_ones(app: App) -> None:
    account = int(await app.pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id"))
    tokens = RefreshTokens(PgSessionTokenStore(app.pool))
    stale = await tokens.issue(account, datetime.now(UTC) - timedelta(days=31))
    live = await tokens.issue(account, datetime.now(UTC))
    service = SchedulerService(scheduler_deps(app), [])
    scheduler = service._jobs()
    try:
        job = scheduler.get_job("sessions")
        assert job is not None
        assert await job.func() == 1
    finally:
        scheduler.shutdown(wait=False)
    families = await app.pool.fetch("SELECT id::text AS id FROM web_session_families")
    assert [row["id"] for row in families] == [live.family_id] and stale.family_id != live.family_id
    assert await app.pool.fetchval("SELECT count(*) FROM web_refresh_tokens") == 1
