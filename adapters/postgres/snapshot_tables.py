"""A region's snapshot tables: their names, the lock that serialises stagers, leftovers of killed ingests, the meta row.

Light on purpose: order-book reads and structure markets import it; the stage itself (numpy) is snapshots.py.
"""

from __future__ import annotations

import re

import asyncpg

from core.market.model import SnapshotMeta, SnapshotStatus

LOCK_CLASS = 0x6D6B74  # pg_advisory_lock(LOCK_CLASS, region_id): one stager per region at a time
SWAP_LOCK_TIMEOUT_MS = 2000
_TABLE = re.compile(r"^market_(orders|quotes)_(\d+)_(\d+)$")


def table_name(parent: str, region_id: int, generation: int) -> str:
    """The staging/partition table of `parent` for one region generation (identifiers from ints only)."""
    return f"{parent}_{int(region_id)}_{int(generation)}"


def parse_table_name(name: str) -> tuple[int, int] | None:
    """(region_id, generation) of a per-region table name, or None for any other table."""
    match = _TABLE.match(name)
    return (int(match.group(2)), int(match.group(3))) if match else None


async def region_tables(conn: asyncpg.Connection, region_id: int | None = None) -> list[tuple[str, bool]]:
    """(name, is_attached) of every per-region orders/quotes table, optionally of one region only."""
    rows = await conn.fetch(
        "SELECT relname, relispartition FROM pg_class"
        " WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
        " AND (relname LIKE 'market\\_orders\\_%' OR relname LIKE 'market\\_quotes\\_%')"
    )
    found = []
    for row in rows:
        parsed = parse_table_name(row["relname"])
        if parsed and (region_id is None or parsed[0] == region_id):
            found.append((row["relname"], row["relispartition"]))
    return found


async def drop_unattached(conn: asyncpg.Connection, region_id: int) -> int:
    """Drop the region's staging tables left by an aborted or killed ingest; return how many."""
    names = [name for name, attached in await region_tables(conn, region_id) if not attached]
    for name in names:
        await conn.execute(f"DROP TABLE IF EXISTS {name}")
    return len(names)


def meta_from_record(row: asyncpg.Record) -> SnapshotMeta:
    """Build SnapshotMeta from a market_snapshots row."""
    return SnapshotMeta(
        region_id=row["region_id"],
        status=SnapshotStatus(row["status"]),
        last_modified=row["last_modified"],
        expires=row["expires"],
        etag=row["etag"],
        pages=row["pages"],
        orders=row["orders"],
        quotes=row["quotes"],
        duration_s=row["duration_s"],
        updated_at=row["updated_at"],
        last_error=row["last_error"],
    )
