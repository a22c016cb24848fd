"""History on demand: fetch a type's history when a command needs it, once per (region, type), within a bound."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import NamedTuple, Protocol

from core.market.history import HistorySummary
from core.market.ingest import utc_now
from core.market.structures import is_structure_market
from core.ports import StoreUnavailable

log = logging.getLogger(__name__)

DAILY_REFRESH = time(11, 5)  # ESI's market history turns over at 11:05 UTC (its Expires header says so)
WAIT_S = 5.0  # how long a command waits for a fetch before answering with what is stored
QUIET_AFTER_FAILURE = timedelta(minutes=1)  # a failed fetch is not retried sooner for the same (region, type)
QUIET_AFTER_MISSING = timedelta(hours=1)  # ESI has no history of that type there (404)


class LastFetch(NamedTuple):
    """When a (region, type)'s history was last fetched or revalidated, and until when ESI said it holds."""

    fetched_at: datetime
    expires: datetime | None


class HistoryFetchLog(Protocol):
    """When history was last fetched (market_history_fetches): a port adapters implement."""

    async def last_fetch(self, region_id: int, type_id: int) -> LastFetch | None:
        """The last fetch of (region, type), or None when it was never fetched."""
        ...

    async def region_fetched(self, region_id: int) -> datetime | None:
        """The latest history fetch in a region (the age of its history as a whole), or None."""
        ...


class Refresher(Protocol):
    """The polite history refresh (core.market.history.HistoryRefresher)."""

    async def refresh(self, region_id: int, type_ids: Sequence[int]) -> HistorySummary:
        """Refresh the types' history, skipping those whose ESI cache has not expired."""
        ...


@dataclass(frozen=True)
class HistoryState:
    """What a command can say about a type's stored history: its age, and whether more is on its way."""

    as_of: datetime | None  # when it was last fetched or revalidated; None: never
    pending: bool = False  # a fetch is still running after the bounded wait
    unavailable: bool = False  # the fetch failed (ESI or the database down): what is stored is all there is


def latest_daily_refresh(now: datetime) -> datetime:
    """The latest of ESI's daily history refreshes (11:05 UTC) at or before `now` (aware UTC)."""
    today = datetime.combine(now.date(), DAILY_REFRESH, tzinfo=now.tzinfo)
    return today if now >= today else today - timedelta(days=1)


def is_stale(last: LastFetch | None, now: datetime) -> bool:
    """Missing, past its Expires, or (no Expires stored) fetched before ESI's latest daily refresh."""
    if last is None:
        return True
    if last.expires is not None:
        return now >= last.expires
    return last.fetched_at < latest_daily_refresh(now)


class HistoryOnDemand:
    """Fetches stale history for commands: one task per (region, type) that concurrent askers share."""

    def __init__(
        self,
        refresher: Refresher,
        fetches: HistoryFetchLog,
        *,
        wait_s: float = WAIT_S,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._refresher = refresher
        self._fetches = fetches
        self._wait_s = wait_s
        self._clock = clock
        self._tasks: dict[tuple[int, int], asyncio.Task[HistorySummary]] = {}
        self._quiet: dict[tuple[int, int], tuple[datetime, bool]] = {}  # key -> (until, failed) after a bad fetch

    async def ensure(
        self, region_id: int, type_id: int, *, wait_s: float | None = None, wait_if_stored: bool = True
    ) -> HistoryState:
        """Fetch the type's history if missing or stale, waiting at most `wait_s`; say how old what is stored is.

        `wait_s` shortens the wait; with `wait_if_stored` False, stale history that is stored is answered at once
        while the refetch goes on (for replies whose history is secondary, such as /price's medians).
        """
        if is_structure_market(region_id):  # a structure's market id is no ESI region: asking would cost an error
            return HistoryState(None, unavailable=True)
        key = (region_id, type_id)
        try:
            last = await self._fetches.last_fetch(region_id, type_id)
        except StoreUnavailable:
            return HistoryState(None, unavailable=True)
        now = self._clock()
        if not is_stale(last, now):
            return HistoryState(last.fetched_at if last else None)
        quiet = self._quiet.get(key)
        if quiet is not None and now < quiet[0] and key not in self._tasks:
            return HistoryState(last.fetched_at if last else None, unavailable=quiet[1])
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = asyncio.create_task(self._refresher.refresh(region_id, [type_id]))
            task.add_done_callback(lambda done: self._finished(key, done))
        if last is not None and not wait_if_stored:
            return HistoryState(last.fetched_at, pending=True)
        try:
            summary = await asyncio.wait_for(asyncio.shield(task), self._wait_s if wait_s is None else wait_s)
        except TimeoutError:
            return HistoryState(last.fetched_at if last else None, pending=True)
        except Exception:  # the refresher counts its own failures; this is the store failing under it
            return HistoryState(last.fetched_at if last else None, unavailable=True)
        if summary.failed:
            return HistoryState(last.fetched_at if last else None, unavailable=True)
        try:
            last = await self._fetches.last_fetch(region_id, type_id)
        except StoreUnavailable:
            return HistoryState(None, unavailable=True)
        return HistoryState(last.fetched_at if last else None)

    async def region_age(self, region_id: int) -> datetime | None:
        """When the region's history was last fetched (None: never, or the database cannot say)."""
        try:
            return await self._fetches.region_fetched(region_id)
        except StoreUnavailable:
            return None

    async def close(self) -> None:
        """Cancel the fetches still running (at shutdown)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _finished(self, key: tuple[int, int], task: asyncio.Task[HistorySummary]) -> None:
        """Forget the finished task; after a failure or a 404, stay quiet about that key for a while."""
        self._tasks.pop(key, None)
        if task.cancelled():
            return
        error, now = task.exception(), self._clock()
        if error is not None:
            log.warning("history fetch failed", extra={"region_id": key[0], "type_id": key[1], "error": str(error)})
            self._quiet[key] = (now + QUIET_AFTER_FAILURE, True)
        elif task.result().failed:
            self._quiet[key] = (now + QUIET_AFTER_FAILURE, True)
        elif task.result().missing:
            self._quiet[key] = (now + QUIET_AFTER_MISSING, False)
        else:
            self._quiet.pop(key, None)
