"""OpenAIProvider (real openai SDK) against the local Chat Completions fake."""

from __future__ import annotations

import json

import pytest

from adapters.ai import OpenAIProvider
from core.analysis.provider import ProviderError, ProviderErrorKind, StopReason, ToolResult, Turn
from fakes.ai import OpenAIFake
from tests.adapters.ai.conftest import OPENAI_KEY, PRICE_TOOL

pytestmark = pytest.mark.e2e


async def test_tool_call_round_trip_sends_tool_messages(gpt: OpenAIProvider, openai_fake: OpenAIFake):
    [call_id] = openai_fake.reply_tool_calls([("get_price", {"item": "PLEX", "hub": "Jita"})])
    first = await gpt.complete(
        "You are a trader.", [Turn("user", "Price of PLEX?")], [PRICE_TOOL], max_tokens=300, timeout_s=5
    )
    assert first.stop is StopReason.TOOL_USE and first.text == ""
    [call] = first.tool_calls
    assert (call.id, call.name, dict(call.arguments)) == (call_id, "get_price", {"item": "PLEX", "hub": "Jita"})
    assert first.provider == "openai" and first.model == "gpt-5.4-mini"
    assert first.usage.input_tokens > 0 and first.usage.output_tokens > 0

    turns = [
        Turn("user", "Price of PLEX?"),
        Turn("assistant", "", first.tool_calls),
        Turn("user", tool_results=[ToolResult(call_id, '{"sell": 5000000}')]),
    ]
    second = await gpt.complete("You are a trader.", turns, [PRICE_TOOL], max_tokens=300, timeout_s=5)
    assert second.stop is StopReason.END and second.text

    sent = openai_fake.requests[-1].body
    assert sent["max_completion_tokens"] == 300
    assert sent["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_price",
                "description": PRICE_TOOL.description,
                "parameters": dict(PRICE_TOOL.parameters),
            },
        }
    ]
    system, user, assistant, tool = sent["messages"]
    assert system == {"role": "system", "content": "You are a trader."}
    assert user == {"role": "user", "content": "Price of PLEX?"}
    [sent_call] = assistant["tool_calls"]
    assert assistant["role"] == "assistant" and sent_call["id"] == call_id and sent_call["type"] == "function"
    assert json.loads(sent_call["function"]["arguments"]) == {"item": "PLEX", "hub": "Jita"}
    assert tool == {"role": "tool", "tool_call_id": call_id, "content": '{"sell": 5000000}'}
    assert openai_fake.requests[-1].headers["authorization"] == f"Bearer {OPENAI_KEY}"


async def test_failed_tool_result_says_so_and_user_text_stays_a_user_message(
    gpt: OpenAIProvider, openai_fake: OpenAIFake
):
    [call_id] = openai_fake.reply_tool_calls([("get_price", {"item": "Tritanium"})])
    first = await gpt.complete("", [Turn("user", "Trit?")], [PRICE_TOOL], max_tokens=100, timeout_s=5)
    turns = [
        Turn("user", "Trit?"),
        Turn("assistant", "", first.tool_calls),
        Turn("user", "and Amarr too", tool_results=[ToolResult(call_id, "unknown hub", is_error=True)]),
    ]
    await gpt.complete("", turns, [PRICE_TOOL], max_tokens=100, timeout_s=5)
    messages = openai_fake.requests[-1].body["messages"]
    assert messages[0] == {"role": "user", "content": "Trit?"}
    assert messages[2] == {"role": "tool", "tool_call_id": call_id, "content": "ERROR: unknown hub"}
    assert messages[3] == {"role": "user", "content": "and Amarr too"}


async def test_insufficient_quota_is_classified_by_code_not_status(gpt: OpenAIProvider, openai_fake: OpenAIFake):
    openai_fake.reply_error("insufficient_quota", retry_after=1)
    openai_fake.reply_error("rate_limit_exceeded", retry_after=1)
    kinds = []
    for _ in range(2):
        with pytest.raises(ProviderError) as caught:
            await gpt.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=5)
        kinds.append(caught.value.kind)
    assert kinds == [ProviderErrorKind.QUOTA, ProviderErrorKind.RATE_LIMITED]  # both were HTTP 429
    assert len(openai_fake.requests) == 2


async def test_tool_arguments_that_are_not_json_are_a_malformed_answer(gpt: OpenAIProvider, openai_fake: OpenAIFake):
    openai_fake.reply_raw_tool_call("get_price", '{"item": "PLEX"')
    with pytest.raises(ProviderError) as caught:
        await gpt.complete("", [Turn("user", "hi")], [PRICE_TOOL], max_tokens=10, timeout_s=5)
    assert caught.value.kind is ProviderErrorKind.SERVER and "malformed" in str(caught.value)
