"""Apply numbered SQL migrations in order, each in a transaction, under a Postgres advisory lock."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

import asyncpg

MIGRATIONS_PACKAGE = "migrations"
ADVISORY_LOCK_KEY = 0x65766574  # "evet": one lock id for every evetrader replica
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the file's text, to notice an applied migration edited afterwards."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Traversable | None = None) -> list[Migration]:
    """Read every `NNNN_name.sql` file (of the installed `migrations` package by default) in version order.

    Duplicate versions, badly named files and finding no migration at all are errors (ValueError).
    """
    source = directory if directory is not None else files(MIGRATIONS_PACKAGE)
    found: dict[int, Migration] = {}
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql") or not entry.is_file():
            continue
        match = _NAME.match(entry.name)
        if not match:
            raise ValueError(f"migration file name must look like 0001_name.sql: {entry.name}")
        version = int(match.group(1))
        if version in found:
            raise ValueError(f"two migrations share version {version}")
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    if not found:
        raise ValueError(f"no migrations found in {source}: this installation of evetrader is incomplete")
    return [found[v] for v in sorted(found)]


async def pending(conn: asyncpg.Connection, directory: Traversable | None = None) -> list[Migration]:
    """The migrations of this installation the database has not applied (every one on a fresh database)."""
    migrations = discover(directory)
    if await conn.fetchval("SELECT to_regclass('schema_migrations') IS NULL"):
        return migrations
    applied = {row["version"] for row in await conn.fetch("SELECT version FROM schema_migrations")}
    return [migration for migration in migrations if migration.version not in applied]


async def migrate(conn: asyncpg.Connection, directory: Traversable | None = None) -> list[int]:
    """Apply pending migrations; return the versions applied now. Safe with many replicas at once."""
    migrations = discover(directory)  # before touching the database: finding none is an error
    await conn.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version integer PRIMARY KEY,
                   name text NOT NULL,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        applied = {
            r["version"]: r["checksum"] for r in await conn.fetch("SELECT version, checksum FROM schema_migrations")
        }
        done: list[int] = []
        for migration in migrations:
            if migration.version in applied:
                if applied[migration.version] != migration.checksum:
                    raise RuntimeError(f"migration {migration.version}_{migration.name} changed after it was applied")
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            done.append(migration.version)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", ADVISORY_LOCK_KEY)
