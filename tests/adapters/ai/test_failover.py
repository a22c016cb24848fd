"""FailoverChain over the real providers and fakes: quota, overload, timeouts, refused connections, breakers."""

from __future__ import annotations

import logging
import time
import traceback

import pytest

from adapters.ai import AnthropicProvider, OpenAIProvider
from core.analysis.breaker import BreakerState, CircuitBreaker
from core.analysis.chain import FailoverChain
from core.analysis.provider import AllProvidersFailed, ProviderErrorKind, StopReason, ToolResult, Turn
from fakes.ai import AnthropicFake, OpenAIFake
from tests.adapters.ai.conftest import ANTHROPIC_KEY, OPENAI_KEY, PRICE_TOOL

pytestmark = pytest.mark.e2e
ASK = [Turn("user", "Is PLEX cheap in Jita today?")]


def state_of(breaker: CircuitBreaker) -> BreakerState:
    """The breaker's state, read through a call (mypy would keep an earlier `is` narrowing of the property)."""
    return breaker.state


class ManualClock:
    """A clock the test moves by hand (for breaker cool-downs)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def chain_of(claude: AnthropicProvider, gpt: OpenAIProvider, **options: object) -> FailoverChain:
    return FailoverChain([claude, gpt], **options)  # type: ignore[arg-type]


async def test_spend_limit_fails_over_at_once_with_no_retry(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    anthropic_fake.reply_error("spend_limit")
    openai_fake.reply_text("GPT: PLEX is 3% under its 30-day mean.")
    completion = await chain_of(claude, gpt).complete("sys", ASK, [], max_tokens=200, timeout_s=5)
    assert completion.provider == "openai" and completion.text.startswith("GPT:")
    assert completion.attempts == ("anthropic", "openai")
    assert len(anthropic_fake.requests) == 1 and len(openai_fake.requests) == 1


async def test_insufficient_quota_on_openai_is_not_retried_either(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    chain = FailoverChain([gpt, claude])
    openai_fake.reply_error("insufficient_quota")
    completion = await chain.complete("sys", ASK, [], max_tokens=200, timeout_s=5)
    assert completion.provider == "anthropic" and completion.attempts == ("openai", "anthropic")
    assert len(openai_fake.requests) == 1
    assert chain.breakers["openai"].state is BreakerState.OPEN  # a spend limit will not clear in a cool-down


async def test_overloaded_claude_fails_over_to_gpt(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    anthropic_fake.reply_error("overloaded", should_retry=True)
    completion = await chain_of(claude, gpt).complete("sys", ASK, [], max_tokens=200, timeout_s=5)
    assert completion.provider == "openai" and completion.model == "gpt-5.4-mini"
    assert len(anthropic_fake.requests) == 1


async def test_a_hanging_claude_fails_over_within_the_total_budget(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    anthropic_fake.reply_text("too late", delay_s=10.0)
    started = time.monotonic()
    completion = await chain_of(claude, gpt).complete("sys", ASK, [], max_tokens=200, timeout_s=4.0)
    elapsed = time.monotonic() - started
    assert completion.provider == "openai" and completion.attempts == ("anthropic", "openai")
    assert 2.0 <= elapsed < 4.0  # Claude got its share (60%) of the budget, GPT answered in what was left


async def test_refused_connection_fails_over(gpt: OpenAIProvider, openai_fake: OpenAIFake, refused_url: str):
    down = AnthropicProvider(api_key=ANTHROPIC_KEY, model="claude-sonnet-5-5", base_url=refused_url)
    try:
        completion = await FailoverChain([down, gpt]).complete("sys", ASK, [], max_tokens=50, timeout_s=3)
    finally:
        await down.close()
    assert completion.provider == "openai" and completion.attempts == ("anthropic", "openai")


async def test_a_tool_loop_started_on_claude_continues_on_gpt(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    chain = chain_of(claude, gpt)
    anthropic_fake.reply_tool_use("get_price", {"item": "PLEX", "hub": "Jita"})
    first = await chain.complete("sys", ASK, [PRICE_TOOL], max_tokens=200, timeout_s=5)
    assert first.provider == "anthropic" and first.stop is StopReason.TOOL_USE
    [call] = first.tool_calls

    anthropic_fake.reply_error("overloaded")
    turns = [
        *ASK,
        Turn("assistant", first.text, first.tool_calls),
        Turn("user", tool_results=[ToolResult(call.id, '{"sell": 4.9e6}')]),
    ]
    second = await chain.complete("sys", turns, [PRICE_TOOL], max_tokens=200, timeout_s=5)
    assert second.provider == "openai" and second.stop is StopReason.END

    messages = openai_fake.requests[-1].body["messages"]  # the fake refuses tool messages without a matching call
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    assert messages[2]["tool_calls"][0]["id"] == call.id and messages[3]["tool_call_id"] == call.id


async def test_an_open_breaker_skips_claude_until_the_cool_down_passes(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    clock = ManualClock()
    chain = chain_of(claude, gpt, failure_threshold=2, cooldown_s=30.0, clock=clock)
    for _ in range(2):
        anthropic_fake.reply_error("overloaded")
        assert (await chain.complete("sys", ASK, [], max_tokens=50, timeout_s=5)).provider == "openai"
    assert chain.breakers["anthropic"].state == BreakerState.OPEN

    skipped = await chain.complete("sys", ASK, [], max_tokens=50, timeout_s=5)
    assert skipped.provider == "openai" and skipped.attempts == ("openai",)
    assert len(anthropic_fake.requests) == 2  # Claude was not called while open

    clock.now += 31.0
    recovered = await chain.complete("sys", ASK, [], max_tokens=50, timeout_s=5)
    assert recovered.provider == "anthropic" and recovered.attempts == ("anthropic",)
    assert state_of(chain.breakers["anthropic"]) is BreakerState.CLOSED and len(anthropic_fake.requests) == 3


async def test_both_down_raises_all_providers_failed_with_each_error(
    claude: AnthropicProvider, gpt: OpenAIProvider, anthropic_fake: AnthropicFake, openai_fake: OpenAIFake
):
    anthropic_fake.reply_error("api_error")
    openai_fake.reply_error("unavailable")
    with pytest.raises(AllProvidersFailed) as caught:
        await chain_of(claude, gpt).complete("sys", ASK, [], max_tokens=50, timeout_s=5)
    assert [(e.provider, e.kind) for e in caught.value.errors] == [
        ("anthropic", ProviderErrorKind.SERVER),
        ("openai", ProviderErrorKind.SERVER),
    ]


async def test_no_api_key_in_any_log_record_or_error(
    caplog: pytest.LogCaptureFixture,
    claude: AnthropicProvider,
    gpt: OpenAIProvider,
    anthropic_fake: AnthropicFake,
    openai_fake: OpenAIFake,
):
    caplog.set_level(logging.DEBUG)
    wrong = OpenAIProvider(
        api_key=OPENAI_KEY + "-revoked", model="gpt-5.4-mini", base_url=openai_fake.url + "/v1", name="openai-backup"
    )
    errors: list[BaseException] = []
    try:
        for anthropic_error in ("authentication", "spend_limit", "overloaded", "rate_limit", "api_error"):
            anthropic_fake.reply_error(anthropic_error)
            openai_fake.reply_error("insufficient_quota")
            with pytest.raises(AllProvidersFailed) as caught:
                await FailoverChain([claude, gpt, wrong]).complete("sys", ASK, [PRICE_TOOL], max_tokens=50, timeout_s=5)
            errors.append(caught.value)
        await chain_of(claude, gpt).complete("sys", ASK, [PRICE_TOOL], max_tokens=50, timeout_s=5)
    finally:
        await wrong.close()
    assert len(anthropic_fake.requests) == 6 and len(openai_fake.requests) == 10
    assert any(record.name.startswith(("anthropic", "openai", "adapters.ai")) for record in caplog.records)
    seen = [record.getMessage() + repr(record.__dict__) for record in caplog.records]
    seen += ["".join(traceback.format_exception(error)) + repr(error) for error in errors]
    for key in (ANTHROPIC_KEY, OPENAI_KEY, "SECRETanthropicKEY", "SECRETopenaiKEY"):
        assert not [text for text in seen if key in text]
