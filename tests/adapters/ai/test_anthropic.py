"""AnthropicProvider (real anthropic SDK) against the local Messages API fake."""

from __future__ import annotations

import time

import pytest

from adapters.ai import AnthropicProvider
from core.analysis.provider import ProviderError, ProviderErrorKind, StopReason, ToolResult, Turn
from fakes.ai import AnthropicFake
from tests.adapters.ai.conftest import ANTHROPIC_KEY, PRICE_TOOL

pytestmark = pytest.mark.e2e


async def test_tool_use_round_trip_echoes_the_call_and_its_result(
    claude: AnthropicProvider, anthropic_fake: AnthropicFake
):
    anthropic_fake.reply_tool_use("get_price", {"item": "PLEX", "hub": "Jita"}, text="Checking Jita.")
    first = await claude.complete(
        "You are a trader.", [Turn("user", "Price of PLEX?")], [PRICE_TOOL], max_tokens=300, timeout_s=5
    )
    assert first.stop is StopReason.TOOL_USE and first.text == "Checking Jita."
    [call] = first.tool_calls
    assert (call.name, dict(call.arguments)) == ("get_price", {"item": "PLEX", "hub": "Jita"})
    assert first.provider == "anthropic" and first.model == "claude-sonnet-5-5"
    assert first.usage.input_tokens > 0 and first.usage.output_tokens > 0 and first.latency_s > 0

    turns = [
        Turn("user", "Price of PLEX?"),
        Turn("assistant", first.text, first.tool_calls),
        Turn("user", tool_results=[ToolResult(call.id, '{"sell": 5000000}')]),
    ]
    second = await claude.complete("You are a trader.", turns, [PRICE_TOOL], max_tokens=300, timeout_s=5)
    assert second.stop is StopReason.END and second.text

    sent = anthropic_fake.requests[-1].body
    assert sent["system"] == "You are a trader."
    assert sent["tools"] == [
        {"name": "get_price", "description": PRICE_TOOL.description, "input_schema": dict(PRICE_TOOL.parameters)}
    ]
    user, assistant, results = sent["messages"]
    assert user == {"role": "user", "content": [{"type": "text", "text": "Price of PLEX?"}]}
    assert assistant["role"] == "assistant"
    assert assistant["content"][1] == {
        "type": "tool_use",
        "id": call.id,
        "name": "get_price",
        "input": {"item": "PLEX", "hub": "Jita"},
    }
    assert results == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": call.id, "content": '{"sell": 5000000}', "is_error": False}],
    }
    headers = anthropic_fake.requests[-1].headers
    assert headers["anthropic-version"]
    assert ANTHROPIC_KEY in (headers.get("x-api-key"), headers.get("authorization", "").removeprefix("Bearer "))


async def test_failed_tool_result_is_flagged_and_user_text_follows_results(
    claude: AnthropicProvider, anthropic_fake: AnthropicFake
):
    call_id = anthropic_fake.reply_tool_use("get_price", {"item": "Tritanium"})
    first = await claude.complete("", [Turn("user", "Trit?")], [PRICE_TOOL], max_tokens=100, timeout_s=5)
    turns = [
        Turn("user", "Trit?"),
        Turn("assistant", "", first.tool_calls),
        Turn("user", "and Amarr too", tool_results=[ToolResult(call_id, "unknown hub", is_error=True)]),
    ]
    await claude.complete("", turns, [PRICE_TOOL], max_tokens=100, timeout_s=5)
    sent = anthropic_fake.requests[-1].body
    assert "system" not in sent
    assert sent["messages"][1]["content"] == [
        {"type": "tool_use", "id": call_id, "name": "get_price", "input": {"item": "Tritanium"}}
    ]
    assert sent["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": call_id, "content": "unknown hub", "is_error": True},
        {"type": "text", "text": "and Amarr too"},
    ]


@pytest.mark.parametrize(
    ("stop_reason", "expected"),
    [("end_turn", StopReason.END), ("max_tokens", StopReason.MAX_TOKENS), ("stop_sequence", StopReason.END)],
)
async def test_stop_reasons_map(
    claude: AnthropicProvider, anthropic_fake: AnthropicFake, stop_reason: str, expected: StopReason
):
    anthropic_fake.reply_text("Partial answer", stop_reason=stop_reason)
    completion = await claude.complete("", [Turn("user", "hi")], [], max_tokens=5, timeout_s=5)
    assert completion.stop is expected and completion.text == "Partial answer"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("overloaded", ProviderErrorKind.OVERLOADED),
        ("rate_limit", ProviderErrorKind.RATE_LIMITED),
        ("spend_limit", ProviderErrorKind.QUOTA),
        ("api_error", ProviderErrorKind.SERVER),
        ("authentication", ProviderErrorKind.AUTH),
        ("invalid_request", ProviderErrorKind.BAD_REQUEST),
    ],
)
async def test_each_error_maps_to_its_kind_without_retry(
    claude: AnthropicProvider, anthropic_fake: AnthropicFake, error: str, kind: ProviderErrorKind
):
    anthropic_fake.reply_error(error, retry_after=0)
    with pytest.raises(ProviderError) as caught:
        await claude.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=5)
    assert caught.value.kind is kind and caught.value.provider == "anthropic"
    assert len(anthropic_fake.requests) == 1  # max_retries=0: the chain, not the SDK, decides what happens next


async def test_spend_limit_is_quota_by_error_code_and_a_huge_retry_after_is_not_waited_on(
    claude: AnthropicProvider, anthropic_fake: AnthropicFake
):
    anthropic_fake.reply_error("spend_limit", retry_after=86_400)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await claude.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=5)
    assert caught.value.kind is ProviderErrorKind.QUOTA and "enforced_spend_limit_reached" in str(caught.value)
    assert time.monotonic() - started < 1.0 and len(anthropic_fake.requests) == 1


async def test_a_slow_answer_is_a_timeout(claude: AnthropicProvider, anthropic_fake: AnthropicFake):
    anthropic_fake.reply_text("too late", delay_s=2.0)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await claude.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=0.3)
    assert caught.value.kind is ProviderErrorKind.TIMEOUT
    assert time.monotonic() - started < 1.0


async def test_connection_refused_is_a_connection_error(refused_url: str):
    provider = AnthropicProvider(api_key=ANTHROPIC_KEY, model="claude-sonnet-5-5", base_url=refused_url)
    try:
        with pytest.raises(ProviderError) as caught:
            await provider.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=2)
    finally:
        await provider.close()
    assert caught.value.kind is ProviderErrorKind.CONNECTION


async def test_a_wrong_key_is_auth_and_the_key_stays_out_of_the_error(anthropic_fake: AnthropicFake):
    wrong_key = "sk-ant-api03-WRONGkey-9876543210"
    provider = AnthropicProvider(api_key=wrong_key, model="claude-sonnet-5-5", base_url=anthropic_fake.url)
    try:
        with pytest.raises(ProviderError) as caught:
            await provider.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=2)
    finally:
        await provider.close()
    assert caught.value.kind is ProviderErrorKind.AUTH
    assert wrong_key not in str(caught.value) and "invalid x-api-key" not in str(caught.value)
