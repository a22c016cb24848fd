"""Migration runner: order, idempotence, advisory lock under concurrency, edited-file detection."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from adapters.postgres.migrate import discover, migrate
from tests.conftest import _with_database


@pytest_asyncio.fixture(loop_scope="session")
async def blank_dsn(pg_server_dsn: str) -> AsyncIterator[str]:
    """An empty database (no migrations applied) of this test's own."""
    name = f"evt_blank_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(pg_server_dsn, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _write(directory: Path, name: str, sql: str) -> None:
    (directory / name).write_text(sql)


async def test_applies_in_order_once_even_with_concurrent_replicas(blank_dsn: str, tmp_path: Path) -> None:
    _write(tmp_path, "0001_a.sql", "CREATE TABLE t_a (id int);")
    _write(tmp_path, "0002_b.sql", "INSERT INTO t_a VALUES (1);")
    conns = [await asyncpg.connect(blank_dsn) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(c, tmp_path) for c in conns))
        assert sorted(results, key=len) == [[], [], [1, 2]]
        assert await conns[0].fetchval("SELECT count(*) FROM t_a") == 1
        assert await migrate(conns[0], tmp_path) == []
    finally:
        for c in conns:
            await c.close()


async def test_failed_migration_rolls_back_and_is_not_recorded(blank_dsn: str, tmp_path: Path) -> None:
    _write(tmp_path, "0001_ok.sql", "CREATE TABLE t_ok (id int);")
    _write(tmp_path, "0002_bad.sql", "CREATE TABLE t_bad (id int); SELECT no_such_function();")
    conn = await asyncpg.connect(blank_dsn)
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await migrate(conn, tmp_path)
        assert await conn.fetchval("SELECT to_regclass('t_bad')") is None
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations WHERE version = 2") == 0
        assert await conn.fetchval("SELECT to_regclass('t_ok')") is not None
    finally:
        await conn.close()


async def test_edited_migration_is_refused(blank_dsn: str, tmp_path: Path) -> None:
    _write(tmp_path, "0001_a.sql", "CREATE TABLE t_e (id int);")
    conn = await asyncpg.connect(blank_dsn)
    try:
        await migrate(conn, tmp_path)
        _write(tmp_path, "0001_a.sql", "CREATE TABLE t_e (id bigint);")
        with pytest.raises(RuntimeError, match="changed after it was applied"):
            await migrate(conn, tmp_path)
    finally:
        await conn.close()


def test_discover_rejects_bad_names(tmp_path: Path) -> None:
    _write(tmp_path, "1_bad.sql", "")
    with pytest.raises(ValueError, match=r"0001_name\.sql"):
        discover(tmp_path)


async def test_no_migrations_is_an_error_and_touches_nothing(blank_dsn: str, tmp_path: Path) -> None:
    _write(tmp_path, "README.txt", "not a migration")
    conn = await asyncpg.connect(blank_dsn)
    try:
        with pytest.raises(ValueError, match="no migrations found"):
            await migrate(conn, tmp_path)
        assert await conn.fetchval("SELECT to_regclass('schema_migrations')") is None
    finally:
        await conn.close()


def test_default_source_is_the_migrations_package() -> None:
    on_disk = sorted(p.name for p in (Path(__file__).parents[3] / "migrations").glob("*.sql"))
    found = discover()
    assert [f"{m.version:04d}_{m.name}.sql" for m in found] == on_disk
    assert len(found) >= 13
