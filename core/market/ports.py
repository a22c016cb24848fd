"""The ports the market package needs from the outside world (ESI, the order-book store, the quote cache, the
history store), as Protocols that adapters implement."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from core.market.model import HistoryRow, Quote, SnapshotCommit, SnapshotMeta

if TYPE_CHECKING:
    from core.market.order_page import OrderPage


class PagedFetch(Protocol):
    """The outcome of fetching every page of a paged ESI resource (read-only attributes)."""

    @property
    def not_modified(self) -> bool: ...
    @property
    def pages(self) -> int: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def expires(self) -> datetime | None: ...
    @property
    def last_modified(self) -> datetime | None: ...
    @property
    def bytes(self) -> int: ...


class SourceResponse(Protocol):
    """One ESI answer: 200 with a body, or 304 when our ETag still matches (read-only attributes)."""

    @property
    def status(self) -> int: ...
    @property
    def body(self) -> bytes: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def expires(self) -> datetime | None: ...


class MarketSource(Protocol):
    """ESI as the market use cases see it."""

    async def get(
        self, path: str, params: Mapping[str, str | int] | None = None, *, etag: str | None = None
    ) -> SourceResponse:
        """GET one resource, conditionally when an ETag is given."""
        ...

    async def fetch_pages(
        self,
        path: str,
        params: Mapping[str, str | int],
        on_page: Callable[[int, bytes], Awaitable[None]],
        *,
        etag: str | None = None,
    ) -> PagedFetch:
        """Fetch all pages from one cache generation, calling on_page as each arrives."""
        ...


class SnapshotStage(Protocol):
    """A region snapshot being built; invisible to readers until commit."""

    async def add_page(self, page: OrderPage) -> None:
        """Append a parsed page of orders (safe to call concurrently)."""
        ...

    async def commit(self, commit: SnapshotCommit) -> SnapshotMeta:
        """Compute quotes and swap the snapshot in atomically, with its metadata."""
        ...

    def quotes_at(self, location_id: int) -> list[Quote]:
        """After commit: the quotes it stored at one location, ordered by type (no read back from the store)."""
        ...


class OrderBookStore(Protocol):
    """Where region snapshots, their quotes and their metadata live."""

    async def snapshot_meta(self, region_id: int) -> SnapshotMeta | None:
        """The live snapshot's metadata, or None before the first ingest."""
        ...

    def stage(self, region_id: int) -> AbstractAsyncContextManager[SnapshotStage]:
        """Begin a snapshot; leaving the block without commit discards it."""
        ...

    async def mark_unchanged(self, region_id: int, *, expires: datetime | None, etag: str | None) -> SnapshotMeta:
        """Record that ESI confirmed the live snapshot is current (304) until `expires`."""
        ...

    async def record_failure(self, region_id: int, error: str) -> None:
        """Record a failed refresh without touching the live snapshot."""
        ...

    async def quotes_at(self, region_id: int, location_ids: Sequence[int]) -> list[Quote]:
        """All quotes of the live snapshot at the given locations."""
        ...


class QuoteCache(Protocol):
    """Hot quotes (the hubs' stations) kept in Redis until the snapshot expires."""

    async def put_location(self, location_id: int, quotes: Sequence[Quote], ttl_s: float) -> None:
        """Replace every cached quote of a location at once."""
        ...

    async def get(self, location_id: int, type_id: int) -> Quote | None:
        """One cached quote, or None on a miss."""
        ...


class HistoryStore(Protocol):
    """Daily market history per region and type."""

    async def validators(self, region_id: int, type_id: int) -> tuple[str | None, datetime | None]:
        """The ETag and Expires stored with the last history fetch."""
        ...

    async def upsert(
        self,
        region_id: int,
        type_id: int,
        rows: Sequence[HistoryRow],
        *,
        etag: str | None,
        expires: datetime | None,
    ) -> int:
        """Insert or update rows idempotently (with their validators); return rows written."""
        ...
