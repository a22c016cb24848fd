"""The region refresh use case: ESI pages -> staged snapshot -> atomic swap -> hub quotes in the cache."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from core.bulk import cyclic_gc_paused
from core.market.errors import IngestFailed, MarketSourceUnavailable, SnapshotRejected, SourceNotReady
from core.market.hubs import hubs_in_region
from core.market.model import SnapshotCommit, SnapshotMeta
from core.market.orders import parse_order_page
from core.ports import MarketSource, OrderBookStore, QuoteCache

log = logging.getLogger(__name__)


class RefreshResult(StrEnum):
    """What one refresh did."""

    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FRESH = "fresh"


@dataclass(frozen=True)
class RefreshOutcome:
    """The result of refreshing one region, with the time the next refresh is due."""

    region_id: int
    result: RefreshResult
    meta: SnapshotMeta | None
    next_due: datetime | None
    attempts: int
    seconds: float


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


class RegionRefresher:
    """Keeps one region's order-book snapshot current, politely and atomically."""

    def __init__(
        self,
        source: MarketSource,
        store: OrderBookStore,
        cache: QuoteCache,
        *,
        snapshot_retries: int = 3,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._source = source
        self._store = store
        self._cache = cache
        self._retries = snapshot_retries
        self._clock = clock

    async def refresh(self, region_id: int) -> RefreshOutcome:
        """Refresh the region unless its data has not expired yet; raise IngestFailed on failure."""
        started = time.perf_counter()
        live = await self._store.snapshot_meta(region_id)
        if live and live.expires and self._clock() < live.expires:
            return RefreshOutcome(region_id, RefreshResult.FRESH, live, live.expires, 0, 0.0)
        etag = live.etag if live and live.orders else None
        reason = ""
        for attempt in range(1, self._retries + 1):
            try:
                with cyclic_gc_paused():
                    outcome = await self._attempt(region_id, etag, attempt)
            except SnapshotRejected as exc:
                reason = f"snapshot rejected: {exc}"
                (log.warning if attempt == 1 else log.debug)(  # once per refresh, not once per attempt
                    "snapshot rejected",
                    extra={"region_id": region_id, "attempt": attempt, "reason": str(exc)},
                )
                continue
            except SourceNotReady as exc:  # after a rejection: ESI's copy is current until retry_at; wait for it
                why = f"{reason}; ESI caches it until {exc.retry_at:%H:%M:%S} UTC" if reason else str(exc)
                await self._store.record_failure(region_id, why)
                raise IngestFailed(region_id, why, retry_at=exc.retry_at) from exc
            except MarketSourceUnavailable as exc:
                await self._store.record_failure(region_id, str(exc))
                raise IngestFailed(region_id, str(exc)) from exc
            except Exception as exc:
                await self._store.record_failure(region_id, f"{type(exc).__name__}: {exc}")
                raise
            with cyclic_gc_paused():
                await self._cache_hub_quotes(outcome)
            return RefreshOutcome(
                region_id,
                outcome.result,
                outcome.meta,
                outcome.next_due,
                attempt,
                time.perf_counter() - started,
            )
        await self._store.record_failure(region_id, f"{reason} ({self._retries} attempts)")
        raise IngestFailed(region_id, f"{reason} ({self._retries} attempts); previous snapshot kept")

    async def _attempt(self, region_id: int, etag: str | None, attempt: int) -> RefreshOutcome:
        fetch_started = self._clock()
        async with self._store.stage(region_id) as stage:

            async def on_page(page: int, body: bytes) -> None:
                await stage.add_rows(parse_order_page(body, page))

            fetched = await self._source.fetch_pages(
                f"/markets/{region_id}/orders", {"order_type": "all"}, on_page, etag=etag
            )
            if fetched.not_modified:
                meta = await self._store.mark_unchanged(region_id, expires=fetched.expires, etag=fetched.etag)
                return RefreshOutcome(region_id, RefreshResult.UNCHANGED, meta, fetched.expires, attempt, 0.0)
            meta = await stage.commit(
                SnapshotCommit(
                    region_id=region_id,
                    last_modified=fetched.last_modified,
                    expires=fetched.expires,
                    etag=fetched.etag,
                    pages=fetched.pages,
                    bytes=fetched.bytes,
                    fetch_started=fetch_started,
                )
            )
        return RefreshOutcome(region_id, RefreshResult.UPDATED, meta, fetched.expires, attempt, 0.0)

    async def _cache_hub_quotes(self, outcome: RefreshOutcome) -> None:
        """Put the hubs' station quotes into the cache until the snapshot expires."""
        if outcome.next_due is None:
            return
        ttl = (outcome.next_due - self._clock()).total_seconds()
        for hub in hubs_in_region(outcome.region_id):
            quotes = await self._store.quotes_at(outcome.region_id, [hub.station_id])
            await self._cache.put_location(hub.station_id, quotes, max(ttl, 1.0))
