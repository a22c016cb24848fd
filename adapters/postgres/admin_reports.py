"""The admin's AI reports from ai_usage: usage per day/provider/model, top accounts, and provider health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import asyncpg

FAILURE_OUTCOMES = ("failed", "timeout")
TOP_ACCOUNTS = 10
HEALTHY_PERCENT = 90
LAST_SEEN_WINDOW = timedelta(days=7)

# Latency percentiles only over rows that really called a provider (cached and refused rows take 0 ms).
_USAGE_LINES = """
SELECT (at AT TIME ZONE 'UTC')::date AS day, provider, model,
       count(*) AS requests,
       count(*) FILTER (WHERE outcome IN ('answered', 'cached')) AS answers,
       count(*) FILTER (WHERE outcome = 'cached') AS cached,
       coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
       coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
       sum(cost_usd) AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL) AS unknown_cost,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)
           FILTER (WHERE outcome IN ('answered', 'failed', 'timeout')) AS p50_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)
           FILTER (WHERE outcome IN ('answered', 'failed', 'timeout')) AS p95_ms,
       count(*) FILTER (WHERE outcome IN ('failed', 'timeout')) AS failures
FROM ai_usage
WHERE at >= $1 AND at < $2
GROUP BY 1, 2, 3
ORDER BY day DESC, provider, model
"""
_TOP_ACCOUNTS = """
SELECT u.account_id,
       (SELECT nullif(i.display_name, '') FROM account_identities i
        WHERE i.account_id = u.account_id ORDER BY i.last_seen_at DESC LIMIT 1) AS display_name,
       count(*) FILTER (WHERE u.outcome IN ('answered', 'cached')) AS answers,
       sum(u.cost_usd) AS cost_usd,
       count(*) FILTER (WHERE u.cost_usd IS NULL) AS unknown_cost,
       max(u.at) AS last_at
FROM ai_usage u
WHERE u.at >= $1 AND u.at < $2 AND u.account_id IS NOT NULL
GROUP BY u.account_id
HAVING count(*) FILTER (WHERE u.outcome IN ('answered', 'cached')) > 0
ORDER BY answers DESC, u.account_id
LIMIT $3
"""
# Provider calls only: cached answers and refusals (over quota, not configured) never reached a provider.
_HEALTH_WINDOWS = """
SELECT u.provider, w.name AS window_name,
       count(*) AS calls,
       count(*) FILTER (WHERE u.outcome = 'answered') AS successes,
       count(*) FILTER (WHERE u.outcome = 'failed') AS failed,
       count(*) FILTER (WHERE u.outcome = 'timeout') AS timeout,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY u.latency_ms) AS p50_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY u.latency_ms) AS p95_ms
FROM ai_usage u
JOIN (VALUES ('hour', interval '1 hour'), ('day', interval '1 day')) AS w (name, span)
  ON u.at > $1::timestamptz - w.span
WHERE u.at <= $1 AND u.outcome IN ('answered', 'failed', 'timeout')
GROUP BY u.provider, w.name
"""
_HEALTH_LAST = """
SELECT provider,
       max(at) FILTER (WHERE outcome = 'answered') AS last_success_at,
       max(at) FILTER (WHERE outcome IN ('failed', 'timeout')) AS last_failure_at
FROM ai_usage
WHERE at > $1::timestamptz - $2::interval AND at <= $1 AND outcome IN ('answered', 'failed', 'timeout')
GROUP BY provider
ORDER BY provider
"""


@dataclass(frozen=True)
class UsageLine:
    """One UTC day of one provider/model: answers, cache hits, tokens, cost (None: all unknown), latency, failures."""

    day: date
    provider: str
    model: str
    requests: int
    answers: int
    cached: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal | None
    unknown_cost: int
    p50_ms: float | None
    p95_ms: float | None
    failures: int

    @property
    def cached_share(self) -> float | None:
        """The share of answers served from the cache (None without answers)."""
        return self.cached / self.answers if self.answers else None


@dataclass(frozen=True)
class AccountUsage:
    """One account's answers in the report's window."""

    account_id: int
    display_name: str | None
    answers: int
    cost_usd: Decimal | None
    unknown_cost: int
    last_at: datetime


@dataclass(frozen=True)
class UsageReport:
    """AI usage over the last `days` UTC days (today included): lines per day/provider/model and top accounts."""

    days: int
    since: datetime
    until: datetime
    lines: list[UsageLine]
    top_accounts: list[AccountUsage]


@dataclass(frozen=True)
class WindowHealth:
    """A provider's calls over one window (last hour or day)."""

    calls: int = 0
    successes: int = 0
    failures: tuple[tuple[str, int], ...] = tuple((outcome, 0) for outcome in FAILURE_OUTCOMES)
    p50_ms: float | None = None
    p95_ms: float | None = None

    @property
    def success_rate(self) -> float | None:
        """Successful calls / calls (None without calls)."""
        return self.successes / self.calls if self.calls else None


@dataclass(frozen=True)
class ProviderHealth:
    """A provider's health word, its last hour and day, and its last success and failure (within 7 days)."""

    provider: str
    status: str
    hour: WindowHealth
    day: WindowHealth
    last_success_at: datetime | None
    last_failure_at: datetime | None


def health_status(hour: WindowHealth) -> str:
    """idle (no calls), down (calls but no success), degraded (success < 90 %) or healthy: over the last hour."""
    if hour.calls == 0:
        return "idle"
    if hour.successes == 0:
        return "down"
    return "degraded" if hour.successes * 100 < HEALTHY_PERCENT * hour.calls else "healthy"


def usage_window(days: int, now: datetime) -> tuple[datetime, datetime]:
    """[start of the UTC day `days - 1` days before now, start of tomorrow)."""
    today = datetime.combine(now.astimezone(UTC).date(), time(), UTC)
    return today - timedelta(days=days - 1), today + timedelta(days=1)


class PgAdminReports:
    """Read-only reports over ai_usage (written by every bot process, so they are cross-process by construction)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def usage(self, days: int, now: datetime) -> UsageReport:
        """Usage over the last `days` UTC days up to `now`'s day."""
        since, until = usage_window(days, now)
        lines = await self._pool.fetch(_USAGE_LINES, since, until)
        accounts = await self._pool.fetch(_TOP_ACCOUNTS, since, until, TOP_ACCOUNTS)
        return UsageReport(
            days,
            since,
            until,
            [UsageLine(**dict(row)) for row in lines],
            [AccountUsage(**dict(row)) for row in accounts],
        )

    async def providers(self, now: datetime) -> list[ProviderHealth]:
        """Every provider called in the last 7 days, with its hour and day windows and its status word."""
        windows: dict[tuple[str, str], WindowHealth] = {}
        for row in await self._pool.fetch(_HEALTH_WINDOWS, now):
            failures = tuple((outcome, int(row[outcome])) for outcome in FAILURE_OUTCOMES)
            windows[(row["provider"], row["window_name"])] = WindowHealth(
                row["calls"], row["successes"], failures, row["p50_ms"], row["p95_ms"]
            )
        report = []
        for row in await self._pool.fetch(_HEALTH_LAST, now, LAST_SEEN_WINDOW):
            provider = row["provider"]
            hour = windows.get((provider, "hour"), WindowHealth())
            day = windows.get((provider, "day"), WindowHealth())
            report.append(
                ProviderHealth(provider, health_status(hour), hour, day, row["last_success_at"], row["last_failure_at"])
            )
        return report
