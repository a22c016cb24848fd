"""The region refresh use case: ESI pages -> staged snapshot -> atomic swap -> hub quotes in the cache."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from core.gc_pause import cyclic_gc_paused
from core.market.errors import IngestFailed, MarketSourceUnavailable, SnapshotRejected, SourceNotReady
from core.market.hubs import hubs_in_region
from core.market.model import Quote, SnapshotCommit, SnapshotMeta
from core.market.ports import MarketSource, OrderBookStore, QuoteCache

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


class SnapshotListener(Protocol):
    """Told about every snapshot swapped in by this process (e.g. core.alerts.evaluation.SnapshotAlerts)."""

    async def snapshot_committed(self, region_id: int, as_of: datetime) -> None:
        """React to a new live snapshot of the region whose quotes carry `as_of`; must not raise."""
        ...


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


BookRequest = Callable[[int], tuple[str, dict[str, str | int]]]


def region_book(region_id: int) -> tuple[str, dict[str, str | int]]:
    """ESI's path and parameters of a region's whole order book."""
    return f"/markets/{region_id}/orders", {"order_type": "all"}


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
        listener: SnapshotListener | None = None,
        book: BookRequest = region_book,
    ) -> None:
        """`book` maps the snapshot's key to ESI's request (a structure's market: its own path, its market id)."""
        self._source = source
        self._book = book
        self._store = store
        self._cache = cache
        self._retries = snapshot_retries
        self._clock = clock
        self._listener = listener

    def with_listener(self, listener: SnapshotListener) -> RegionRefresher:
        """A copy of this refresher that tells `listener` about every snapshot it swaps in."""
        return RegionRefresher(
            self._source,
            self._store,
            self._cache,
            snapshot_retries=self._retries,
            clock=self._clock,
            listener=listener,
            book=self._book,
        )

    def with_source(self, source: MarketSource, book: BookRequest) -> RegionRefresher:
        """A copy of this refresher reading another source's book (a structure's market, with its owner's token)."""
        return RegionRefresher(
            source,
            self._store,
            self._cache,
            snapshot_retries=self._retries,
            clock=self._clock,
            listener=self._listener,
            book=book,
        )

    async def refresh(self, region_id: int) -> RefreshOutcome:
        """Refresh the region unless its data has not expired yet; raise IngestFailed on failure."""
        started = time.perf_counter()
        live = await self._store.snapshot_meta(region_id)
        if live and live.expires and self._clock() < live.expires:
            return RefreshOutcome(region_id, RefreshResult.FRESH, live, live.expires, 0, 0.0)
        etag = live.etag if live and live.orders else None
        reason = ""
        for attempt in range(1, self._retries + 1):
            with cyclic_gc_paused():  # one pause over the snapshot and its hub quotes: no collection between them
                try:
                    outcome, hub_quotes = await self._attempt(region_id, etag, attempt)
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
                await self._cache_hub_quotes(outcome, hub_quotes)
            await self._announce(outcome)
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

    async def _attempt(
        self, region_id: int, etag: str | None, attempt: int
    ) -> tuple[RefreshOutcome, dict[int, list[Quote]] | None]:
        """One fetch into a stage; with a new snapshot, also the hubs' quotes the stage computed for it."""
        from core.market.order_page import parse_order_page  # numpy and msgspec: loaded by the first ingest only

        fetch_started = self._clock()
        async with self._store.stage(region_id) as stage:

            async def on_page(page: int, body: bytes) -> None:
                await stage.add_page(parse_order_page(body, page))

            path, params = self._book(region_id)
            fetched = await self._source.fetch_pages(path, params, on_page, etag=etag)
            if fetched.not_modified:
                meta = await self._store.mark_unchanged(region_id, expires=fetched.expires, etag=fetched.etag)
                return RefreshOutcome(region_id, RefreshResult.UNCHANGED, meta, fetched.expires, attempt, 0.0), None
            meta = await stage.commit(
                SnapshotCommit(
                    region_id=region_id,
                    last_modified=fetched.last_modified,
                    expires=fetched.expires,
                    etag=fetched.etag,
                    pages=fetched.pages,
                    bytes=fetched.bytes,
                    fetch_started=fetch_started,
                    quoted_locations=tuple(hub.station_id for hub in hubs_in_region(region_id)),
                )
            )
            hub_quotes = {hub.station_id: stage.quotes_at(hub.station_id) for hub in hubs_in_region(region_id)}
        return RefreshOutcome(region_id, RefreshResult.UPDATED, meta, fetched.expires, attempt, 0.0), hub_quotes

    async def _announce(self, outcome: RefreshOutcome) -> None:
        """Tell the listener (alert evaluation) about a snapshot this refresh swapped in (unchanged: not new)."""
        meta = outcome.meta
        if self._listener is None or outcome.result is not RefreshResult.UPDATED or meta is None:
            return
        as_of = meta.as_of or meta.last_modified
        if as_of is not None:
            await self._listener.snapshot_committed(outcome.region_id, as_of)

    async def _cache_hub_quotes(self, outcome: RefreshOutcome, computed: dict[int, list[Quote]] | None) -> None:
        """Put the hubs' station quotes into the cache until the snapshot expires (those the stage computed for a new
        snapshot, else the live snapshot's)."""
        if outcome.next_due is None:
            return
        ttl = (outcome.next_due - self._clock()).total_seconds()
        for hub in hubs_in_region(outcome.region_id):
            quotes = computed.get(hub.station_id) if computed is not None else None
            if quotes is None:
                quotes = await self._store.quotes_at(outcome.region_id, [hub.station_id])
            await self._cache.put_location(hub.station_id, quotes, max(ttl, 1.0))
