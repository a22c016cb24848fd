"""The CLI as a user runs it (a subprocess): clear one-line errors, exit codes, and a real ingest from the fake."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

from adapters.crypto import TokenCipher
from adapters.postgres.characters import PgCharacterStore
from adapters.postgres.migrate import discover
from core.accounts.sso import CharacterToken
from core.market.hubs import KNOWN_REGIONS
from fakes.esi import EsiFake

EVETRADER = [sys.executable, "-m", "evetrader.cli"]
pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture(loop_scope="session")
async def fake() -> AsyncIterator[EsiFake]:
    async with EsiFake(regions={10000043: 3_000}) as server:
        yield server


async def evetrader(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI in a subprocess with `env` on top of ours; return (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        *EVETRADER, *args, env=os.environ | env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


def env_for(pg_dsn: str, redis_url: str, redis_prefix: str, esi: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "ESI_BASE_URL": esi,
        "EVETRADER_DATA_DIR": str(tmp_path),
        "EVETRADER_LOG_FORMAT": "json",
    }


async def test_ingest_once_by_hub_name(pg_dsn, redis_url, redis_prefix, fake, tmp_path) -> None:
    code, out, err = await evetrader(
        "ingest", "--hub", "amarr", "--once", env=env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path)
    )
    assert code == 0, err
    assert "region 10000043: updated, 3,000 orders" in out
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM market_orders WHERE region_id = 10000043") == 3000
    finally:
        await conn.close()


async def test_unknown_hub_lists_valid_ones_and_writes_nothing(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    code, _, err = await evetrader(
        "ingest",
        "--hub",
        "Perimeter",
        "--once",
        env=env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path),
    )
    assert code == 2
    assert err.strip() == "error: unknown hub 'Perimeter'; valid hubs: Jita, Amarr, Dodixie, Rens, Hek"
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM market_snapshots") == 0
    finally:
        await conn.close()


async def test_esi_unreachable_exits_nonzero_with_one_line(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path) | {"ESI_MAX_ATTEMPTS": "2"}
    code, _, err = await evetrader("ingest", "--region", "10000002", "--once", env=env)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "region 10000002" in lines[0]
    assert "Traceback" not in err


async def test_invalid_setting_stops_with_one_line(tmp_path) -> None:
    code, _, err = await evetrader("migrate", env={"ESI_MAX_CONCURRENCY": "lots", "EVETRADER_DATA_DIR": str(tmp_path)})
    assert code == 2
    assert err.strip() == (
        "error: invalid setting ESI_MAX_CONCURRENCY: "
        "Input should be a valid integer, unable to parse string as an integer"
    )


async def test_keys_rotate_names_the_rows_it_skips_and_rotates_the_rest(pg_dsn, redis_url, redis_prefix, tmp_path):
    old_key, new_key = TokenCipher.new_key_entry("k1"), TokenCipher.new_key_entry("k2")
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    pool = await asyncpg.create_pool(pg_dsn, min_size=1, max_size=2)
    try:
        store = PgCharacterStore(pool, TokenCipher.from_setting(old_key))
        for character_id in (90000001, 90000002, 90000003):
            token = CharacterToken(character_id, f"Pilot {character_id}", "owner", (), expires, "x")
            await store.link(token, f"refresh-{character_id}")
        await pool.execute(  # a ciphertext copied onto another row: tampering
            "UPDATE characters SET refresh_token_enc = (SELECT refresh_token_enc FROM characters"
            " WHERE character_id = 90000001) WHERE character_id = 90000002"
        )
        env = env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path)
        code, out, err = await evetrader("keys", "rotate", env=env | {"ENCRYPTION_KEYS": f"{new_key},{old_key}"})
        assert code == 1 and "Traceback" not in err
        assert "re-encrypted 2 token(s) under key k2" in out
        assert "character 90000002: ciphertext failed authentication" in out and "refresh-" not in out
        rotated = PgCharacterStore(pool, TokenCipher.from_setting(new_key))
        readable = [await rotated.refresh_token(c) for c in (90000001, 90000003)]
        assert readable == ["refresh-90000001", "refresh-90000003"]
    finally:
        await pool.close()


async def test_admin_grant_and_revoke_by_character_or_account_id(pg_dsn, redis_url, redis_prefix, tmp_path):
    env = env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path)
    conn = await asyncpg.connect(pg_dsn)
    try:
        pilot, other = [int(await conn.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")) for _ in "ab"]
        await conn.execute(
            "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES (2112000001, $1, 'P', 'o')",
            pilot,
        )
        code, out, err = await evetrader("admin", "grant", "2112000001", env=env)
        assert (code, out.strip()) == (0, f"account {pilot} (character 2112000001) is now an admin"), err
        code, out, err = await evetrader("admin", "grant", str(other), env=env)
        assert (code, out.strip()) == (0, f"account {other} is now an admin"), err
        roles = await conn.fetch("SELECT role FROM accounts WHERE id = ANY($1::bigint[])", [pilot, other])
        assert [row["role"] for row in roles] == ["admin", "admin"]
        code, out, err = await evetrader("admin", "revoke", "2112000001", env=env)
        assert (code, out.strip()) == (0, f"account {pilot} (character 2112000001) is no longer an admin"), err
        code, _, err = await evetrader("admin", "revoke", str(other), env=env)
        assert code == 2 and err.strip() == f"error: account {other} is the last admin: grant another account first"
        code, _, err = await evetrader("admin", "grant", "90000009", env=env)
        assert code == 2 and "no linked EVE character and no account has id 90000009" in err
        roles = await conn.fetch("SELECT role FROM accounts ORDER BY id")
        assert [row["role"] for row in roles] == ["user", "admin"]
    finally:
        await conn.close()


async def test_the_replaced_admin_account_ids_setting_is_refused_by_name(tmp_path) -> None:
    code, _, err = await evetrader("migrate", env={"ADMIN_ACCOUNT_IDS": "[1]", "EVETRADER_DATA_DIR": str(tmp_path)})
    assert code == 2 and "Traceback" not in err
    assert "ADMIN_ACCOUNT_IDS was replaced by ADMIN_CHARACTER_IDS" in err and "evetrader admin grant" in err


async def test_kill_9_mid_ingest_leaves_the_previous_snapshot_whole(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    async with EsiFake(regions={10000043: 3_000}, cache_seconds=1) as fake:
        env = env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path)
        code, _, err = await evetrader("ingest", "--region", "10000043", "--once", env=env)
        assert code == 0, err
        conn = await asyncpg.connect(pg_dsn)
        try:
            before = await conn.fetch("SELECT order_id, price FROM market_orders ORDER BY order_id")
            await asyncio.sleep(1.5)
            fake.advance(10000043)
            fake.faults.timeouts(1, delay_s=60, page=3)
            seen = len(fake.requests)
            proc = await asyncio.create_subprocess_exec(
                *EVETRADER, "ingest", "--region", "10000043", "--once", env=os.environ | env
            )
            async with asyncio.timeout(30):
                while not any(r.query.get("page") == "3" for r in fake.requests[seen:]):  # noqa: ASYNC110 (the fake records requests; no event)
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # pages 1-2 are in the staging table by now
            proc.kill()
            await proc.wait()
            assert await conn.fetch("SELECT order_id, price FROM market_orders ORDER BY order_id") == before
            snapshots = await conn.fetchval("SELECT count(*) FROM market_snapshots WHERE status = 'ok'")
            assert snapshots == 1
            assert await _unattached(conn) == 2  # the killed run's staging tables are left behind...

            fake.faults.clear()
            await asyncio.sleep(1.5)
            code, _, err = await evetrader("ingest", "--region", "10000043", "--once", env=env)
            assert code == 0, err
            after = await conn.fetch("SELECT order_id, price FROM market_orders ORDER BY order_id")
            assert len(after) == 3_000 and after != before
            assert await _unattached(conn) == 0  # ...and dropped by the next run
        finally:
            await conn.close()


async def _unattached(conn: asyncpg.Connection) -> int:
    """Per-region order/quote tables of region 10000043 that are not attached partitions (staging leftovers)."""
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND NOT relispartition"
            " AND relname ~ '^market_(orders|quotes)_10000043_[0-9]+$'"
        )
    )


async def test_version_completion_and_run_help(tmp_path) -> None:
    env = {"EVETRADER_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    code, out, err = await evetrader("--version", env=env)
    assert (code, out) == (0, f"evetrader {version('evetrader')}\n"), err
    code, out, _ = await evetrader("--help", env=env)
    assert code == 0 and "--install-completion" in out and "--version" in out
    code, out, _ = await evetrader("--show-completion", "bash", env=env)
    assert code == 0 and "_EVETRADER_COMPLETE" in out
    code, out, _ = await evetrader("run", "--help", env=env)
    assert code == 0 and "DISCORD_TOKEN" in out and "TELEGRAM_TOKEN" in out and "bot" in out


async def test_status_json_lists_every_region(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute(
            "INSERT INTO market_snapshots (region_id, status, last_modified, expires, pages, orders)"
            " VALUES (10000002, 'ok', '2026-05-20 11:30+00', '2026-05-20 11:35+00', 3, 2500)"
        )
        await conn.execute(
            "INSERT INTO market_snapshots (region_id, status, last_error) VALUES (10000043, 'failed', 'HTTP 503')"
        )
    finally:
        await conn.close()
    env = env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path)
    code, out, err = await evetrader("status", "--json", env=env)
    assert code == 0, err
    regions = {entry["region_id"]: entry for entry in json.loads(out)}
    assert set(regions) == set(KNOWN_REGIONS)
    assert regions[10000002] == {
        "region_id": 10000002,
        "name": "The Forge",
        "status": "ok",
        "orders": 2500,
        "as_of": "2026-05-20T11:30:00+00:00",
        "expires": "2026-05-20T11:35:00+00:00",
        "last_error": None,
    }
    assert regions[10000043]["status"] == "failed" and regions[10000043]["last_error"] == "HTTP 503"
    assert regions[10000032]["status"] == "never_ingested" and regions[10000032]["as_of"] is None


async def test_chat_before_any_ingest_says_what_to_run(pg_dsn, redis_url, redis_prefix, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path)
    code, out, err = await evetrader("chat", "-c", "/price tritanium jita", env=env)
    assert code == 0, err
    assert "The Forge has no market data yet: run evetrader seed for demo data or keep evetrader run going." in out


async def test_analyze_without_ai_keys_points_at_the_table_printed_below(
    pg_dsn, redis_url, redis_prefix, fake, tmp_path
) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path)
    code, _, err = await evetrader("ingest", "--hub", "amarr", "--once", env=env)
    assert code == 0, err
    code, out, err = await evetrader("chat", "-c", "/analyze tritanium amarr", env=env)
    assert code == 0, err
    assert "facts above" not in out
    hint = out.index("the facts in the table are computed from live market data")
    assert hint < out.index("Best sell")  # the note comes first, the table after it


async def test_sde_import_bundled_makes_no_network_request(pg_dsn, redis_url, redis_prefix, fake, tmp_path) -> None:
    env = env_for(pg_dsn, redis_url, redis_prefix, fake.base_url, tmp_path)
    seen = len(fake.requests)
    code, out, err = await evetrader("sde", "import", "--bundled", env=env)
    assert code == 0, err
    assert len(fake.requests) == seen  # the old import asked ESI for every ship's packaged volume
    assert out.splitlines()[0].startswith("imported ")
    assert out.splitlines()[1].startswith("packaged ship volumes skipped (offline import)")
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM sde_types") > 0
    finally:
        await conn.close()


@pytest_asyncio.fixture(loop_scope="session")
async def raw_dsn(pg_server_dsn: str) -> AsyncIterator[str]:
    """A database of this test's own that no migration has touched (an external server's fresh database)."""
    name = f"evt_raw_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(pg_server_dsn)._replace(path="/" + name))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_commands_refuse_an_outdated_external_schema_until_migrate(
    raw_dsn, redis_url, redis_prefix, tmp_path
) -> None:
    env = env_for(raw_dsn, redis_url, redis_prefix, "http://127.0.0.1:9", tmp_path)
    behind = f"{len(discover())} migration(s) behind this evetrader"
    for command in (["status"], ["chat", "-c", "/price tritanium jita"], ["sde", "import", "--bundled"]):
        code, _, err = await evetrader(*command, env=env)
        assert code == 1 and "Traceback" not in err, (command, err)
        [line] = [line for line in err.splitlines() if line.startswith("error:")]
        assert behind in line and line.endswith("run `evetrader migrate` first"), line
    conn = await asyncpg.connect(raw_dsn)
    try:
        assert await conn.fetchval("SELECT to_regclass('schema_migrations')") is None  # nothing was migrated
        code, out, err = await evetrader("migrate", env=env)
        assert code == 0 and out.startswith("applied migrations: "), err
        latest = await conn.fetchrow(  # as if this evetrader were one migration newer than the schema
            "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations) RETURNING *"
        )
        code, _, err = await evetrader("status", env=env)
        assert code == 1 and "is 1 migration(s) behind" in err
        await conn.execute("INSERT INTO schema_migrations SELECT ($1::schema_migrations).*", latest)
        code, out, err = await evetrader("status", env=env)
        assert code == 0 and "never ingested" in out, err
    finally:
        await conn.close()
