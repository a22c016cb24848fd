"""The daily history refresh use case: CCP's per-type market history into the history store, politely."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson

from core.market.errors import MarketSourceUnavailable, SourceNotFound
from core.market.ingest import utc_now
from core.market.model import HistoryRow
from core.market.ports import HistoryStore, MarketSource

log = logging.getLogger(__name__)


@dataclass
class HistorySummary:
    """Counts of what one history refresh did."""

    fetched: int = 0
    unchanged: int = 0
    fresh: int = 0
    missing: int = 0
    rows: int = 0
    failed: list[int] = field(default_factory=list)


def parse_history(body: bytes) -> list[HistoryRow]:
    """Parse ESI's history JSON into rows; raise ValueError on a malformed body."""
    try:
        items: list[dict[str, Any]] = orjson.loads(body)
        return [
            HistoryRow(
                day=date.fromisoformat(item["date"]),
                average=float(item["average"]),
                highest=float(item["highest"]),
                lowest=float(item["lowest"]),
                volume=int(item["volume"]),
                order_count=int(item["order_count"]),
            )
            for item in items
        ]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed history: {exc}") from None


class HistoryRefresher:
    """Refreshes history of many types in a region, skipping those whose data has not expired."""

    def __init__(
        self,
        source: MarketSource,
        store: HistoryStore,
        *,
        concurrency: int = 8,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._source = source
        self._store = store
        self._limit = asyncio.Semaphore(concurrency)
        self._clock = clock

    async def refresh(self, region_id: int, type_ids: Sequence[int]) -> HistorySummary:
        """Refresh every type's history; a bad type is counted and skipped, ESI being down stops the rest."""
        summary = HistorySummary()
        source_down = asyncio.Event()
        await asyncio.gather(*(self._one(region_id, type_id, summary, source_down) for type_id in type_ids))
        return summary

    async def _one(self, region_id: int, type_id: int, summary: HistorySummary, source_down: asyncio.Event) -> None:
        async with self._limit:
            if source_down.is_set():  # no point queueing hundreds of retries against a source that is down
                summary.failed.append(type_id)
                return
            etag, expires = await self._store.validators(region_id, type_id)
            if expires and self._clock() < expires:
                summary.fresh += 1
                return
            try:
                response = await self._source.get(f"/markets/{region_id}/history", {"type_id": type_id}, etag=etag)
                if response.status == 304:
                    await self._store.upsert(region_id, type_id, [], etag=response.etag, expires=response.expires)
                    summary.unchanged += 1
                    return
                rows = parse_history(response.body)
                written = await self._store.upsert(
                    region_id, type_id, rows, etag=response.etag, expires=response.expires
                )
                summary.rows += written  # not `+= await`: that reads the total before awaiting
                summary.fetched += 1
            except SourceNotFound:
                summary.missing += 1
            except MarketSourceUnavailable as exc:
                if not source_down.is_set():
                    log.warning(
                        "history refresh stopped: source unavailable", extra={"region_id": region_id, "error": str(exc)}
                    )
                source_down.set()
                summary.failed.append(type_id)
            except Exception as exc:
                log.warning(
                    "history refresh failed",
                    extra={"region_id": region_id, "type_id": type_id, "error": str(exc)},
                )
                summary.failed.append(type_id)
