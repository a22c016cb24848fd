"""Jobs as plain async functions with explicit dependencies: refresh a region, refresh watched history."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.postgres.history import PgHistoryStore
from adapters.redis.locks import LeaderLock

from core.market.errors import IngestFailed
from core.market.history import HistoryRefresher, HistorySummary
from core.market.ingest import RegionRefresher, utc_now

log = logging.getLogger(__name__)
FAILURE_BACKOFF_S = (30, 60, 120, 300, 600)


@dataclass
class RegionJobState:
    """What the scheduler remembers between runs of one region's job."""

    failures: int = 0


async def refresh_region(
    refresher: RegionRefresher, lock: LeaderLock, region_id: int, state: RegionJobState, jitter_s: float
) -> datetime:
    """Refresh one region under its lock; return when the job should run next."""
    now = utc_now()
    if not await lock.acquire():
        log.info("region refresh already running elsewhere", extra={"region_id": region_id})
        return now + timedelta(seconds=30)
    try:
        outcome = await refresher.refresh(region_id)
    except IngestFailed as exc:
        delay = FAILURE_BACKOFF_S[min(state.failures, len(FAILURE_BACKOFF_S) - 1)]
        if state.failures == 0:
            log.error("region refresh failed", extra={"region_id": region_id, "reason": exc.reason})
        state.failures += 1
        return utc_now() + timedelta(seconds=delay + random.uniform(0, jitter_s))
    finally:
        await lock.release()
    if state.failures:
        log.info("region refresh recovered", extra={"region_id": region_id, "after_failures": state.failures})
    state.failures = 0
    if outcome.meta is not None:
        log.info(
            "region refreshed",
            extra={
                "region_id": region_id,
                "result": outcome.result.value,
                "orders": outcome.meta.orders,
                "seconds": round(outcome.seconds, 3),
            },
        )
    due = outcome.next_due or utc_now() + timedelta(minutes=5)
    return max(due, utc_now()) + timedelta(seconds=random.uniform(1, 1 + jitter_s))


async def refresh_history(
    refresher: HistoryRefresher, store: PgHistoryStore, region_ids: list[int], watch_limit: int
) -> dict[int, HistorySummary]:
    """Refresh the history of each region's watched types (explicit watchlist plus the most traded)."""
    results: dict[int, HistorySummary] = {}
    for region_id in region_ids:
        type_ids = await store.watched_types(region_id, watch_limit)
        results[region_id] = summary = await refresher.refresh(region_id, type_ids)
        log.info(
            "history refreshed",
            extra={
                "region_id": region_id,
                "types": len(type_ids),
                "fetched": summary.fetched,
                "unchanged": summary.unchanged,
                "fresh": summary.fresh,
                "failed": len(summary.failed),
            },
        )
    return results
