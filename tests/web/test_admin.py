"""The admin's AI usage and provider health: role checks, the days parameter, documented schemas, the page section."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from tests.web.helpers import create_account, sign_in
from tests.web.schema_check import problems

ADMIN_PATHS = ("/api/v1/admin/usage", "/api/v1/admin/providers")
_INSERT = """
INSERT INTO ai_usage (at, command, platform, account_id, provider, model, input_tokens, output_tokens, latency_ms,
                      cached, cost_usd, outcome)
VALUES ($1, 'ask', 'telegram', $2, $3, $4, 100, 20, $5, $6, $7, $8)
"""


async def _usage_rows(pool: asyncpg.Pool, account: int) -> tuple[str, str]:
    """A healthy and a failing provider (names unique to the test: the module shares a database)."""
    good, bad = f"good-{uuid.uuid4().hex[:6]}", f"bad-{uuid.uuid4().hex[:6]}"
    at = datetime.now(UTC) - timedelta(minutes=1)
    rows = [
        (at, account, good, "model-a", 200, False, 0.002, "answered"),
        (at, account, good, "model-a", 400, False, None, "answered"),
        (at, account, good, "model-a", 0, True, 0, "cached"),
        (at, None, bad, "model-b", 30000, False, None, "timeout"),
    ]
    await pool.executemany(_INSERT, rows)
    return good, bad


def _schema(document: dict[str, Any], path: str, status: str) -> dict[str, Any]:
    media: dict[str, dict[str, Any]] = document["paths"][path]["get"]["responses"][status]["content"]
    schema: dict[str, Any] = media["application/json"]["schema"]
    return schema


async def test_users_get_403_and_anonymous_callers_401(client, pg_pool, make_light_client):
    anonymous = await make_light_client()
    for path in (*ADMIN_PATHS, "/admin"):
        assert (await anonymous.get(path)).status == 401, path
    await sign_in(client, await create_account(pg_pool))
    for path in ADMIN_PATHS:
        refused = await client.get(path)
        assert refused.status == 403 and (await refused.json())["error"]["code"] == "forbidden", path
    assert (await client.get("/admin")).status == 403


async def test_usage_report_matches_its_schema_and_keeps_unknown_costs_unknown(client, pg_pool):
    admin = await create_account(pg_pool, "admin", identities=(("telegram", f"a-{uuid.uuid4().hex}", "Boss"),))
    good, bad = await _usage_rows(pg_pool, admin)
    await sign_in(client, admin)
    document = await (await client.get("/api/openapi.json")).json()
    response = await client.get("/api/v1/admin/usage?days=90")
    assert response.status == 200
    report = await response.json()
    assert problems(document, _schema(document, "/api/v1/admin/usage", "200"), report) == []
    assert report["days"] == 90
    lines = {line["provider"]: line for line in report["lines"]}
    assert {
        k: lines[good][k] for k in ("answers", "cached", "input_tokens", "cost_usd", "unknown_cost", "failures")
    } == {
        "answers": 3,
        "cached": 1,
        "input_tokens": 300,
        "cost_usd": 0.002,
        "unknown_cost": 1,
        "failures": 0,
    }
    assert (lines[good]["p50_ms"], lines[good]["cached_share"]) == (300, pytest.approx(1 / 3))
    assert (lines[bad]["cost_usd"], lines[bad]["answers"], lines[bad]["failures"]) == (None, 0, 1)
    mine = [a for a in report["top_accounts"] if a["account_id"] == admin]
    assert [(a["answers"], a["display_name"]) for a in mine] == [(3, "Boss")]
    assert (await (await client.get("/api/v1/admin/usage")).json())["days"] == 7


@pytest.mark.parametrize("days", ["0", "91", "abc", "-3", "7.5", ""])
async def test_bad_days_are_a_json_400(client, pg_pool, days):
    await sign_in(client, await create_account(pg_pool, "admin"))
    refused = await client.get("/api/v1/admin/usage", params={"days": days})
    assert refused.status == 400
    body = await refused.json()
    document = await (await client.get("/api/openapi.json")).json()
    assert problems(document, _schema(document, "/api/v1/admin/usage", "400"), body) == []
    assert body["error"]["code"] == "bad_request" and "1 to 90" in body["error"]["message"]


async def test_provider_health_matches_its_schema(client, pg_pool):
    admin = await create_account(pg_pool, "admin")
    good, bad = await _usage_rows(pg_pool, admin)
    await sign_in(client, admin)
    document = await (await client.get("/api/openapi.json")).json()
    report = await (await client.get("/api/v1/admin/providers")).json()
    assert problems(document, _schema(document, "/api/v1/admin/providers", "200"), report) == []
    providers = {p["provider"]: p for p in report["providers"]}
    assert providers[good]["status"] == "healthy" and providers[bad]["status"] == "down"
    assert providers[good]["last_hour"]["calls"] == 2  # the cached answer never reached the provider
    assert providers[bad]["last_day"]["failures"] == {"failed": 0, "timeout": 1}
    assert providers[bad]["last_success_at"] is None and providers[bad]["last_failure_at"] is not None
    assert problems(document, _schema(document, "/api/v1/admin/providers", "200"), {"providers": []}) != []


async def test_admin_page_shows_usage_and_provider_health(client, pg_pool):
    admin = await create_account(pg_pool, "admin")
    good, bad = await _usage_rows(pg_pool, admin)
    await sign_in(client, admin)
    page = await client.get("/admin?days=3")
    assert page.status == 200
    html = await page.text()
    assert "AI usage, last 3 days" in html and 'for="days"' in html
    usage_row = html.split(f"<td>{good}</td>")[1].split("</tr>")[0]
    assert "$0.0020 + 1 unknown" in usage_row and "33 %" in usage_row
    health = html.split('id="providers-title"')[1]
    assert f"<td>{bad}</td>" in health and "status-down" in health and "1 timeout" in health
    bad_days = await client.get("/admin?days=365")
    assert bad_days.status == 400 and "1 to 90" in await bad_days.text()
