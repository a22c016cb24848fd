"""The analyst with a scripted ChatProvider: tool loop limits, time budget, failures, cache, single flight, quotas."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from core.analysis.analyst import (
    AnalysisRequest,
    Analyst,
    AnalystSettings,
    Answer,
    ModelPrice,
    NoAnswer,
    estimate_cost,
)
from core.analysis.ports import CachedAnswer, QuotaScope, UsageRecord
from core.analysis.prompt import LIMIT_REACHED, SYSTEM_PROMPT
from core.analysis.provider import (
    AllProvidersFailed,
    Completion,
    ProviderError,
    ProviderErrorKind,
    StopReason,
    ToolCall,
    ToolResult,
    ToolSpec,
    Turn,
    Usage,
)
from core.chat.model import Caller, SourceAge

NOW = datetime(2025, 5, 20, 11, 30, tzinfo=UTC)
CALLER = Caller("discord", "u1", "Tester", guild_id="g1", account_id=7)
Step = Completion | Exception | Callable[[Sequence[Turn]], Completion]


def reply(text: str = "Buy low.", *calls: ToolCall, stop: StopReason = StopReason.END, tokens: int = 100) -> Completion:
    """A scripted completion: text, tool calls, 100 tokens in and out by default."""
    stop = StopReason.TOOL_USE if calls and stop is StopReason.END else stop
    return Completion(text, list(calls), stop, Usage(tokens, tokens), "scripted", "test-model")


def call(name: str = "price", call_id: str = "c1", **arguments: object) -> ToolCall:
    return ToolCall(call_id, name, arguments or {"item": "Tritanium"})


@dataclass
class ScriptedProvider:
    """A ChatProvider test double: answers from a script (the last step repeats), records every request."""

    script: list[Step]
    name: str = "scripted"
    model: str = "test-model"
    delay_s: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        self.requests.append(
            {
                "system": system,
                "turns": list(turns),
                "tools": tuple(tools),
                "max_tokens": max_tokens,
                "timeout": timeout_s,
            }
        )
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        step = self.script[min(len(self.requests) - 1, len(self.script) - 1)]
        if isinstance(step, Exception):
            raise step
        return step(turns) if callable(step) else step


class EchoTools:
    """A ToolRunner double: answers every call with its name, counts the runs, and reads one source per call."""

    specs = (ToolSpec("price", "a price", {"type": "object"}),)

    def __init__(self) -> None:
        self.runs: list[ToolCall] = []

    async def run(self, call: ToolCall, timeout_s: float) -> ToolResult:
        self.runs.append(call)
        return ToolResult(call.id, f'{{"tool": "{call.name}"}}')

    @property
    def sources(self) -> list[SourceAge]:
        return [SourceAge(f"{call.id} orders", NOW, "market_orders", index) for index, call in enumerate(self.runs)]


class MemoryCache:
    """An AnswerCache double in memory (single process: `lead` always succeeds unless `busy`)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[CachedAnswer, float]] = {}
        self.busy: set[str] = set()
        self.released: list[str] = []
        self.hung = False

    async def get(self, key: str) -> CachedAnswer | None:
        found = self.entries.get(key)
        return found[0] if found else None

    async def put(self, key: str, answer: CachedAnswer, ttl_s: float) -> None:
        self.entries[key] = (answer, ttl_s)

    async def lead(self, key: str, ttl_s: float) -> bool:
        return key not in self.busy

    async def done(self, key: str) -> None:
        self.released.append(key)

    async def wait(self, key: str, timeout_s: float) -> CachedAnswer | None:
        if self.hung:  # the other process never answers: we wait the whole time we are given
            await asyncio.sleep(timeout_s)
        return await self.get(key)


class MemoryQuotas:
    """A QuotaStore double: counters per (kind, id, day), all-or-nothing like the Postgres one."""

    def __init__(self) -> None:
        self.used: dict[tuple[str, str, date], int] = {}

    async def reserve(self, scopes: Sequence[QuotaScope], day: date) -> QuotaScope | None:
        for scope in scopes:
            if self.used.get((scope.kind, scope.scope_id, day), 0) >= scope.limit:
                return scope
        for scope in scopes:
            self.used[(scope.kind, scope.scope_id, day)] = self.used.get((scope.kind, scope.scope_id, day), 0) + 1
        return None

    async def refund(self, scopes: Sequence[QuotaScope], day: date) -> None:
        for scope in scopes:
            self.used[(scope.kind, scope.scope_id, day)] -= 1


class Records:
    """A UsageSink double keeping every record."""

    def __init__(self) -> None:
        self.items: list[UsageRecord] = []

    async def record(self, record: UsageRecord) -> None:
        self.items.append(record)


def request(text: str = "trit", caller: Caller = CALLER) -> AnalysisRequest:
    return AnalysisRequest("analyze", text, 60003760, "10000002@2025-05-20T11:25:00+00:00", f"FACTS {text}", caller)


def analyst(provider: ScriptedProvider | None, **settings: object) -> tuple[Analyst, Records]:
    records = Records()
    built = Analyst(provider, AnalystSettings(**settings), usage=[records], clock=lambda: NOW)  # type: ignore[arg-type]
    return built, records


async def test_a_plain_answer_is_labelled_with_its_model_and_recorded_with_tokens_and_cost():
    provider = ScriptedProvider([reply("Trend is up.", tokens=1000)])
    prices = {"test-model": ModelPrice(3.0, 15.0)}
    the_analyst, records = analyst(provider, prices=prices)
    answer = await the_analyst.answer(request(), EchoTools())
    assert answer == Answer("Trend is up.", "scripted", "test-model")
    [sent] = provider.requests
    assert sent["system"] == SYSTEM_PROMPT and sent["max_tokens"] == 900
    assert sent["turns"] == [Turn("user", "FACTS trit")]
    [record] = records.items
    assert (record.provider, record.model, record.input_tokens, record.output_tokens) == (
        "scripted",
        "test-model",
        1000,
        1000,
    )
    assert record.cost_usd == pytest.approx((1000 * 3 + 1000 * 15) / 1e6)
    assert (record.outcome, record.cached, record.account_id, record.guild_id) == ("answered", False, 7, "g1")


async def test_tool_calls_run_and_their_results_go_back_in_a_user_turn():
    provider = ScriptedProvider([reply("", call("price", "a"), call("price", "b")), reply("Done.")])
    tools = EchoTools()
    answer = await analyst(provider)[0].answer(request(), tools)
    assert isinstance(answer, Answer) and answer.text == "Done." and answer.tool_calls == 2
    assert [c.id for c in tools.runs] == ["a", "b"]
    second = provider.requests[1]["turns"]
    assert isinstance(second, list) and len(second) == 3
    assert second[1].role == "assistant" and [c.id for c in second[1].tool_calls] == ["a", "b"]
    assert second[2].role == "user" and [r.call_id for r in second[2].tool_results] == ["a", "b"]


async def test_a_model_demanding_50_tool_calls_gets_at_most_the_limit_and_the_same_tools():
    """An injected "call tool X 50 times" cannot raise the limit: the loop enforces it, whatever the model asks."""
    flood = reply("", *(call("price", f"c{i}") for i in range(50)))
    provider = ScriptedProvider([flood])  # it never stops asking
    tools = EchoTools()
    the_analyst, records = analyst(provider, max_tool_calls=6)
    answer = await the_analyst.answer(request(), tools)
    assert len(tools.runs) == 6
    assert len(provider.requests) <= 8  # max_tool_calls + 2 rounds at most
    assert all(r["tools"] == EchoTools.specs for r in provider.requests)
    assert {r["system"] for r in provider.requests} == {SYSTEM_PROMPT}
    refused = [r for turn in provider.requests[1]["turns"][2:3] for r in turn.tool_results if r.is_error]
    assert len(refused) == 44 and all(r.content == LIMIT_REACHED for r in refused)
    assert isinstance(answer, Answer) and answer.truncated
    assert records.items[-1].tool_calls == 6


async def test_the_time_budget_bounds_a_hanging_provider():
    provider = ScriptedProvider([reply()], delay_s=5)
    the_analyst, records = analyst(provider, budget_s=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    answer = await the_analyst.answer(request(), EchoTools())
    assert loop.time() - started < 1.0
    assert isinstance(answer, NoAnswer) and answer.reason == "timeout"
    assert records.items[-1].outcome == "timeout"


async def test_both_providers_down_is_a_note_and_the_quota_is_given_back():
    down = AllProvidersFailed(
        [ProviderError(ProviderErrorKind.OVERLOADED, "anthropic"), ProviderError(ProviderErrorKind.SERVER, "openai")]
    )
    quotas = MemoryQuotas()
    the_analyst = Analyst(ScriptedProvider([down]), quotas=quotas, clock=lambda: NOW)
    answer = await the_analyst.answer(request(), EchoTools())
    assert isinstance(answer, NoAnswer) and answer.reason == "unavailable"
    assert "unavailable" in answer.message and "Traceback" not in answer.message
    assert set(quotas.used.values()) == {0}


async def test_no_keys_configured_says_not_configured():
    the_analyst, _ = analyst(None)
    assert (await the_analyst.answer(request(), EchoTools())).reason == "not_configured"  # type: ignore[union-attr]
    unset = AllProvidersFailed([ProviderError(ProviderErrorKind.NOT_CONFIGURED, "anthropic")])
    answer = await analyst(ScriptedProvider([unset]))[0].answer(request(), EchoTools())
    assert isinstance(answer, NoAnswer) and answer.reason == "not_configured"


async def test_a_cached_answer_says_how_old_it_is_and_skips_the_provider():
    provider = ScriptedProvider([reply("", call()), reply("Fresh.")])
    cache = MemoryCache()
    clock = [NOW]
    records = Records()
    the_analyst = Analyst(provider, cache=cache, usage=[records], clock=lambda: clock[0])
    first = await the_analyst.answer(request(), EchoTools())
    assert isinstance(first, Answer) and not first.cached
    [(stored, ttl)] = cache.entries.values()
    assert ttl == 3600 and stored.text == "Fresh."
    clock[0] = NOW + timedelta(minutes=12)
    second = await the_analyst.answer(request(), EchoTools())
    assert isinstance(second, Answer) and second.cached and second.age_s == 720 and second.text == "Fresh."
    assert first.sources == second.sources == (SourceAge("c1 orders", NOW, "market_orders", 0),)  # what c1 read
    assert len(provider.requests) == 2  # the tool round and the answer; the cached one asked nothing
    assert [r.outcome for r in records.items] == ["answered", "cached"] and records.items[1].cost_usd == 0
    other_snapshot = AnalysisRequest("analyze", "trit", 60003760, "10000002@later", "FACTS", CALLER)
    assert other_snapshot.cache_key != request().cache_key
    await the_analyst.answer(other_snapshot, EchoTools())
    assert len(provider.requests) == 3


async def test_concurrent_identical_requests_share_one_provider_call():
    provider = ScriptedProvider([reply("Shared.")], delay_s=0.05)
    the_analyst, records = analyst(provider)
    answers = await asyncio.gather(*(the_analyst.answer(request(), EchoTools()) for _ in range(4)))
    assert len(provider.requests) == 1
    assert [a.text for a in answers] == ["Shared."] * 4  # type: ignore[union-attr]
    assert sorted(r.outcome for r in records.items) == ["answered", "cached", "cached", "cached"]


async def test_another_process_computing_the_same_answer_is_waited_for():
    cache = MemoryCache()
    the_analyst = Analyst(ScriptedProvider([reply("Mine.")]), cache=cache, clock=lambda: NOW)
    key = request().cache_key
    cache.busy.add(key)
    cache.entries[key] = (CachedAnswer("Theirs.", "openai", "gpt", NOW), 3600)  # what the other process stored
    # the cache hit comes first; remove it and see the wait path return nothing -> we compute ourselves
    answer = await the_analyst.answer(request(), EchoTools())
    assert isinstance(answer, Answer) and answer.text == "Theirs." and answer.cached
    del cache.entries[key]
    answer = await the_analyst.answer(request(), EchoTools())
    assert isinstance(answer, Answer) and answer.text == "Mine." and key not in cache.released


async def test_waiting_for_a_hung_process_and_computing_share_one_time_budget():
    cache = MemoryCache()
    cache.hung = True
    the_analyst = Analyst(ScriptedProvider([reply()]), AnalystSettings(budget_s=0.2), cache=cache)
    cache.busy.add(request().cache_key)
    started = asyncio.get_running_loop().time()
    answer = await the_analyst.answer(request(), EchoTools())
    assert asyncio.get_running_loop().time() - started < 0.5
    assert isinstance(answer, NoAnswer) and answer.reason == "timeout"


async def test_daily_quotas_per_account_and_guild_with_the_reset_time():
    quotas = MemoryQuotas()
    provider = ScriptedProvider([reply()])
    settings = AnalystSettings(account_daily_quota=1, guild_daily_quota=2)
    the_analyst = Analyst(provider, settings, quotas=quotas, clock=lambda: NOW)
    assert isinstance(await the_analyst.answer(request("a"), EchoTools()), Answer)
    over = await the_analyst.answer(request("b"), EchoTools())
    assert isinstance(over, NoAnswer) and over.reason == "over_quota"
    assert over.message == "You have used all 1 AI analyses for today; the quota resets at 00:00 UTC (in 12 h 30 min)."
    friend = Caller("discord", "u2", "Friend", guild_id="g1", account_id=8)
    assert isinstance(await the_analyst.answer(request("c", friend), EchoTools()), Answer)
    third = Caller("discord", "u3", "Third", guild_id="g1", account_id=9)
    blocked = await the_analyst.answer(request("d", third), EchoTools())
    assert isinstance(blocked, NoAnswer) and blocked.message.startswith("This server has used all 2")
    assert len(provider.requests) == 2
    dm = Caller("telegram", "55", "Dm")  # no account, no guild: the identity's own quota
    assert [s.scope_id for s in the_analyst.scopes(dm)] == ["telegram:55"]


async def test_hitting_max_tokens_marks_the_answer_truncated_and_a_failing_sink_is_harmless():
    class Broken:
        async def record(self, record: UsageRecord) -> None:
            raise RuntimeError("database down")

    the_analyst = Analyst(ScriptedProvider([reply("Half", stop=StopReason.MAX_TOKENS)]), usage=[Broken()])
    answer = await the_analyst.answer(request(), EchoTools())
    assert isinstance(answer, Answer) and answer.truncated and answer.text == "Half"


def test_cost_estimates_match_families_and_leave_unknown_models_unknown():
    prices = {"claude-sonnet-4": ModelPrice(3, 15), "gpt-4o": ModelPrice(2.5, 10), "gpt-4o-mini": ModelPrice(0.15, 0.6)}
    assert estimate_cost("claude-sonnet-4-5-20250929", 1_000_000, 0, prices) == 3.0
    assert estimate_cost("gpt-4o-mini", 0, 1_000_000, prices) == pytest.approx(0.6)
    assert estimate_cost("gpt-4o-2024-08-06", 1_000_000, 1_000_000, prices) == 12.5
    assert estimate_cost("gpt-4o-audio-preview", 10, 10, prices) is None
    assert estimate_cost("mystery-model", 10, 10, prices) is None
