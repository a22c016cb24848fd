"""Market value objects shared by core and adapters: quotes, snapshot metadata, history rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True)
class Quote:
    """Top-of-book and depth statistics of one type at one location, from one region snapshot."""

    region_id: int
    location_id: int
    type_id: int
    best_buy: float | None
    best_sell: float | None
    buy_volume: int
    sell_volume: int
    buy_orders: int
    sell_orders: int
    buy_depth: int
    sell_depth: int
    buy_percentile: float | None
    sell_percentile: float | None
    buy_top5_avg: float | None
    sell_top5_avg: float | None
    as_of: datetime


class SnapshotStatus(StrEnum):
    """How the latest attempt to refresh a region went."""

    OK = "ok"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class SnapshotCommit:
    """What the ingestion learned from ESI about a complete, consistent set of pages."""

    region_id: int
    last_modified: datetime | None
    expires: datetime | None
    etag: str | None
    pages: int
    bytes: int
    fetch_started: datetime
    quoted_locations: tuple[int, ...] = ()  # whose quotes the caller reads after commit (the hubs, for the cache)

    @property
    def as_of(self) -> datetime:
        """The snapshot's time as its quotes (and alerts) record it: ESI's Last-Modified, else when the fetch began."""
        return self.last_modified or self.fetch_started


@dataclass(frozen=True)
class SnapshotMeta:
    """The state of a region's live snapshot and of the latest refresh attempt."""

    region_id: int
    status: SnapshotStatus
    last_modified: datetime | None
    expires: datetime | None
    etag: str | None
    pages: int
    orders: int
    quotes: int
    duration_s: float
    updated_at: datetime
    last_error: str | None = None
    as_of: datetime | None = None  # the quotes' as_of, known right after a commit (else last_modified at best)


@dataclass(frozen=True)
class HistoryRow:
    """One day of CCP's market history for a type in a region."""

    day: date
    average: float
    highest: float
    lowest: float
    volume: int
    order_count: int
