"""PgAdminReports against real Postgres: usage per day/provider/model, top accounts, provider health words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest

from adapters.postgres.admin_reports import PgAdminReports, WindowHealth, health_status

pytestmark = pytest.mark.integration
NOW = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
_INSERT = """
INSERT INTO ai_usage (at, command, platform, account_id, provider, model, input_tokens, output_tokens, latency_ms,
                      cached, cost_usd, outcome)
VALUES ($1, 'analyze', 'discord', $2, $3, $4, $5, $6, $7, $8, $9, $10)
"""


def row(
    at: datetime,
    provider: str,
    outcome: str,
    *,
    model: str = "m",
    account: int | None = None,
    tokens: tuple[int, int] = (0, 0),
    latency_ms: int = 0,
    cost: str | None = "0",
) -> tuple[object, ...]:
    """One ai_usage row's parameters."""
    price = Decimal(cost) if cost is not None else None
    return (at, account, provider, model, *tokens, latency_ms, outcome == "cached", price, outcome)


async def test_usage_groups_days_providers_and_models_with_unknown_costs(pg_pool: asyncpg.Pool) -> None:
    account = await pg_pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
    await pg_pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id, display_name)"
        " VALUES ('discord', 'x', $1, 'Ann')",
        account,
    )
    today, yesterday = NOW - timedelta(hours=1), NOW - timedelta(days=1)
    claude = {"model": "claude", "account": account}
    rows = [
        row(today, "anthropic", "answered", tokens=(1000, 200), latency_ms=100, cost="0.01", **claude),
        row(today, "anthropic", "answered", tokens=(10, 2), latency_ms=300, cost=None, **claude),
        row(today, "anthropic", "cached", **claude),
        row(today, "anthropic", "failed", tokens=(500, 0), latency_ms=900, cost="0.001", **claude),
        row(today, "chain", "over_quota", model="-", account=account),
        row(yesterday, "openai", "answered", model="gpt", latency_ms=50, cost=None),
        row(NOW - timedelta(days=6, hours=11), "openai", "answered", model="gpt"),  # 2025-05-14 00:00: first day
        row(NOW - timedelta(days=6, hours=13), "openai", "answered", model="gpt"),  # 2025-05-13: outside 7 days
    ]
    await pg_pool.executemany(_INSERT, rows)
    report = await PgAdminReports(pg_pool).usage(7, NOW)
    assert (report.since, report.until) == (datetime(2025, 5, 14, tzinfo=UTC), datetime(2025, 5, 21, tzinfo=UTC))
    lines = {(line.day, line.provider, line.model): line for line in report.lines}
    assert list(lines) == [
        (date(2025, 5, 20), "anthropic", "claude"),
        (date(2025, 5, 20), "chain", "-"),
        (date(2025, 5, 19), "openai", "gpt"),
        (date(2025, 5, 14), "openai", "gpt"),
    ]
    claude_today = lines[(date(2025, 5, 20), "anthropic", "claude")]
    assert (claude_today.requests, claude_today.answers, claude_today.cached, claude_today.failures) == (4, 3, 1, 1)
    assert claude_today.cached_share == pytest.approx(1 / 3)
    assert (claude_today.input_tokens, claude_today.output_tokens) == (1510, 202)
    assert (claude_today.cost_usd, claude_today.unknown_cost) == (Decimal("0.011"), 1)  # NULL is unknown, not 0
    assert claude_today.p50_ms == 300 and claude_today.p95_ms == pytest.approx(840)  # cached rows left out
    refused = lines[(date(2025, 5, 20), "chain", "-")]
    assert (refused.requests, refused.answers, refused.p50_ms, refused.cached_share) == (1, 0, None, None)
    gpt = lines[(date(2025, 5, 19), "openai", "gpt")]
    assert (gpt.cost_usd, gpt.unknown_cost) == (None, 1)  # every cost unknown: no total at all
    assert [(a.account_id, a.display_name, a.answers, a.cost_usd, a.unknown_cost) for a in report.top_accounts] == [
        (account, "Ann", 3, Decimal("0.011"), 1)
    ]
    assert len((await PgAdminReports(pg_pool).usage(8, NOW)).lines) == 5


async def test_top_accounts_are_the_ten_with_most_answers(pg_pool: asyncpg.Pool) -> None:
    accounts = [await pg_pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id") for _ in range(12)]
    at = NOW - timedelta(minutes=5)
    rows = [row(at, "anthropic", "answered", account=a) for n, a in enumerate(accounts) for _ in range(n + 1)]
    rows.append(row(at, "anthropic", "failed", account=accounts[0]))
    await pg_pool.executemany(_INSERT, rows)
    top = (await PgAdminReports(pg_pool).usage(1, NOW)).top_accounts
    assert [(a.account_id, a.answers, a.display_name) for a in top] == [
        (accounts[n], n + 1, None) for n in range(11, 1, -1)
    ]


async def test_provider_health_words_windows_and_last_times(pg_pool: asyncpg.Pool) -> None:
    minute, hours_ago = NOW - timedelta(minutes=1), NOW - timedelta(hours=5)
    rows = [row(minute, "anthropic", "answered", latency_ms=100 * (n + 1)) for n in range(9)]
    rows += [row(minute, "anthropic", "failed", latency_ms=1000)]  # exactly 90 %: still healthy
    rows += [row(minute, "openai", "answered") for _ in range(8)] + [row(minute, "openai", "timeout")] * 2
    rows += [row(minute, "chain", "failed"), row(minute, "chain", "timeout"), row(hours_ago, "chain", "answered")]
    rows += [row(hours_ago, "gemini", "answered"), row(minute, "gemini", "cached"), row(minute, "gemini", "over_quota")]
    rows += [row(NOW - timedelta(days=8), "retired", "answered"), row(NOW + timedelta(minutes=1), "chain", "answered")]
    await pg_pool.executemany(_INSERT, rows)
    report = {p.provider: p for p in await PgAdminReports(pg_pool).providers(NOW)}
    assert {name: p.status for name, p in report.items()} == {
        "anthropic": "healthy",
        "chain": "down",
        "gemini": "idle",
        "openai": "degraded",
    }
    anthropic = report["anthropic"]
    assert (anthropic.hour.calls, anthropic.hour.successes, anthropic.hour.success_rate) == (10, 9, 0.9)
    assert dict(anthropic.hour.failures) == {"failed": 1, "timeout": 0}
    assert anthropic.hour.p50_ms == 550 and anthropic.hour.p95_ms == pytest.approx(955)
    assert dict(report["openai"].hour.failures) == {"failed": 0, "timeout": 2}
    chain = report["chain"]
    assert (chain.hour.calls, chain.day.calls, chain.day.successes) == (2, 3, 1)
    assert (chain.last_success_at, chain.last_failure_at) == (hours_ago, minute)  # the future row is left out
    gemini = report["gemini"]
    assert (gemini.hour, gemini.day.calls, gemini.last_failure_at) == (WindowHealth(), 1, None)


def test_health_status_boundaries() -> None:
    assert health_status(WindowHealth()) == "idle"
    assert health_status(WindowHealth(calls=3, successes=0)) == "down"
    assert health_status(WindowHealth(calls=10, successes=9)) == "healthy"
    assert health_status(WindowHealth(calls=100, successes=89)) == "degraded"
