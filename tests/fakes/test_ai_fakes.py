"""The Anthropic and OpenAI fakes speak the real wire format: auth, validation, scripted answers and errors."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest_asyncio

from fakes.ai import SPEND_LIMIT_CODE, AnthropicFake, OpenAIFake

A_KEY, O_KEY = "sk-ant-test-1234567890", "sk-proj-test-1234567890"
A_HEADERS = {"x-api-key": A_KEY, "anthropic-version": "2023-06-01"}
O_HEADERS = {"Authorization": f"Bearer {O_KEY}"}
HELLO: dict[str, Any] = {"model": "claude-x", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}


@pytest_asyncio.fixture
async def claude_api() -> AsyncIterator[AnthropicFake]:
    async with AnthropicFake(api_key=A_KEY) as fake:
        yield fake


@pytest_asyncio.fixture
async def gpt_api() -> AsyncIterator[OpenAIFake]:
    async with OpenAIFake(api_key=O_KEY) as fake:
        yield fake


async def post(
    http: aiohttp.ClientSession, url: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[int, Any, Any]:
    async with http.post(url, json=body, headers=headers) as response:
        return response.status, await response.json(), response.headers


async def test_anthropic_default_answer_is_a_message_with_usage(http: aiohttp.ClientSession, claude_api: AnthropicFake):
    status, body, headers = await post(http, claude_api.url + "/v1/messages", HELLO, A_HEADERS)
    assert status == 200 and body["type"] == "message" and body["role"] == "assistant" and body["model"] == "claude-x"
    assert body["content"][0]["type"] == "text" and body["stop_reason"] == "end_turn"
    assert body["usage"]["input_tokens"] > 0 and body["usage"]["output_tokens"] > 0
    assert headers["request-id"].startswith("req_")
    assert claude_api.requests[0].body == HELLO and claude_api.requests[0].path == "/v1/messages"


async def test_anthropic_checks_the_key_either_way_and_the_version_header(
    http: aiohttp.ClientSession, claude_api: AnthropicFake
):
    url = claude_api.url + "/v1/messages"
    bearer = {"Authorization": f"Bearer {A_KEY}", "anthropic-version": "2023-06-01"}
    assert (await post(http, url, HELLO, bearer))[0] == 200
    status, body, _ = await post(http, url, HELLO, {**A_HEADERS, "x-api-key": "nope"})
    assert status == 401 and body["error"]["type"] == "authentication_error" and body["type"] == "error"
    status, body, _ = await post(http, url, HELLO, {"x-api-key": A_KEY})
    assert status == 400 and "anthropic-version" in body["error"]["message"]


async def test_anthropic_refuses_unpaired_tool_results_and_system_turns(
    http: aiohttp.ClientSession, claude_api: AnthropicFake
):
    url = claude_api.url + "/v1/messages"
    orphan = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_x", "content": "1"}]}
    asked = {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_y", "name": "p", "input": {}}]}
    for messages in ([HELLO["messages"][0], orphan], [HELLO["messages"][0], asked, {"role": "user", "content": "?"}]):
        status, body, _ = await post(http, url, {**HELLO, "messages": messages}, A_HEADERS)
        assert status == 400 and body["error"]["type"] == "invalid_request_error"
    status, _, _ = await post(http, url, {**HELLO, "messages": [{"role": "system", "content": "x"}]}, A_HEADERS)
    assert status == 400
    answered = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_y", "content": "1"}]}
    status, _, _ = await post(http, url, {**HELLO, "messages": [HELLO["messages"][0], asked, answered]}, A_HEADERS)
    assert status == 200


async def test_anthropic_plays_scripted_tool_use_and_errors_in_order(
    http: aiohttp.ClientSession, claude_api: AnthropicFake
):
    url = claude_api.url + "/v1/messages"
    tool_id = claude_api.reply_tool_use("get_price", {"item": "PLEX"}, text="Looking")
    claude_api.reply_error("spend_limit", retry_after=3, should_retry=False)
    claude_api.reply_error("overloaded")
    status, body, _ = await post(http, url, HELLO, A_HEADERS)
    assert status == 200 and body["stop_reason"] == "tool_use"
    assert body["content"] == [
        {"type": "text", "text": "Looking"},
        {"type": "tool_use", "id": tool_id, "name": "get_price", "input": {"item": "PLEX"}},
    ]
    status, body, headers = await post(http, url, HELLO, A_HEADERS)
    assert status == 429 and body["error"]["type"] == "rate_limit_error"
    assert body["error"]["details"] == {"error_code": SPEND_LIMIT_CODE}
    assert headers["retry-after"] == "3" and headers["x-should-retry"] == "false"
    status, body, _ = await post(http, url, HELLO, A_HEADERS)
    assert status == 529 and body["error"]["type"] == "overloaded_error"
    assert (await post(http, url, HELLO, A_HEADERS))[0] == 200 and claude_api.pending == 0


async def test_a_delayed_reply_waits(http: aiohttp.ClientSession, claude_api: AnthropicFake):
    claude_api.reply_text("slow", delay_s=0.2)
    started = time.monotonic()
    status, body, _ = await post(http, claude_api.url + "/v1/messages", HELLO, A_HEADERS)
    assert status == 200 and body["content"][0]["text"] == "slow" and time.monotonic() - started >= 0.2


async def test_openai_tool_calls_carry_json_string_arguments(http: aiohttp.ClientSession, gpt_api: OpenAIFake):
    url = gpt_api.url + "/v1/chat/completions"
    [call_id] = gpt_api.reply_tool_calls([("get_price", {"item": "PLEX"})])
    request = {"model": "gpt-x", "messages": [{"role": "user", "content": "hi"}]}
    status, body, headers = await post(http, url, request, O_HEADERS)
    choice = body["choices"][0]
    assert status == 200 and body["object"] == "chat.completion" and choice["finish_reason"] == "tool_calls"
    [call] = choice["message"]["tool_calls"]
    assert call["id"] == call_id and json.loads(call["function"]["arguments"]) == {"item": "PLEX"}
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    assert headers["x-request-id"].startswith("req_")

    follow_up = [*request["messages"], choice["message"], {"role": "tool", "tool_call_id": call_id, "content": "5"}]
    status, body, _ = await post(http, url, {**request, "messages": follow_up}, O_HEADERS)
    assert status == 200 and body["choices"][0]["message"]["content"] and body["choices"][0]["finish_reason"] == "stop"


async def test_openai_refuses_wrong_keys_and_unmatched_tool_messages(http: aiohttp.ClientSession, gpt_api: OpenAIFake):
    url = gpt_api.url + "/v1/chat/completions"
    request = {"model": "gpt-x", "messages": [{"role": "user", "content": "hi"}]}
    status, body, _ = await post(http, url, request, {"Authorization": "Bearer sk-wrong-abcd"})
    assert status == 401 and body["error"]["code"] == "invalid_api_key" and "abcd" in body["error"]["message"]
    orphan = [*request["messages"], {"role": "tool", "tool_call_id": "call_x", "content": "5"}]
    status, body, _ = await post(http, url, {**request, "messages": orphan}, O_HEADERS)
    assert status == 400 and body["error"]["type"] == "invalid_request_error"
    unanswered = [
        *request["messages"],
        {"role": "assistant", "tool_calls": [{"id": "call_y"}]},
        {"role": "user", "content": "?"},
    ]
    assert (await post(http, url, {**request, "messages": unanswered}, O_HEADERS))[0] == 400


async def test_openai_scripted_errors_have_the_real_bodies(http: aiohttp.ClientSession, gpt_api: OpenAIFake):
    url = gpt_api.url + "/v1/chat/completions"
    request = {"model": "gpt-x", "messages": [{"role": "user", "content": "hi"}]}
    expected = [(429, "insufficient_quota"), (429, "rate_limit_exceeded"), (500, None), (503, None)]
    for name in ("insufficient_quota", "rate_limit_exceeded", "server_error", "unavailable"):
        gpt_api.reply_error(name, retry_after=1)
    seen = []
    for _ in expected:
        status, body, headers = await post(http, url, request, O_HEADERS)
        assert set(body["error"]) == {"message", "type", "param", "code"} and headers["retry-after"] == "1"
        seen.append((status, body["error"]["code"]))
    assert seen == expected and len(gpt_api.requests) == 4
    gpt_api.reset()
    assert gpt_api.requests == [] and gpt_api.pending == 0
