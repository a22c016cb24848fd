"""Import a CCP SDE export into Postgres: stream every table into staging, then swap all at once."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from adapters.postgres.static_data import StaticDataWriter
from adapters.sde.archive import SdeArchive, SdeImportError
from adapters.sde.download import download_sde, is_url
from adapters.sde.items import build_number, category_rows, group_rows, market_group_rows, type_name_rows, type_rows
from adapters.sde.universe import constellation_rows, region_rows, station_rows, system_rows

ProgressCallback = Callable[[str, int], None]
REQUIRED_FILES = ("types.jsonl", "groups.jsonl", "categories.jsonl")
ROWS_PER_BATCH = 5000

# sde_* table -> the generator of its rows, in import order.
TABLE_SOURCES: dict[str, Callable[[SdeArchive], Iterator[tuple[object, ...]]]] = {
    "sde_categories": category_rows,
    "sde_groups": group_rows,
    "sde_market_groups": market_group_rows,
    "sde_types": type_rows,
    "sde_type_names": type_name_rows,
    "sde_regions": region_rows,
    "sde_constellations": constellation_rows,
    "sde_systems": system_rows,
    "sde_stations": station_rows,
}


@dataclass(frozen=True)
class ImportSummary:
    """What one import wrote: rows per table, where from, which build, how long it took."""

    source: str
    build: str | None
    categories: int
    groups: int
    market_groups: int
    types: int
    type_names: int
    regions: int
    constellations: int
    systems: int
    stations: int
    duration_s: float

    @property
    def counts(self) -> dict[str, int]:
        """Rows per sde_* table."""
        return {table: getattr(self, table.removeprefix("sde_")) for table in TABLE_SOURCES}


async def _in_batches(rows: Iterator[tuple[object, ...]]) -> AsyncIterator[tuple[object, ...]]:
    """Pull rows from a blocking generator in a worker thread, a batch at a time, for COPY."""
    while batch := await asyncio.to_thread(lambda: list(itertools.islice(rows, ROWS_PER_BATCH))):
        for row in batch:
            yield row


async def import_archive(
    pool: asyncpg.Pool, archive: SdeArchive, source: str, progress: ProgressCallback | None
) -> ImportSummary:
    """Stage every table from an opened archive, then publish them in one transaction."""
    started = time.perf_counter()
    archive.require(*REQUIRED_FILES)
    build = await asyncio.to_thread(build_number, archive)
    counts: dict[str, int] = {}
    async with pool.acquire() as connection, StaticDataWriter(connection) as writer:
        for table, rows_of in TABLE_SOURCES.items():
            try:
                counts[table] = await writer.stage(table, _in_batches(rows_of(archive)))
            except asyncpg.PostgresError as error:
                raise SdeImportError(f"{table}: rejected by Postgres ({error}) (in {source})") from None
            if progress is not None:
                progress(table, counts[table])
        try:
            await writer.publish(source=source, build=build, counts=counts)
        except asyncpg.PostgresError as error:
            raise SdeImportError(f"publishing the import failed ({error}) (in {source})") from None
    duration = time.perf_counter() - started
    fields = {table.removeprefix("sde_"): count for table, count in counts.items()}
    return ImportSummary(source=source, build=build, duration_s=duration, **fields)


async def import_sde(
    pool: asyncpg.Pool,
    source: str | Path,
    *,
    data_dir: Path,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import an SDE JSONL export (zip, folder, or http(s) URL downloaded to <data_dir>/sde/ first).

    Replaces all static data atomically; on SdeImportError the previous import stays untouched.
    `progress(table, rows)` is called after each table is staged (and `("download", bytes)` after a download).
    """
    location = Path(source) if not isinstance(source, str) or not is_url(source) else None
    if location is None:
        location = await download_sde(str(source), data_dir)
        if progress is not None:
            progress("download", location.stat().st_size)
    archive = await asyncio.to_thread(SdeArchive, location)
    try:
        return await import_archive(pool, archive, str(source), progress)
    finally:
        archive.close()
