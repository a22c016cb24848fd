"""What the analyst needs from outside: an answer cache with cross-process single-flight, usage sinks, quotas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from core.chat.model import SourceAge


@dataclass(frozen=True)
class CachedAnswer:
    """An AI answer as cached: the model's text, who wrote it and when, and what its tool calls read."""

    text: str
    provider: str
    model: str
    created_at: datetime
    tool_calls: int = 0
    sources: tuple[SourceAge, ...] = ()


class AnswerCache(Protocol):
    """Answers by cache key (Redis in production); failures of the store read as misses, never raise."""

    async def get(self, key: str) -> CachedAnswer | None:
        """The cached answer, or None."""
        ...

    async def put(self, key: str, answer: CachedAnswer, ttl_s: float) -> None:
        """Store an answer for `ttl_s` seconds."""
        ...

    async def lead(self, key: str, ttl_s: float) -> bool:
        """Claim the right to compute `key` across processes; False when another process holds it."""
        ...

    async def done(self, key: str) -> None:
        """Give up a claim taken with `lead` (after storing the answer, or after failing)."""
        ...

    async def wait(self, key: str, timeout_s: float) -> CachedAnswer | None:
        """Wait for the claim holder's answer; None when it gave up or `timeout_s` passed."""
        ...


Outcome = Literal["answered", "cached", "failed", "timeout", "over_quota", "not_configured"]


@dataclass(frozen=True)
class UsageRecord:
    """One AI request: who asked, which model answered, tokens, latency, cost (None: unknown price), outcome."""

    at: datetime
    command: str
    platform: str
    account_id: int | None
    guild_id: str | None
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cached: bool
    cost_usd: float | None
    tool_calls: int
    outcome: Outcome


class UsageSink(Protocol):
    """Somewhere usage records go (Postgres rows, Prometheus counters)."""

    async def record(self, record: UsageRecord) -> None:
        """Store or count one record."""
        ...


@dataclass(frozen=True)
class QuotaScope:
    """One daily budget of AI answers: an account's or a guild's."""

    kind: Literal["account", "guild"]
    scope_id: str
    limit: int


class QuotaStore(Protocol):
    """Daily counters per scope (Postgres in production), taken atomically across every scope of a request."""

    async def reserve(self, scopes: Sequence[QuotaScope], day: date) -> QuotaScope | None:
        """Count one answer against every scope, or none of them: returns the first exhausted scope, else None."""
        ...

    async def refund(self, scopes: Sequence[QuotaScope], day: date) -> None:
        """Give back one answer to every scope (the provider never answered)."""
        ...
