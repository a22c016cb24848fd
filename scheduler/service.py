"""The scheduler and worker services: one leader dispatches due regions (inline or to workers) and daily history."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from adapters.redis.locks import LeadershipLost
from core.market.errors import MarketSourceUnavailable, SourceNotReady
from core.market.ingest import RegionRefresher, utc_now
from core.outage import UnreachableWarning
from scheduler.dispatch import RegionDispatcher
from scheduler.jobs import (
    ExpiredAppraisals,
    ExpiredSessions,
    WatchedTypes,
    purge_appraisals,
    purge_sessions,
    refresh_history,
    send_digests,
)
from scheduler.leadership import OUTAGE, Leadership
from scheduler.queue import IngestQueue

if TYPE_CHECKING:
    import redis.asyncio as aioredis

    from adapters.redis.keys import RedisKeys
    from adapters.redis.locks import Fence, Lease, Writer
    from core.accounts.tokens import TokenCheck
    from core.alerts.delivery import ItemNames
    from core.alerts.digest import DigestService
    from core.catalog import Catalog
    from core.market.history import HistoryRefresher
    from core.market.packaging import PackagedVolumeRefresher
    from core.market.prices import PricesRefresher
    from scheduler.alert_dispatch import AlertDispatcher
    from scheduler.character_orders import OrderRefreshSummary

log = logging.getLogger(__name__)
TICK_S = 5.0  # the dispatch and alert ticks; while Redis or Postgres is down, also their retry interval
Job = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class SchedulerDeps:
    """What the scheduler and the worker use, built by the bootstrap (evetrader.bootstrap.scheduler)."""

    redis: aioredis.Redis  # the ingest stream
    keys: RedisKeys
    lease: Callable[[str, float], Lease]  # (lock key, TTL in seconds) -> a lease, e.g. the scheduler's leader lock
    writer: Writer  # unfenced Redis writes (a worker's, or a job run outside leadership)
    leader_ttl_s: float
    order_refresh_s: float
    history_watch_limit: int
    default_hub: str
    dispatcher: RegionDispatcher
    refresher: Callable[[], RegionRefresher]  # a region refresh that evaluates alert rules after its swap
    alert_dispatcher: AlertDispatcher
    prices: Callable[[], PricesRefresher]
    packaging: Callable[[], PackagedVolumeRefresher]
    history: Callable[[], HistoryRefresher]
    history_store: WatchedTypes
    digests: Callable[[ItemNames], DigestService]  # the daily digests, naming items from the loaded catalog
    session_tokens: ExpiredSessions  # expired panel sessions are purged
    appraisals: ExpiredAppraisals  # expired shared appraisals are purged
    catalog: Callable[[], Awaitable[Catalog]]
    forget_catalog: Callable[[], None]  # static data changed: the next command reloads the catalog
    character_orders: Callable[[], Awaitable[OrderRefreshSummary | None]]  # None: EVE SSO is not configured
    character_tokens: Callable[[], Awaitable[TokenCheck | None]]
    wallets: Job
    structures: Job
    profiles: Job


class SchedulerService:
    """While leading: every few seconds claim due regions and refresh them (inline or via workers).

    Only the leader acts (scheduler.leadership): its jobs run as tasks cancelled when leadership ends, and their
    Redis writes (claims, queue publishes, inline runs' bookkeeping) go through the leader's Fence. An unreachable
    Redis or Postgres fails a job run with a warning a minute; the next tick retries."""

    def __init__(
        self, deps: SchedulerDeps, regions: list[int], *, mode: str = "inline", leader_ttl_s: float | None = None
    ) -> None:
        self.deps = deps
        self.regions = regions
        self.mode = mode
        self.leader_ttl_s = leader_ttl_s or deps.leader_ttl_s
        self.leader = deps.lease(deps.keys.scheduler_leader(), self.leader_ttl_s)
        self.leadership = Leadership(self.leader, "scheduler")
        self._warn = UnreachableWarning(log, "scheduler job skipped: Redis or Postgres unreachable")
        self.dispatcher = deps.dispatcher
        self.queue = IngestQueue(deps.redis, deps.keys, deps.writer)
        self.alert_dispatcher = deps.alert_dispatcher
        self._running: set[asyncio.Task[object]] = set()

    @property
    def is_leader(self) -> bool:
        """Whether this process leads now (its leader lock taken or renewed recently enough to act on)."""
        return self.leadership.is_leader

    async def run(self, stop: asyncio.Event) -> None:
        """Campaign for leadership until `stop` is set; lead while holding the lock (outages are waited out)."""
        await self.leadership.run(self._lead, stop)

    async def _lead(self, fence: Fence) -> None:
        """The leader's work until cancelled: forget a dead predecessor's claims, then run the job table."""
        await self._attempt("takeover", lambda: self.dispatcher.forget_claims(self.regions, fence))
        scheduler = self._jobs()
        try:
            await self._attempt("dispatch", self.dispatch_due)
            await asyncio.Event().wait()  # until leadership ends (cancelled)
        finally:
            scheduler.shutdown(wait=False)
            for task in list(self._running):
                task.cancel()
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _attempt(self, name: str, func: Callable[[], Awaitable[object]]) -> object:
        """Run one leader job: an unreachable Redis or Postgres, or a fenced-out write, is logged, not raised."""
        try:
            return await func()
        except LeadershipLost:
            log.warning("leader write rejected: no longer the leader", extra={"job": name})
        except OUTAGE as exc:
            self._warn(exc)
        return None

    def _guarded(self, name: str, func: Callable[[], Awaitable[object]]) -> Callable[[], Coroutine[Any, Any, object]]:
        """`func` as a scheduled job: tracked so it is cancelled with leadership, and attempted (see _attempt)."""

        async def job() -> object:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                return await self._attempt(name, func)
            except asyncio.CancelledError:  # leadership ended; APScheduler would log a cancelled job as a failure
                return None
            finally:
                self._running.discard(task)

        return job

    def _jobs(self) -> AsyncIOScheduler:
        """The job table: trigger -> use case."""
        scheduler = AsyncIOScheduler(timezone="UTC")
        table: list[tuple[str, Any, Callable[[], Awaitable[object]]]] = [
            ("dispatch", IntervalTrigger(seconds=TICK_S), self.dispatch_due),
            ("history", CronTrigger(hour=11, minute=10, timezone="UTC", jitter=120), self.refresh_history),
            ("history:startup", DateTrigger(run_date=utc_now() + timedelta(seconds=60)), self.refresh_history),
            ("prices", IntervalTrigger(minutes=60, start_date=utc_now() + timedelta(seconds=30)), self.refresh_prices),
            ("packaging", CronTrigger(hour=12, minute=0, timezone="UTC", jitter=120), self.refresh_packaging),
            ("packaging:startup", DateTrigger(run_date=utc_now() + timedelta(minutes=2)), self.refresh_packaging),
            ("digests", CronTrigger(minute="*/15", timezone="UTC"), self.send_digests),
            ("alerts", IntervalTrigger(seconds=TICK_S), self.dispatch_alerts),
            ("character-orders", IntervalTrigger(seconds=self.deps.order_refresh_s), self.refresh_orders),
            ("tokens", IntervalTrigger(hours=1, start_date=utc_now() + timedelta(minutes=3)), self.check_tokens),
            ("wallets", IntervalTrigger(minutes=5), self.deps.wallets),
            ("structures", IntervalTrigger(seconds=60), self.deps.structures),
            ("character-profiles", IntervalTrigger(minutes=2), self.deps.profiles),
            ("sessions", IntervalTrigger(hours=6), functools.partial(purge_sessions, self.deps.session_tokens)),
            ("appraisals", IntervalTrigger(hours=6), functools.partial(purge_appraisals, self.deps.appraisals)),
        ]
        for job_id, trigger, func in table:
            scheduler.add_job(
                self._guarded(job_id, func), trigger, id=job_id, max_instances=1, coalesce=True, misfire_grace_time=600
            )
        scheduler.start()
        return scheduler

    async def dispatch_due(self) -> list[int]:
        """Claim every due region and start (inline) or enqueue (queue mode) its refresh."""
        fence = self.leadership.fence  # None outside leadership (tests, tools): unfenced writes
        claimed = await self.dispatcher.claim_due(self.regions, fence)
        for region_id in claimed:
            if self.mode == "queue":
                await self.queue.enqueue(region_id, fence)
            else:
                refresher = self.deps.refresher()
                run = functools.partial(self.dispatcher.execute, refresher, region_id, fence)
                self._running.add(asyncio.create_task(self._guarded(f"refresh:{region_id}", run)()))
        return claimed

    async def refresh_prices(self) -> None:
        """Refresh CCP's average prices (hourly; a no-op while they have not expired; ESI down: next hour)."""
        try:
            stored = await self.deps.prices().refresh()
        except SourceNotReady:  # ESI's Expires has not passed yet: nothing to do
            return
        except MarketSourceUnavailable as exc:  # an expected fault: one line, not a traceback
            log.warning("average prices not refreshed", extra={"reason": str(exc)})
            return
        if stored:
            log.info("average prices refreshed", extra={"types": stored})

    async def refresh_packaging(self) -> None:
        """Fill the packaged volumes of ships still missing one (a no-op once every ship has it)."""
        summary = await self.deps.packaging().refresh()
        if summary.fetched:
            self.deps.forget_catalog()  # volumes changed: the next command reloads the catalog
        if summary.fetched or summary.failed:
            log.info("packaged volumes refreshed", extra={"fetched": summary.fetched, "failed": len(summary.failed)})

    async def send_digests(self) -> int:
        """Write the daily digests whose local hour has come (at most one per account and local date)."""
        catalog = await self.deps.catalog()
        return await send_digests(self.deps.digests(catalog.name_of))

    async def dispatch_alerts(self) -> int:
        """Move due outbox rows (alerts, digests, notices) onto the platform streams the bots consume."""
        return await self.alert_dispatcher.dispatch_due()

    async def refresh_orders(self) -> None:
        """Compare linked characters' orders with the book (undercut, back on top, filled, expiring)."""
        summary = await self.deps.character_orders()
        if summary is not None and (summary.alerts or summary.failed):
            log.info("character orders checked", extra={"alerts": summary.alerts, "failed": len(summary.failed)})

    async def check_tokens(self) -> None:
        """Refresh linked characters' tokens unchecked for 12 h (token health on the panel; revoked ones found)."""
        result = await self.deps.character_tokens()
        if result is not None and (result.invalid or result.sso_down):
            log.info("character tokens checked", extra={"checked": result.checked, "invalid": result.invalid})

    async def refresh_history(self) -> None:
        """Refresh the watched types' history in every region."""
        await refresh_history(self.deps.history(), self.deps.history_store, self.regions, self.deps.history_watch_limit)


class WorkerService:
    """Consumes region refresh jobs from the ingest stream (run as many replicas as the load needs)."""

    def __init__(self, deps: SchedulerDeps) -> None:
        self.deps = deps
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self.queue = IngestQueue(deps.redis, deps.keys, deps.writer)

    @property
    def group_joined(self) -> bool:
        """Whether this worker has joined the ingest stream's consumer group."""
        return self.queue.group_joined

    async def run(self, stop: asyncio.Event) -> None:
        """Process jobs until `stop` is set."""
        dispatcher, refresher = self.deps.dispatcher, self.deps.refresher

        async def handle(region_id: int) -> object:
            return await dispatcher.execute(refresher(), region_id)

        log.info("worker consuming ingest jobs", extra={"consumer": self.consumer})
        await self.queue.consume(self.consumer, handle, stop)
