"""After a real /link sign-in, no table of the database (nor pg_dump's output) holds a token in plain text."""

from __future__ import annotations

import asyncio
import shutil
import urllib.parse
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.web.helpers import cookie, drop_cookie
from tests.web.schema_check import problems
from tests.web.test_sso_flow import Client, SsoPanel, panel, sso_callback, sso_fake  # noqa: F401 (fixtures)


async def _tables_as_text(pool: asyncpg.Pool) -> dict[str, str]:
    """Every row of every table of the public schema, as Postgres renders the row (bytea as hex)."""
    names = await pool.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    dump = {}
    for (name,) in names:
        quoted = '"' + name.replace('"', '""') + '"'
        rows = await pool.fetch(f"SELECT t::text FROM {quoted} t")  # names come from pg_catalog, quoted
        dump[name] = "\n".join(row[0] for row in rows)
    return dump


async def _pg_dump(pool: asyncpg.Pool, server_dsn: str) -> str | None:
    """pg_dump's plain output of this test's database (None when no pg_dump can be found).

    The pgserver wheel's pg_dump comes first: it is at least as new as either server we test against (pg_dump
    refuses servers newer than itself), then the one on PATH.
    """
    import pgserver

    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
    binary = str(bundled) if bundled.exists() else shutil.which("pg_dump")
    if binary is None:
        return None
    database = await pool.fetchval("SELECT current_database()")
    dsn = urllib.parse.urlunsplit(urllib.parse.urlsplit(server_dsn)._replace(path="/" + database))
    process = await asyncio.create_subprocess_exec(
        binary, "--no-owner", "--dbname", dsn, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode(errors="replace")
    return out.decode()


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """The secrets found in `text`, as they are or hex-encoded (how a bytea column would show them)."""
    return [name for name, value in secrets.items() if value in text or value.encode().hex() in text]


async def test_database_dump_holds_no_plaintext_token(
    panel: tuple[SsoPanel, Client],  # noqa: F811 (the fixture imported above)
    pg_pool: asyncpg.Pool,
    pg_server_dsn: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built, client = panel
    minted: list[str] = []
    mint = built.fake.mint

    def recording_mint(*args: Any, **kwargs: Any) -> str:
        token = mint(*args, **kwargs)
        minted.append(token)
        return token

    monkeypatch.setattr(built.fake, "mint", recording_mint)
    _, code = await built.issue_link(pg_pool, "discord", "d-dump", "Dumper")
    assert (await client.get(f"/link/{code}")).status == 200
    done = await client.get(await sso_callback(client), allow_redirects=False)
    assert done.status == 302, await done.text()
    first_refresh = cookie(client, "evt_refresh")
    drop_cookie(client, "evt_access")  # the next request rotates the web refresh token
    assert (await client.get("/account")).status == 200
    (sso_refresh,) = built.fake.ledger.refresh_tokens
    (sso_access,) = minted
    secrets = {
        "SSO refresh token": sso_refresh,
        "SSO access token": sso_access,
        "web refresh cookie": str(first_refresh),
        "rotated web refresh cookie": str(cookie(client, "evt_refresh")),
        "web access cookie": str(cookie(client, "evt_access")),
    }
    assert len(set(secrets.values())) == len(secrets) and all(len(v) >= 20 for v in secrets.values())
    tables = await _tables_as_text(pg_pool)
    assert {"characters", "web_refresh_tokens", "accounts", "account_identities"} <= set(tables)
    assert f"Trader {built.character_id}" in tables["characters"] and tables["web_refresh_tokens"].count("\n") >= 1
    assert {name: _leaks(text, secrets) for name, text in tables.items() if _leaks(text, secrets)} == {}
    dumped = await _pg_dump(pg_pool, pg_server_dsn)
    if dumped is not None:
        assert f"Trader {built.character_id}" in dumped and "refresh_token_enc" in dumped
        assert _leaks(dumped, secrets) == []
    assert _leaks("x" + sso_refresh.encode().hex(), secrets) == ["SSO refresh token"]  # the check can fail
    document = await (await client.get("/api/openapi.json")).json()
    account = await client.get("/api/v1/account")
    body = await account.text()
    schema = document["paths"]["/api/v1/account"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert problems(document, schema, await account.json()) == [] and _leaks(body, secrets) == []
    (character,) = (await account.json())["characters"]
    assert problems(document, {"$ref": "#/components/schemas/Character"}, {**character, "scopes": "all"}) != []
