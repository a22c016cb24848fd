"""The scheduler service: win the leader lock, then run each region when its data expires, plus daily history."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from adapters.postgres.history import PgHistoryStore
from adapters.redis.locks import LeaderLock
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from core.market.ingest import utc_now
from evetrader.app import App
from scheduler.jobs import RegionJobState, refresh_history, refresh_region

log = logging.getLogger(__name__)
LEADER_TTL_S = 30.0


class SchedulerService:
    """Runs the market jobs while this process holds the scheduler leader lock."""

    def __init__(self, app: App, regions: list[int]) -> None:
        self.app = app
        self.regions = regions
        self.leader = LeaderLock(app.redis, app.keys.scheduler_leader(), LEADER_TTL_S)
        self._states = {region: RegionJobState() for region in regions}
        self._scheduler: AsyncIOScheduler | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Campaign for leadership until `stop` is set; lead while holding the lock."""
        while not stop.is_set():
            if await self.leader.acquire():
                log.info("scheduler leadership acquired")
                try:
                    await self._lead(stop)
                finally:
                    self._stop_jobs()
                    await self.leader.release()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=LEADER_TTL_S / 3)

    async def _lead(self, stop: asyncio.Event) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        for region in self.regions:
            self._scheduler.add_job(
                self._region_job,
                DateTrigger(run_date=utc_now()),
                args=[region],
                id=f"region:{region}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        self._scheduler.add_job(
            self._history_job,
            CronTrigger(hour=11, minute=10, timezone="UTC", jitter=120),
            id="history",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
        self._scheduler.add_job(
            self._history_job, DateTrigger(run_date=utc_now() + timedelta(seconds=60)), id="history:startup"
        )
        self._scheduler.start()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=LEADER_TTL_S / 3)
            if not stop.is_set() and not await self.leader.renew():
                log.warning("scheduler leadership lost")
                return

    def _stop_jobs(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    async def _region_job(self, region_id: int) -> None:
        lock = LeaderLock(self.app.redis, self.app.keys.region_lock(region_id), 600.0)
        next_run = await refresh_region(
            self.app.region_refresher(),
            lock,
            region_id,
            self._states[region_id],
            self.app.settings.ingest_jitter_s,
        )
        if self._scheduler is not None:
            self._scheduler.add_job(
                self._region_job,
                DateTrigger(run_date=next_run),
                args=[region_id],
                id=f"region:{region_id}",
                replace_existing=True,
                max_instances=1,
                misfire_grace_time=None,
            )

    async def _history_job(self) -> None:
        await refresh_history(
            self.app.history_refresher(),
            PgHistoryStore(self.app.pool),
            self.regions,
            self.app.settings.history_watch_limit,
        )
