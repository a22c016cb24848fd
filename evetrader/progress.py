"""Progress of long CLI commands (seed, sde import, ingest, history): a rich bar on a terminal, log lines otherwise."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, Protocol

from core.market.ports import MarketSource, PagedFetch, SourceResponse

log = logging.getLogger(__name__)
LOG_EVERY_S = 5.0  # off a terminal, a stage that keeps counting (pages, types) logs at most this often


class Report(Protocol):
    """Called as work advances: the stage, how many done so far, and the total when known."""

    def __call__(self, stage: str, count: int, total: int | None = None) -> None:
        """Show that `count` of `stage` are done."""
        ...


@contextlib.contextmanager
def progress(label: str) -> Iterator[Report]:
    """A progress callback: a live bar on a terminal (stderr), log lines otherwise (a new stage, then every 5 s)."""
    if not sys.stderr.isatty():
        yield _LogLines(label)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def report(stage: str, count: int, total: int | None = None) -> None:
            of = f"/{total:,}" if total else ""
            bar.update(task, description=f"{label}: {stage} {count:,}{of}", completed=count, total=total)

        yield report


class _LogLines:
    """The log-line Report: one line when the stage changes, then at most one every LOG_EVERY_S."""

    def __init__(self, label: str) -> None:
        self.label, self._stage, self._logged = label, "", 0.0

    def __call__(self, stage: str, count: int, total: int | None = None) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._logged < LOG_EVERY_S:
            return
        self._stage, self._logged = stage, now
        log.info(self.label, extra={"stage": stage, "rows": count} | ({"total": total} if total else {}))


class CountingSource:
    """A MarketSource that reports each order-book page and each single request it serves to `report`."""

    def __init__(self, source: MarketSource, report: Report, stage: str, total: int | None = None) -> None:
        self._source, self._report, self._stage, self._total = source, report, stage, total
        self._count = 0

    def _tick(self) -> None:
        self._count += 1
        self._report(self._stage, self._count, self._total)

    async def get(
        self, path: str, params: Mapping[str, str | int] | None = None, *, etag: str | None = None
    ) -> SourceResponse:
        """The source's GET, counted once it is answered (or fails)."""
        try:
            return await self._source.get(path, params, etag=etag)
        finally:
            self._tick()

    async def fetch_pages(
        self,
        path: str,
        params: Mapping[str, str | int],
        on_page: Callable[[int, bytes], Awaitable[None]],
        *,
        etag: str | None = None,
    ) -> PagedFetch:
        """The source's paged fetch, counting each page as it is handled."""

        async def counted(page: int, body: bytes) -> None:
            await on_page(page, body)
            self._tick()

        return await self._source.fetch_pages(path, params, counted, etag=etag)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)
