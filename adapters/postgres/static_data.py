"""Write a static-data import: COPY into temp tables, then swap them into sde_* in one short transaction."""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping

import asyncpg
import orjson

# Live tables and the columns an import fills, in the order the adapters/sde row tuples use.
STATIC_DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "sde_categories": ("category_id", "name", "published"),
    "sde_groups": ("group_id", "category_id", "name", "published"),
    "sde_market_groups": ("market_group_id", "parent_id", "name", "has_types"),
    "sde_types": (
        "type_id",
        "name",
        "group_id",
        "category_id",
        "market_group_id",
        "volume",
        "packaged_volume",
        "portion_size",
        "base_price",
        "published",
    ),
    "sde_type_names": ("type_id", "language", "name"),
    "sde_regions": ("region_id", "name"),
    "sde_constellations": ("constellation_id", "region_id", "name"),
    "sde_systems": ("system_id", "constellation_id", "region_id", "name", "security"),
    "sde_stations": ("station_id", "system_id", "region_id", "name", "owner_id", "type_id"),
}
IMPORT_LOCK_KEY = 0x65767364  # "evsd": one static-data import at a time across replicas


def _staging(table: str) -> str:
    return f"staging_{table}"


class StaticDataWriter:
    """Stages rows on one connection; `publish` replaces every sde_* table at once or not at all.

    Readers never wait (DELETE + INSERT take row locks only) and never see a half import (one commit).
    Anything failing before `publish` commits leaves the live tables as they were.
    """

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection
        self._staged: set[str] = set()

    async def __aenter__(self) -> StaticDataWriter:
        await self._connection.execute("SELECT pg_advisory_lock($1)", IMPORT_LOCK_KEY)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            for table in self._staged:
                await self._connection.execute(f"DROP TABLE IF EXISTS pg_temp.{_staging(table)}")
        finally:
            await self._connection.execute("SELECT pg_advisory_unlock($1)", IMPORT_LOCK_KEY)

    async def stage(self, table: str, rows: AsyncIterable[tuple[object, ...]]) -> int:
        """COPY rows into a fresh temp copy of `table`; return how many rows it holds."""
        columns = STATIC_DATA_COLUMNS[table]
        staging = _staging(table)
        await self._connection.execute(f"DROP TABLE IF EXISTS pg_temp.{staging}")
        await self._connection.execute(f"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS)")
        self._staged.add(table)
        await self._connection.copy_records_to_table(staging, records=rows, columns=list(columns))
        count = await self._connection.fetchval(f"SELECT count(*) FROM pg_temp.{staging}")
        return int(count)

    async def publish(self, *, source: str, build: str | None, counts: Mapping[str, int]) -> None:
        """Swap every staged table into place and log the import, in one transaction."""
        async with self._connection.transaction():
            for table, columns in STATIC_DATA_COLUMNS.items():
                if table not in self._staged:
                    continue
                column_list = ", ".join(columns)
                if table == "sde_types":  # packaged volumes come from ESI, not the SDE: keep them across imports
                    await self._connection.execute(
                        "UPDATE pg_temp.staging_sde_types s SET packaged_volume = t.packaged_volume FROM sde_types t"
                        " WHERE s.type_id = t.type_id AND s.packaged_volume IS NULL"
                    )
                await self._connection.execute(f"DELETE FROM {table}")
                await self._connection.execute(
                    f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM pg_temp.{_staging(table)}"
                )
            await self._connection.execute(
                "INSERT INTO sde_imports (source, build, counts) VALUES ($1, $2, $3::text::jsonb)",
                source,
                build,
                orjson.dumps(dict(counts)).decode(),
            )


async def static_data_is_empty(pool: asyncpg.Pool) -> bool:
    """True when no static data has been imported yet (no types)."""
    return bool(await pool.fetchval("SELECT NOT EXISTS (SELECT 1 FROM sde_types)"))
