"""Decide which regions are due, claim each once (Redis), and execute a claimed refresh with bookkeeping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from adapters.redis.unreachable import UNREACHABLE
from core.market.errors import IngestFailed
from core.market.ingest import RefreshOutcome, RegionRefresher, utc_now

if TYPE_CHECKING:
    import redis.asyncio as aioredis

    from adapters.redis.keys import RedisKeys
    from adapters.redis.locks import Fence, Lease, Writer
    from core.market.ports import OrderBookStore

    LeaseFactory = Callable[[str, float], Lease]  # (lock key, TTL in seconds) -> a lease not yet taken

log = logging.getLogger(__name__)
FAILURE_BACKOFF_S = (30, 60, 120, 300, 600)
CLAIM_TTL_S = 120
RUN_LOCK_TTL_S = 30.0  # renewed while the refresh runs: a killed process's lock lapses within this


class RegionDispatcher:
    """Claims due regions so each is refreshed by one process at a time, and runs claimed refreshes."""

    def __init__(
        self, redis: aioredis.Redis, keys: RedisKeys, store: OrderBookStore, *, lease: LeaseFactory, writer: Writer,
        jitter_s: float = 5.0, run_lock_ttl_s: float = RUN_LOCK_TTL_S,
    ) -> None:  # fmt: skip
        """`lease` makes a region's run lock; `writer` is the unfenced writer used when no fence is given."""
        self._redis = redis
        self._keys = keys
        self._store = store
        self._lease = lease
        self._direct = writer
        self._jitter_s = jitter_s
        self._run_lock_ttl_s = run_lock_ttl_s

    def due_at(self, region_id: int, expires: datetime | None) -> datetime | None:
        """When a region should next be fetched (None: now): after its Expires plus a small per-region spread."""
        if expires is None:
            return None
        spread = self._jitter_s * ((region_id * 2654435761) % 1000) / 1000
        return expires + timedelta(seconds=1 + spread)

    async def claim_due(self, region_ids: Sequence[int], writer: Writer | None = None) -> list[int]:
        """Regions whose data has expired and which nobody has claimed (or is backing off); claims them.

        `writer` is the leader's fence: a deposed leader's claim raises LeadershipLost and claims nothing."""
        writer = writer or self._direct
        now = utc_now()
        claimed = []
        for region_id in region_ids:
            meta = await self._store.snapshot_meta(region_id)
            due = self.due_at(region_id, meta.expires if meta else None)
            if due is not None and due > now:
                continue
            if await writer.call("SET", self._keys.ingest_claim(region_id), b"1", "NX", "EX", CLAIM_TTL_S):
                claimed.append(region_id)
        return claimed

    async def forget_claims(self, region_ids: Sequence[int], writer: Writer) -> None:
        """A new leader drops its predecessor's claims (not backoffs): a killed leader's regions are due again.

        A claim turned into a backoff between the read and the delete only shortens that backoff."""
        for region_id in region_ids:
            key = self._keys.ingest_claim(region_id)
            if await self._redis.get(key) == b"1":
                await writer.call("DEL", key)

    @contextlib.asynccontextmanager
    async def _run_lock(self, region_id: int) -> AsyncIterator[Fence | None]:
        """Hold the region's run lock (renewed meanwhile); yields its fence, or None when another holds it."""
        lease = self._lease(self._keys.region_lock(region_id), self._run_lock_ttl_s)
        fence = await lease.acquire()
        if fence is None:
            yield None
            return
        renewer = asyncio.create_task(self._renew(lease))
        try:
            yield fence
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
            with contextlib.suppress(*UNREACHABLE):  # it lapses after its TTL
                await lease.release()

    @staticmethod
    async def _renew(lease: Lease) -> None:
        while True:
            await asyncio.sleep(lease.ttl_s / 3)
            with contextlib.suppress(*UNREACHABLE):  # Postgres' advisory lock still keeps refreshes apart
                await lease.renew()

    async def execute(
        self, refresher: RegionRefresher, region_id: int, writer: Writer | None = None
    ) -> RefreshOutcome | None:
        """Refresh a claimed region under its run lock; release the claim, or hold it as backoff on failure.

        Redis writes go through `writer` (the leader's fence, inline mode) or else the run lock's own fence."""
        async with self._run_lock(region_id) as fence:
            if fence is None:
                log.info("region refresh already running elsewhere", extra={"region_id": region_id})
                return None
            return await self._execute(refresher, region_id, writer or fence)

    async def _execute(self, refresher: RegionRefresher, region_id: int, writer: Writer) -> RefreshOutcome | None:
        claim, failures_key = self._keys.ingest_claim(region_id), self._keys.ingest_failures(region_id)
        try:
            outcome = await refresher.refresh(region_id)
        except IngestFailed as exc:
            failures = int(await writer.call("INCR", failures_key))
            await writer.call("EXPIRE", failures_key, 86400)
            delay = FAILURE_BACKOFF_S[min(failures, len(FAILURE_BACKOFF_S)) - 1]
            if exc.retry_at is not None:  # the source said when it will have something new: no sooner
                delay = max(1, int((exc.retry_at - utc_now()).total_seconds()) + 1)
            await writer.call("SET", claim, b"backoff", "EX", delay)
            if failures == 1:
                log.error("region refresh failed", extra={"region_id": region_id, "reason": exc.reason})
            return None
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):  # a stopped process must not delay it (if Redis and the fence allow)
                await writer.call("DEL", claim)
            raise
        if await writer.call("DEL", failures_key):
            log.info("region refresh recovered", extra={"region_id": region_id})
        await writer.call("DEL", claim)
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
