"""Packaged volumes of ships from ESI's /universe/types: the SDE has none; a Rifter packs to 2,500 m3, not 27,289."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from core.market.errors import MarketSourceUnavailable, SourceNotFound
from core.market.ports import MarketSource

log = logging.getLogger(__name__)
# Only ships are asked for: they are the market types whose volume changes a lot when packaged. Containers
# shrink too, but which groups do is not reliably known from the SDE, so they keep their volume.
SHIP_CATEGORY = 6


class PackagedVolumeStore(Protocol):
    """Where the static data keeps packaged volumes."""

    async def pending(self, category_id: int = SHIP_CATEGORY) -> list[int]:
        """Published market types of the category that have no packaged volume yet."""
        ...

    async def save(self, type_id: int, packaged_volume: float) -> None:
        """Store one type's packaged volume."""
        ...


@dataclass
class PackagingSummary:
    """Counts of what one packaged-volume refresh did."""

    fetched: int = 0
    missing: int = 0
    failed: list[int] = field(default_factory=list)


def parse_packaged_volume(body: bytes) -> float | None:
    """The packaged volume of a /universe/types/{id} answer (its volume when absent); ValueError when malformed."""
    try:
        data: dict[str, Any] = orjson.loads(body)
        value = data.get("packaged_volume", data.get("volume"))
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"not a number: {value!r}")
        return float(value)
    except (orjson.JSONDecodeError, AttributeError, TypeError) as exc:
        raise ValueError(f"malformed /universe/types: {exc}") from None


class PackagedVolumeRefresher:
    """Fills the missing packaged volumes of ships, politely; types already filled are never asked again."""

    def __init__(self, source: MarketSource, store: PackagedVolumeStore, *, concurrency: int = 8) -> None:
        self._source = source
        self._store = store
        self._limit = asyncio.Semaphore(concurrency)

    async def refresh(self, limit: int | None = None) -> PackagingSummary:
        """Fetch and store up to `limit` pending types; a 404 is missing, ESI being down stops the rest."""
        pending = await self._store.pending(SHIP_CATEGORY)
        summary = PackagingSummary()
        source_down = asyncio.Event()
        await asyncio.gather(*(self._one(t, summary, source_down) for t in pending[:limit]))
        return summary

    async def _one(self, type_id: int, summary: PackagingSummary, source_down: asyncio.Event) -> None:
        async with self._limit:
            if source_down.is_set():
                summary.failed.append(type_id)
                return
            try:
                response = await self._source.get(f"/universe/types/{type_id}")
                volume = parse_packaged_volume(response.body)
                if volume is None:
                    summary.missing += 1
                    return
                await self._store.save(type_id, volume)
                summary.fetched += 1
            except SourceNotFound:
                summary.missing += 1
            except MarketSourceUnavailable as exc:
                if not source_down.is_set():
                    log.warning("packaged volume refresh stopped: source unavailable", extra={"error": str(exc)})
                source_down.set()
                summary.failed.append(type_id)
            except Exception as exc:
                log.warning("packaged volume refresh failed", extra={"type_id": type_id, "error": str(exc)})
                summary.failed.append(type_id)
