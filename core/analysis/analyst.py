"""The analyst: cached, single-flight, quota-checked, bounded tool loop over a ChatProvider, with usage records."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from core.analysis.ports import AnswerCache, CachedAnswer, Outcome, QuotaScope, QuotaStore, UsageRecord, UsageSink
from core.analysis.prompt import LIMIT_REACHED, PROMPT_VERSION, SYSTEM_PROMPT
from core.analysis.provider import (
    ChatProvider,
    Completion,
    ProviderError,
    ProviderErrorKind,
    StopReason,
    ToolCall,
    ToolResult,
    ToolSpec,
    Turn,
)
from core.chat.model import Caller, SourceAge

logger = logging.getLogger(__name__)
_DATE_SUFFIX = re.compile(r"[\d-]+|latest")


@dataclass(frozen=True)
class ModelPrice:
    """A model's list price in USD per million input and output tokens."""

    input_per_mtok: float
    output_per_mtok: float


# Estimates from the providers' public price lists; override them in settings when they change.
DEFAULT_PRICES: Mapping[str, ModelPrice] = {
    "claude-opus-4": ModelPrice(15.0, 75.0),
    "claude-opus-4-5": ModelPrice(5.0, 25.0),
    "claude-sonnet-4": ModelPrice(3.0, 15.0),
    "claude-haiku-4-5": ModelPrice(1.0, 5.0),
    "claude-3-5-haiku": ModelPrice(0.8, 4.0),
    "gpt-4o": ModelPrice(2.5, 10.0),
    "gpt-4o-mini": ModelPrice(0.15, 0.6),
    "gpt-4.1": ModelPrice(2.0, 8.0),
    "gpt-4.1-mini": ModelPrice(0.4, 1.6),
}


def estimate_cost(model: str, input_tokens: int, output_tokens: int, prices: Mapping[str, ModelPrice]) -> float | None:
    """USD cost of a call; None (unknown, not zero) for a model without a price (dated names match their family)."""
    candidates = [
        name
        for name in prices
        if model == name or (model.startswith(name + "-") and _DATE_SUFFIX.fullmatch(model[len(name) + 1 :]))
    ]
    if not candidates:
        return None
    price = prices[max(candidates, key=len)]
    return (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1e6


@dataclass(frozen=True)
class AnalystSettings:
    """Limits of the analyst (all configurable): tools, time, tokens, cache, input size, daily quotas, prices."""

    max_tool_calls: int = 6
    budget_s: float = 25.0
    max_tokens: int = 900
    cache_ttl_s: float = 3600.0
    max_question_chars: int = 1000
    account_daily_quota: int | None = 30
    guild_daily_quota: int | None = 300
    prices: Mapping[str, ModelPrice] = field(default_factory=lambda: dict(DEFAULT_PRICES))


@dataclass(frozen=True)
class AnalysisRequest:
    """One question for the analyst: its cache identity and its first user turn."""

    command: str
    normalized_input: str
    location_id: int
    snapshot_version: str
    prompt: str
    caller: Caller
    settings_key: str = ""  # e.g. the caller's fee skills: answers differ with them

    @property
    def cache_key(self) -> str:
        """Command, normalized input, location and snapshot version (and prompt version), hashed."""
        parts = (PROMPT_VERSION, self.command, self.normalized_input, str(self.location_id), self.snapshot_version)
        return hashlib.sha256("|".join((*parts, self.settings_key)).encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Answer:
    """The model's analysis and where it came from; `cached` answers carry their age; `sources` what its tool calls
    read, with their ages (for the reply's footer)."""

    text: str
    provider: str
    model: str
    cached: bool = False
    age_s: float = 0.0
    tool_calls: int = 0
    truncated: bool = False
    sources: tuple[SourceAge, ...] = ()


NoAnswerReason = Literal["not_configured", "disabled", "unavailable", "timeout", "over_quota"]


@dataclass(frozen=True)
class NoAnswer:
    """Why there is no AI text this time (the facts are still shown)."""

    reason: NoAnswerReason
    message: str


class ToolRunner(Protocol):
    """The tools of one request (core.usecases.analysis_tools.MarketTools)."""

    @property
    def specs(self) -> Sequence[ToolSpec]:
        """The fixed set of tools offered to the model."""
        ...

    async def run(self, call: ToolCall, timeout_s: float) -> ToolResult:
        """Run one call; never raises."""
        ...

    @property
    def sources(self) -> Sequence[SourceAge]:
        """What the calls run so far read, each source once with its age."""
        ...


@dataclass
class _Progress:
    """What a tool loop has consumed so far (kept when it fails half-way)."""

    provider: str = "chain"
    model: str = "-"
    input_tokens: int = 0
    output_tokens: int = 0
    tool_calls: int = 0
    refused_calls: int = 0
    provider_calls: int = 0

    def add(self, completion: Completion) -> None:
        self.provider, self.model = completion.provider, completion.model
        self.input_tokens += completion.usage.input_tokens
        self.output_tokens += completion.usage.output_tokens
        self.provider_calls += 1


class Analyst:
    """Answers analysis requests; never raises for provider, cache, quota or tool trouble (returns NoAnswer)."""

    def __init__(
        self,
        provider: ChatProvider | None,
        settings: AnalystSettings | None = None,
        *,
        cache: AnswerCache | None = None,
        quotas: QuotaStore | None = None,
        usage: Sequence[UsageSink] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider = provider
        self.settings = settings or AnalystSettings()
        self._cache, self._quotas, self._usage = cache, quotas, tuple(usage)
        self._clock, self._monotonic = clock, monotonic
        self._inflight: dict[str, asyncio.Future[Answer | None]] = {}

    async def answer(self, request: AnalysisRequest, tools: ToolRunner) -> Answer | NoAnswer:
        """The cached answer, another request's identical in-flight answer, or a fresh one within the limits."""
        if self.provider is None:
            return NoAnswer("not_configured", "AI analysis is not enabled")
        key, deadline = request.cache_key, self._monotonic() + self.settings.budget_s
        cached = await self._cache.get(key) if self._cache else None
        if cached is not None:
            return await self._served(request, cached)
        shared = self._inflight.get(key)
        if shared is not None:  # an identical request in this process is asking the provider: share its answer
            answer = await asyncio.shield(shared)
            if answer is not None:
                return await self._served(request, _as_cached(answer, self._clock()))
        future: asyncio.Future[Answer | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        result: Answer | NoAnswer | None = None
        try:
            result = await self._lead(request, tools, key, deadline)
            return result
        finally:
            self._inflight.pop(key, None)
            future.set_result(result if isinstance(result, Answer) and not result.cached else None)

    async def _lead(self, request: AnalysisRequest, tools: ToolRunner, key: str, deadline: float) -> Answer | NoAnswer:
        """Across processes: one computes, the others wait for its cached answer (or compute when it gives up)."""
        led = self._cache is None or await self._cache.lead(key, self.settings.budget_s + 5)
        if not led and self._cache is not None:
            waited = await self._cache.wait(key, max(0.0, deadline - self._monotonic()))
            if waited is not None:
                return await self._served(request, waited)
        try:
            return await self._fresh(request, tools, key, deadline)
        finally:
            if led and self._cache is not None:
                await self._cache.done(key)

    async def _fresh(self, request: AnalysisRequest, tools: ToolRunner, key: str, deadline: float) -> Answer | NoAnswer:
        """Take quota, run the tool loop, record usage, cache the answer."""
        scopes = self.scopes(request.caller)
        if self._quotas is not None and scopes:
            try:
                over = await self._quotas.reserve(scopes, self._clock().date())
            except Exception:
                logger.exception("AI quota store failed")
                return NoAnswer("unavailable", "AI analysis is unavailable right now (quota check failed)")
            if over is not None:
                await self._record(request, _Progress(), 0.0, "over_quota")
                return NoAnswer("over_quota", self.quota_message(over))
        progress, started = _Progress(), self._monotonic()
        try:
            text, truncated = await self._loop(request, tools, progress, deadline)
        except (ProviderError, TimeoutError) as exc:
            errors = getattr(exc, "errors", None) or [exc]
            kinds = {getattr(error, "kind", ProviderErrorKind.TIMEOUT) for error in errors}
            timed_out, unset = kinds == {ProviderErrorKind.TIMEOUT}, kinds == {ProviderErrorKind.NOT_CONFIGURED}
            outcome: Outcome = "not_configured" if unset else "timeout" if timed_out else "failed"
            await self._record(request, progress, self._monotonic() - started, outcome)
            if progress.provider_calls == 0 and self._quotas is not None and scopes:
                await self._refund(scopes)
            logger.warning("AI analysis failed (%s): %s", outcome, exc)
            if unset:
                return NoAnswer("not_configured", "AI analysis is not enabled")
            why = "did not answer within the time limit" if timed_out else "are unavailable right now"
            return NoAnswer("timeout" if timed_out else "unavailable", f"AI providers {why}")
        latency = self._monotonic() - started
        await self._record(request, progress, latency, "answered")
        answer = Answer(
            text,
            progress.provider,
            progress.model,
            tool_calls=progress.tool_calls,
            truncated=truncated,
            sources=tuple(tools.sources),
        )
        if self._cache is not None:
            await self._cache.put(key, _as_cached(answer, self._clock()), self.settings.cache_ttl_s)
        return answer

    async def _loop(
        self, request: AnalysisRequest, tools: ToolRunner, progress: _Progress, deadline: float
    ) -> tuple[str, bool]:
        """The bounded tool loop: at most max_tool_calls executed calls, until `deadline`, whatever the model asks."""
        limits, provider = self.settings, self.provider
        assert provider is not None
        turns: list[Turn] = [Turn("user", request.prompt)]
        specs = tuple(tools.specs)
        last_text = ""
        async with asyncio.timeout(max(0.0, deadline - self._monotonic())):
            for _ in range(limits.max_tool_calls + 2):
                remaining = deadline - self._monotonic()
                if remaining <= 0:
                    raise TimeoutError
                completion = await provider.complete(
                    SYSTEM_PROMPT, list(turns), specs, max_tokens=limits.max_tokens, timeout_s=remaining
                )
                progress.add(completion)
                last_text = completion.text.strip() or last_text
                if not completion.tool_calls:
                    return last_text, completion.stop is StopReason.MAX_TOKENS
                results = []
                for call in completion.tool_calls:
                    if progress.tool_calls >= limits.max_tool_calls:
                        progress.refused_calls += 1
                        results.append(ToolResult(call.id, LIMIT_REACHED, is_error=True))
                        continue
                    progress.tool_calls += 1
                    results.append(await tools.run(call, max(0.0, deadline - self._monotonic())))
                note = LIMIT_REACHED if progress.tool_calls >= limits.max_tool_calls else ""
                turns.append(Turn("assistant", completion.text, tool_calls=tuple(completion.tool_calls)))
                turns.append(Turn("user", note, tool_results=tuple(results)))
        return last_text or "The model did not finish its answer within the tool limits.", True

    def scopes(self, caller: Caller) -> list[QuotaScope]:
        """The daily quotas that apply to a caller: their account's (or identity's) and their guild's."""
        found = []
        if self.settings.account_daily_quota is not None:
            who = str(caller.account_id) if caller.account_id is not None else f"{caller.platform}:{caller.user_id}"
            found.append(QuotaScope("account", who, self.settings.account_daily_quota))
        if self.settings.guild_daily_quota is not None and caller.guild_id:
            found.append(QuotaScope("guild", f"{caller.platform}:{caller.guild_id}", self.settings.guild_daily_quota))
        return found

    def quota_message(self, scope: QuotaScope) -> str:
        """The over-quota note: whose quota, how big, and when it resets (UTC midnight)."""
        now = self._clock()
        reset = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        hours, minutes = divmod(max(1, int((reset - now).total_seconds() // 60)), 60)
        who = "You have" if scope.kind == "account" else "This server has"
        return (
            f"{who} used all {scope.limit} AI analyses for today; the quota resets at 00:00 UTC "
            f"(in {hours} h {minutes} min)."
        )

    async def _served(self, request: AnalysisRequest, cached: CachedAnswer) -> Answer:
        await self._record(request, _Progress(cached.provider, cached.model), 0.0, "cached")
        age = max(0.0, (self._clock() - cached.created_at).total_seconds())
        return Answer(cached.text, cached.provider, cached.model, True, age, cached.tool_calls, sources=cached.sources)

    async def _refund(self, scopes: list[QuotaScope]) -> None:
        try:
            assert self._quotas is not None
            await self._quotas.refund(scopes, self._clock().date())
        except Exception:
            logger.exception("AI quota refund failed")

    async def _record(self, request: AnalysisRequest, progress: _Progress, latency_s: float, outcome: Outcome) -> None:
        """Give one usage record to every sink; a failing sink is logged, never shown to the user."""
        cached = outcome == "cached"
        cost = (
            0.0
            if cached
            else estimate_cost(progress.model, progress.input_tokens, progress.output_tokens, self.settings.prices)
        )
        if outcome in ("over_quota", "not_configured") or (not progress.provider_calls and not cached):
            cost = 0.0
        caller = request.caller
        record = UsageRecord(
            self._clock(),
            request.command,
            caller.platform,
            caller.account_id,
            caller.guild_id,
            progress.provider,
            progress.model,
            progress.input_tokens,
            progress.output_tokens,
            latency_s,
            cached,
            cost,
            progress.tool_calls,
            outcome,
        )
        for sink in self._usage:
            try:
                await sink.record(record)
            except Exception:
                logger.exception("AI usage sink %s failed", type(sink).__name__)


def _as_cached(answer: Answer, now: datetime) -> CachedAnswer:
    return CachedAnswer(answer.text, answer.provider, answer.model, now, answer.tool_calls, answer.sources)
