"""PgAiUsage against real Postgres: usage rows (cost unknown stays NULL), atomic daily quotas, refunds; counters."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
import pytest
from prometheus_client import REGISTRY

from adapters.postgres.ai_usage import PgAiUsage, PrometheusUsage
from core.analysis.ports import QuotaScope, UsageRecord

pytestmark = pytest.mark.integration
DAY = date(2025, 5, 20)


def usage(account_id: int | None, **changes: object) -> UsageRecord:
    fields: dict[str, object] = {
        "at": datetime(2025, 5, 20, 11, 30, tzinfo=UTC),
        "command": "analyze",
        "platform": "discord",
        "account_id": account_id,
        "guild_id": "g1",
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "input_tokens": 1200,
        "output_tokens": 300,
        "latency_s": 2.345,
        "cached": False,
        "cost_usd": 0.0081,
        "tool_calls": 2,
        "outcome": "answered",
    }
    return UsageRecord(**(fields | changes))  # type: ignore[arg-type]


async def test_usage_rows_keep_tokens_latency_and_unknown_costs(pg_pool: asyncpg.Pool) -> None:
    account = await pg_pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
    store = PgAiUsage(pg_pool)
    await store.record(usage(account))
    await store.record(usage(None, model="mystery", cost_usd=None, cached=True, outcome="cached", input_tokens=0))
    rows = await pg_pool.fetch("SELECT * FROM ai_usage ORDER BY id")
    assert [(r["account_id"], r["model"], r["cost_usd"], r["cached"], r["outcome"]) for r in rows] == [
        (account, "claude-sonnet-4-5", Decimal("0.008100"), False, "answered"),
        (None, "mystery", None, True, "cached"),
    ]
    assert (rows[0]["input_tokens"], rows[0]["output_tokens"], rows[0]["latency_ms"], rows[0]["tool_calls"]) == (
        1200,
        300,
        2345,
        2,
    )


async def test_quotas_are_all_or_nothing_and_exact_under_concurrency(pg_pool: asyncpg.Pool) -> None:
    store = PgAiUsage(pg_pool)
    account, guild = QuotaScope("account", "7", 5), QuotaScope("guild", "discord:g1", 6)
    results = await asyncio.gather(*(store.reserve([account, guild], DAY) for _ in range(12)))
    assert results.count(None) == 5 and all(r in (None, account) for r in results)
    assert await store.used(account, DAY) == 5 and await store.used(guild, DAY) == 5  # refused ones rolled back
    other = QuotaScope("account", "8", 5)
    assert await store.reserve([other, guild], DAY) is None
    assert await store.reserve([QuotaScope("account", "9", 5), guild], DAY) == guild  # guild now full
    assert await store.used(QuotaScope("account", "9", 5), DAY) == 0  # its account was not charged
    await store.refund([other, guild], DAY)
    assert await store.used(guild, DAY) == 5 and await store.used(other, DAY) == 0
    await store.refund([other], DAY)
    assert await store.used(other, DAY) == 0  # never below zero
    assert await store.reserve([account], date(2025, 5, 21)) is None  # a new UTC day starts at zero


async def test_prometheus_counts_requests_tokens_and_costs() -> None:
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    labels = {"provider": "anthropic", "model": "claude-sonnet-4-5"}
    before = (
        value("ai_requests_total", command="analyze", outcome="answered", **labels),
        value("ai_tokens_total", direction="input", **labels),
        value("ai_cost_usd_total", **labels),
        value("ai_unpriced_calls_total", provider="anthropic", model="mystery"),
    )
    sink = PrometheusUsage()
    await sink.record(usage(1))
    await sink.record(usage(1, model="mystery", cost_usd=None))
    after = (
        value("ai_requests_total", command="analyze", outcome="answered", **labels),
        value("ai_tokens_total", direction="input", **labels),
        value("ai_cost_usd_total", **labels),
        value("ai_unpriced_calls_total", provider="anthropic", model="mystery"),
    )
    assert [b - a for a, b in zip(before, after, strict=True)] == pytest.approx([1, 1200, 0.0081, 1])
