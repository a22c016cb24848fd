"""Decide which regions are due, claim each once (Redis), and execute a claimed refresh with bookkeeping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.redis.locks import LeaderLock
from core.market.errors import IngestFailed
from core.market.ingest import RefreshOutcome, RegionRefresher, utc_now
from core.ports import OrderBookStore

log = logging.getLogger(__name__)
FAILURE_BACKOFF_S = (30, 60, 120, 300, 600)
CLAIM_TTL_S = 120
RUN_LOCK_TTL_S = 600.0


class RegionDispatcher:
    """Claims due regions so each is refreshed by one process at a time, and runs claimed refreshes."""

    def __init__(self, redis: aioredis.Redis, keys: RedisKeys, store: OrderBookStore, jitter_s: float = 5.0) -> None:
        self._redis = redis
        self._keys = keys
        self._store = store
        self._jitter_s = jitter_s

    def due_at(self, region_id: int, expires: datetime | None) -> datetime | None:
        """When a region should next be fetched (None: now): after its Expires plus a small per-region spread."""
        if expires is None:
            return None
        spread = self._jitter_s * ((region_id * 2654435761) % 1000) / 1000
        return expires + timedelta(seconds=1 + spread)

    async def claim_due(self, region_ids: Sequence[int]) -> list[int]:
        """Regions whose data has expired and which nobody has claimed (or is backing off); claims them."""
        now = utc_now()
        claimed = []
        for region_id in region_ids:
            meta = await self._store.snapshot_meta(region_id)
            due = self.due_at(region_id, meta.expires if meta else None)
            if due is not None and due > now:
                continue
            if await self._redis.set(self._keys.ingest_claim(region_id), b"1", nx=True, ex=CLAIM_TTL_S):
                claimed.append(region_id)
        return claimed

    async def execute(self, refresher: RegionRefresher, region_id: int) -> RefreshOutcome | None:
        """Refresh a claimed region under its run lock; release the claim, or hold it as backoff on failure."""
        lock = LeaderLock(self._redis, self._keys.region_lock(region_id), RUN_LOCK_TTL_S)
        if not await lock.acquire():
            log.info("region refresh already running elsewhere", extra={"region_id": region_id})
            return None
        failures_key = self._keys.ingest_failures(region_id)
        try:
            outcome = await refresher.refresh(region_id)
        except IngestFailed as exc:
            failures = int(await self._redis.incr(failures_key))
            await self._redis.expire(failures_key, 86400)
            delay = FAILURE_BACKOFF_S[min(failures, len(FAILURE_BACKOFF_S)) - 1]
            if exc.retry_at is not None:  # the source said when it will have something new: no sooner
                delay = max(1, int((exc.retry_at - utc_now()).total_seconds()) + 1)
            await self._redis.set(self._keys.ingest_claim(region_id), b"backoff", ex=delay)
            if failures == 1:
                log.error("region refresh failed", extra={"region_id": region_id, "reason": exc.reason})
            return None
        except asyncio.CancelledError:
            await self._redis.delete(self._keys.ingest_claim(region_id))  # a stopped process must not delay it
            raise
        finally:
            await lock.release()
        if await self._redis.delete(failures_key):
            log.info("region refresh recovered", extra={"region_id": region_id})
        await self._redis.delete(self._keys.ingest_claim(region_id))
        if outcome.meta is not None:
            log.info(
                "region refreshed",
                extra={
                    "region_id": region_id,
                    "result": outcome.result.value,
                    "orders": outcome.meta.orders,
                    "attempts": outcome.attempts,
                    "seconds": round(outcome.seconds, 3),
                },
            )
        return outcome
