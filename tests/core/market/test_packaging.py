"""PackagedVolumeRefresher with in-memory fakes: fills pending ships, counts 404s and stops when ESI is down."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import orjson
import pytest

from core.market.errors import MarketSourceUnavailable, SourceNotFound
from core.market.packaging import PackagedVolumeRefresher, parse_packaged_volume

RIFTER, MERLIN, GHOST = 587, 603, 999_999


@dataclass
class Response:
    status: int
    body: bytes
    etag: str | None = None
    expires: datetime | None = None


class Source:
    def __init__(self, volumes: dict[int, float], *, down: bool = False) -> None:
        self.volumes, self.down, self.paths = volumes, down, list[str]()

    async def get(
        self, path: str, params: Mapping[str, str | int] | None = None, *, etag: str | None = None
    ) -> Response:
        self.paths.append(path)
        if self.down:
            raise MarketSourceUnavailable("503")
        type_id = int(path.rsplit("/", 1)[-1])
        if type_id not in self.volumes:
            raise SourceNotFound(path)
        return Response(
            200, orjson.dumps({"type_id": type_id, "volume": 27289.0, "packaged_volume": self.volumes[type_id]})
        )

    async def fetch_pages(
        self, path: str, params: Mapping[str, str | int], on_page: Callable[[int, bytes], Awaitable[None]], **_: object
    ) -> object:
        raise NotImplementedError


class Store:
    def __init__(self, pending: list[int]) -> None:
        self.saved: dict[int, float] = {}
        self._pending = pending

    async def pending(self, category_id: int = 6) -> list[int]:
        assert category_id == 6
        return [t for t in self._pending if t not in self.saved]

    async def save(self, type_id: int, packaged_volume: float) -> None:
        self.saved[type_id] = packaged_volume


async def test_fills_pending_ships_and_counts_missing_then_is_idempotent() -> None:
    source, store = Source({RIFTER: 2500.0, MERLIN: 2500.0}), Store([RIFTER, MERLIN, GHOST])
    summary = await PackagedVolumeRefresher(source, store).refresh()  # type: ignore[arg-type]
    assert (summary.fetched, summary.missing, summary.failed) == (2, 1, [])
    assert store.saved == {RIFTER: 2500.0, MERLIN: 2500.0}
    asked = len(source.paths)
    again = await PackagedVolumeRefresher(source, store).refresh()  # type: ignore[arg-type]
    assert (again.fetched, again.missing) == (0, 1) and source.paths[asked:] == [f"/universe/types/{GHOST}"]


async def test_limit_bounds_the_batch() -> None:
    source, store = Source({RIFTER: 2500.0, MERLIN: 2500.0}), Store([RIFTER, MERLIN])
    summary = await PackagedVolumeRefresher(source, store).refresh(limit=1)  # type: ignore[arg-type]
    assert summary.fetched == 1 and list(store.saved) == [RIFTER]


async def test_source_down_stops_early_and_writes_nothing() -> None:
    source, store = Source({}, down=True), Store(list(range(1, 21)))
    summary = await PackagedVolumeRefresher(source, store, concurrency=2).refresh()  # type: ignore[arg-type]
    assert sorted(summary.failed) == list(range(1, 21)) and summary.fetched == 0
    assert len(source.paths) == 1 and store.saved == {}  # the rest never asked


def test_parse_falls_back_on_volume_and_rejects_garbage() -> None:
    assert parse_packaged_volume(b'{"volume": 5.0}') == 5.0
    assert parse_packaged_volume(b'{"name": "x"}') is None
    with pytest.raises(ValueError):
        parse_packaged_volume(b'{"packaged_volume": "big"}')
    with pytest.raises(ValueError):
        parse_packaged_volume(b"[")
