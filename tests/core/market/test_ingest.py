"""RegionRefresher against in-memory ports: freshness, 304s, bounded retries, failures that keep data."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from core.market.errors import IngestFailed, MarketSourceUnavailable, SnapshotRejected
from core.market.ingest import RefreshResult, RegionRefresher
from core.market.model import Quote, SnapshotCommit, SnapshotMeta, SnapshotStatus
from core.market.order_page import OrderPage
from core.market.ports import SourceResponse

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
JITA = 10000002


def order(order_id: int, price: float) -> dict[str, object]:
    return {
        "order_id": order_id,
        "type_id": 34,
        "location_id": 60003760,
        "system_id": 30000142,
        "volume_total": 10,
        "volume_remain": 10,
        "min_volume": 1,
        "price": price,
        "is_buy_order": False,
        "duration": 90,
        "issued": "2026-11-26T11:00:00Z",
        "range": "region",
    }


@dataclass
class Fetched:
    not_modified: bool = False
    pages: int = 2
    etag: str | None = '"v2"'
    expires: datetime | None = NOW + timedelta(minutes=5)
    last_modified: datetime | None = NOW
    bytes: int = 123


@dataclass
class FakeSource:
    """Serves scripted outcomes: a list of page bodies, or an exception to raise midway."""

    script: list[Sequence[bytes | Exception] | Fetched]
    etags_seen: list[str | None] = field(default_factory=list)

    async def get(
        self, path: str, params: Mapping[str, str | int] | None = None, *, etag: str | None = None
    ) -> SourceResponse:
        raise NotImplementedError

    async def fetch_pages(
        self,
        path: str,
        params: Mapping[str, str | int],
        on_page: Callable[[int, bytes], Awaitable[None]],
        *,
        etag: str | None = None,
    ) -> Fetched:
        self.etags_seen.append(etag)
        step = self.script.pop(0)
        if isinstance(step, Fetched):
            return step
        for number, body in enumerate(step, 1):
            if isinstance(body, Exception):
                raise body
            await on_page(number, body)
        return Fetched(pages=len(step))


@dataclass
class FakeStore:
    live: SnapshotMeta | None = None
    live_orders: list[tuple[int, float]] = field(default_factory=list)  # (order_id, price)
    failures: list[str] = field(default_factory=list)
    discarded: int = 0
    quote_reads: int = 0

    async def snapshot_meta(self, region_id: int) -> SnapshotMeta | None:
        return self.live

    @contextlib.asynccontextmanager
    async def stage(self, region_id: int) -> AsyncIterator[FakeStage]:
        stage = FakeStage(self)
        try:
            yield stage
        finally:
            if not stage.committed:
                self.discarded += 1

    async def mark_unchanged(self, region_id: int, *, expires: datetime | None, etag: str | None) -> SnapshotMeta:
        assert self.live is not None
        self.live = replace(self.live, status=SnapshotStatus.UNCHANGED, expires=expires, etag=etag)
        return self.live

    async def record_failure(self, region_id: int, error: str) -> None:
        self.failures.append(error)

    async def quotes_at(self, region_id: int, location_ids: Sequence[int]) -> list[Quote]:
        self.quote_reads += 1
        return self.live_quotes(region_id, location_ids[0])

    def live_quotes(self, region_id: int, location_id: int) -> list[Quote]:
        return [
            Quote(
                region_id,
                location_id,
                34,
                None,
                min(price for _, price in self.live_orders),
                0,
                10,
                0,
                1,
                0,
                10,
                None,
                None,
                None,
                None,
                NOW,
            )
        ]


@dataclass
class FakeStage:
    store: FakeStore
    orders: list[tuple[int, float]] = field(default_factory=list)
    committed: bool = False

    async def add_page(self, page: OrderPage) -> None:
        self.orders.extend(zip(page.order_id.tolist(), page.price.tolist(), strict=True))

    async def commit(self, commit: SnapshotCommit) -> SnapshotMeta:
        self.committed = True
        self.store.live_orders = self.orders
        self.store.live = SnapshotMeta(
            commit.region_id,
            SnapshotStatus.OK,
            commit.last_modified,
            commit.expires,
            commit.etag,
            commit.pages,
            len(self.orders),
            1,
            0.1,
            NOW,
        )
        return self.store.live

    def quotes_at(self, location_id: int) -> list[Quote]:
        assert self.committed
        return self.store.live_quotes(self.store.live.region_id if self.store.live else 0, location_id)


@dataclass
class FakeCache:
    puts: list[tuple[int, int, float]] = field(default_factory=list)

    async def put_location(self, location_id: int, quotes: Sequence[Quote], ttl_s: float) -> None:
        self.puts.append((location_id, len(quotes), ttl_s))

    async def get(self, location_id: int, type_id: int) -> Quote | None:
        return None


def page(*orders: dict[str, object]) -> bytes:
    return orjson.dumps(list(orders))


def refresher(source: FakeSource, store: FakeStore, cache: FakeCache, now: datetime = NOW) -> RegionRefresher:
    return RegionRefresher(source, store, cache, snapshot_retries=3, clock=lambda: now)


async def test_new_snapshot_is_committed_and_hub_quotes_cached_until_expiry() -> None:
    source, store, cache = FakeSource([[page(order(1, 5.0)), page(order(2, 4.5))]]), FakeStore(), FakeCache()
    outcome = await refresher(source, store, cache).refresh(JITA)
    assert outcome.result is RefreshResult.UPDATED and outcome.attempts == 1
    assert [order_id for order_id, _ in store.live_orders] == [1, 2]
    assert cache.puts == [(60003760, 1, 300.0)]
    assert store.quote_reads == 0  # the stage's own quotes: no read back of what it just stored
    assert source.etags_seen == [None]


async def test_unexpired_snapshot_is_not_fetched_again() -> None:
    store = FakeStore(
        live=SnapshotMeta(JITA, SnapshotStatus.OK, NOW, NOW + timedelta(seconds=30), '"v1"', 1, 1, 1, 0.1, NOW)
    )
    source = FakeSource([])
    outcome = await refresher(source, store, FakeCache()).refresh(JITA)
    assert outcome.result is RefreshResult.FRESH and source.etags_seen == []


async def test_not_modified_keeps_data_and_extends_expiry() -> None:
    store = FakeStore(
        live=SnapshotMeta(JITA, SnapshotStatus.OK, NOW, NOW - timedelta(seconds=1), '"v1"', 1, 1, 1, 0.1, NOW),
        live_orders=[(1, 5.0)],
    )
    source, cache = FakeSource([Fetched(not_modified=True, etag='"v1"')]), FakeCache()
    outcome = await refresher(source, store, cache).refresh(JITA)
    assert outcome.result is RefreshResult.UNCHANGED
    assert source.etags_seen == ['"v1"']
    assert store.live is not None and store.live.expires == NOW + timedelta(minutes=5)
    assert store.discarded == 1 and cache.puts == [(60003760, 1, 300.0)]
    assert store.quote_reads == 1  # nothing was staged: the live snapshot's quotes are cached again


async def test_rejected_snapshot_is_retried_and_never_half_stored() -> None:
    bad = [page(order(1, 5.0)), b'[{"order_id": 2']
    source, store = FakeSource([bad, [page(order(3, 4.0))]]), FakeStore()
    outcome = await refresher(source, store, FakeCache()).refresh(JITA)
    assert outcome.attempts == 2 and [order_id for order_id, _ in store.live_orders] == [3]
    assert store.discarded == 1


async def test_rejected_every_time_fails_and_keeps_previous_data() -> None:
    inconsistent = SnapshotRejected("page 3 Last-Modified differs")
    source = FakeSource([[page(order(1, 5.0)), inconsistent] for _ in range(3)])
    store = FakeStore()
    with pytest.raises(IngestFailed, match="3 attempts"):
        await refresher(source, store, FakeCache()).refresh(JITA)
    assert store.live is None and store.discarded == 3 and len(store.failures) == 1


async def test_source_down_is_recorded_once_and_raised() -> None:
    source, store = FakeSource([[MarketSourceUnavailable("ESI answered 503 five times")]]), FakeStore()
    with pytest.raises(IngestFailed, match="503"):
        await refresher(source, store, FakeCache()).refresh(JITA)
    assert store.failures == ["ESI answered 503 five times"] and store.live is None
