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


async def test_spend_limit_is_quota_by_error_code_and_a_huge_retry_after_is_not_waited_on(
    claude: AnthropicProvider, anthropic_fake: AnthropicFake
):
    anthropic_fake.reply_error("spend_limit", retry_after=86_400)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await claude.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=5)
    assert caught.value.kind is ProviderErrorKind.QUOTA and "enforced_spend_limit_reached" in str(caught.value)
    assert time.monotonic() - started < 1.0 and len(anthropic_fake.requests) == 1
