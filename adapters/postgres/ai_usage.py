"""AI usage in Postgres (one row per answer) and daily quotas (atomic counters), plus the Prometheus counters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import asyncpg
from prometheus_client import Counter

from core.analysis.ports import QuotaScope, UsageRecord

AI_REQUESTS = Counter(
    "ai_requests_total",
    "AI analyst answers by command, provider, model and outcome",
    ["command", "provider", "model", "outcome"],
)
AI_TOKENS = Counter("ai_tokens_total", "AI tokens by provider, model and direction", ["provider", "model", "direction"])
AI_COST = Counter("ai_cost_usd_total", "Estimated AI cost in USD (models with a known price)", ["provider", "model"])
AI_LATENCY = Counter("ai_latency_seconds_total", "Seconds spent waiting for AI answers", ["provider", "model"])
AI_UNPRICED = Counter("ai_unpriced_calls_total", "AI answers from models without a known price", ["provider", "model"])

_INSERT = """
INSERT INTO ai_usage (at, command, platform, account_id, guild_id, provider, model, input_tokens, output_tokens,
                      latency_ms, cached, cost_usd, tool_calls, outcome)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
"""
_TAKE = """
INSERT INTO ai_quota_usage (scope, scope_id, day, used) VALUES ($1, $2, $3, 1)
ON CONFLICT (scope, scope_id, day) DO UPDATE SET used = ai_quota_usage.used + 1
RETURNING used
"""
_GIVE_BACK = "UPDATE ai_quota_usage SET used = used - 1 WHERE scope = $1 AND scope_id = $2 AND day = $3 AND used > 0"


class _Exhausted(Exception):
    def __init__(self, scope: QuotaScope) -> None:
        self.scope = scope


class PgAiUsage:
    """core.analysis.ports.UsageSink and QuotaStore on asyncpg."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def record(self, record: UsageRecord) -> None:
        """Insert one usage row."""
        await self._pool.execute(
            _INSERT,
            record.at,
            record.command,
            record.platform,
            record.account_id,
            record.guild_id,
            record.provider,
            record.model,
            record.input_tokens,
            record.output_tokens,
            round(record.latency_s * 1000),
            record.cached,
            record.cost_usd,
            record.tool_calls,
            record.outcome,
        )

    async def reserve(self, scopes: Sequence[QuotaScope], day: date) -> QuotaScope | None:
        """Count one answer against every scope in one transaction; roll back all and name the first one exhausted."""
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                for scope in scopes:  # always the same order (account, then guild): no deadlocks between requests
                    used = await conn.fetchval(_TAKE, scope.kind, scope.scope_id, day)
                    if used > scope.limit:
                        raise _Exhausted(scope)
        except _Exhausted as exhausted:
            return exhausted.scope
        return None

    async def refund(self, scopes: Sequence[QuotaScope], day: date) -> None:
        """Give one answer back to every scope (never below zero)."""
        async with self._pool.acquire() as conn, conn.transaction():
            for scope in scopes:
                await conn.execute(_GIVE_BACK, scope.kind, scope.scope_id, day)

    async def used(self, scope: QuotaScope, day: date) -> int:
        """Answers a scope has taken on `day`."""
        found = await self._pool.fetchval(
            "SELECT used FROM ai_quota_usage WHERE scope = $1 AND scope_id = $2 AND day = $3",
            scope.kind,
            scope.scope_id,
            day,
        )
        return int(found or 0)


class PrometheusUsage:
    """core.analysis.ports.UsageSink that counts requests, tokens, latency and estimated cost."""

    async def record(self, record: UsageRecord) -> None:
        """Add one record to the counters."""
        AI_REQUESTS.labels(record.command, record.provider, record.model, record.outcome).inc()
        if record.cached:
            return
        AI_TOKENS.labels(record.provider, record.model, "input").inc(record.input_tokens)
        AI_TOKENS.labels(record.provider, record.model, "output").inc(record.output_tokens)
        AI_LATENCY.labels(record.provider, record.model).inc(record.latency_s)
        if record.cost_usd is None:
            AI_UNPRICED.labels(record.provider, record.model).inc()
        else:
            AI_COST.labels(record.provider, record.model).inc(record.cost_usd)
