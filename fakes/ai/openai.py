"""OpenAIFake: a local Chat Completions API (POST /v1/chat/completions) with scripted answers and real errors."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from fakes.ai.base import Json, ScriptedApiServer, Step, estimate_tokens, fixed_step, retry_headers

# name -> (HTTP status, error.type, error.code, error.message)
OPENAI_ERRORS: dict[str, tuple[int, str, str | None, str]] = {
    "rate_limit_exceeded": (
        429,
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.",
    ),
    "insufficient_quota": (
        429,
        "insufficient_quota",
        "insufficient_quota",
        "You exceeded your current quota, please check your plan and billing details.",
    ),
    "server_error": (
        500,
        "server_error",
        None,
        "The server had an error while processing your request. Sorry about that!",
    ),
    "unavailable": (503, "server_error", None, "The engine is currently overloaded, please try again later."),
    "invalid_api_key": (401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: {masked}."),
}


def error_body(error_type: str, code: str | None, message: str, param: str | None = None) -> Json:
    """The body of an OpenAI error reply."""
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


class OpenAIFake(ScriptedApiServer):
    """POST /v1/chat/completions: checks the Bearer key and that every tool message answers a preceding tool call."""

    request_id_header = "x-request-id"

    def __init__(self, api_key: str | None = "sk-proj-fake-key-0001") -> None:
        super().__init__(api_key)

    def routes(self) -> list[web.RouteDef]:
        """The Chat Completions endpoint."""
        return [web.post("/v1/chat/completions", self.handle)]

    # ---- scripting -----------------------------------------------------------------------------------------
    def reply_text(self, text: str, *, finish_reason: str = "stop", delay_s: float = 0.0) -> None:
        """Answer the next request with an assistant text message."""
        self.enqueue(Step(lambda body: (200, self.completion(body, text, [], finish_reason)), {}, delay_s))

    def reply_tool_calls(self, calls: Sequence[tuple[str, Mapping[str, Any]]], *, text: str | None = None) -> list[str]:
        """Answer the next request with tool calls (name, arguments) whose arguments are JSON strings; returns ids."""
        ids = [self.next_id("call_") for _ in calls]
        tool_calls = [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(dict(arguments))}}
            for call_id, (name, arguments) in zip(ids, calls, strict=True)
        ]
        self.enqueue(Step(lambda body: (200, self.completion(body, text, tool_calls, "tool_calls"))))
        return ids

    def reply_raw_tool_call(self, name: str, arguments_json: str) -> None:
        """Answer with one tool call whose arguments string is exactly `arguments_json` (even if not valid JSON)."""
        call = {
            "id": self.next_id("call_"),
            "type": "function",
            "function": {"name": name, "arguments": arguments_json},
        }
        self.enqueue(Step(lambda body: (200, self.completion(body, None, [call], "tool_calls"))))

    def reply_error(self, name: str, *, retry_after: float | None = None, should_retry: bool | None = None) -> None:
        """Answer the next request with one of OPENAI_ERRORS, optionally with retry-after / x-should-retry."""
        status, error_type, code, message = OPENAI_ERRORS[name]
        headers = retry_headers(retry_after, should_retry)
        self.enqueue(fixed_step(status, error_body(error_type, code, message.format(masked="sk-****0001")), headers))

    def default_step(self) -> Step:
        """A plain text answer."""
        return Step(lambda body: (200, self.completion(body, "Margins look healthy.", [], "stop")))

    def completion(self, request: Json, text: str | None, tool_calls: list[Json], finish_reason: str) -> Json:
        """A chat.completion object for `request`, with usage figures."""
        message: Json = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
        if tool_calls:
            message["tool_calls"] = tool_calls
        prompt = estimate_tokens(json.dumps(request.get("messages")))
        completion = estimate_tokens((text or "") + json.dumps(tool_calls))
        return {
            "id": self.next_id("chatcmpl-"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", "gpt-fake"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
            "system_fingerprint": "fp_fake",
        }

    # ---- validation ----------------------------------------------------------------------------------------
    def reject(self, request: web.Request, body: Json) -> tuple[int, Json] | None:
        """401 for a wrong key, 400 for an invalid body."""
        key = self.presented_key(request)
        if self.api_key is not None and key != self.api_key:
            masked = f"{(key or '')[:3]}****{(key or '')[-4:]}"
            return 401, error_body("invalid_request_error", "invalid_api_key", f"Incorrect API key provided: {masked}.")
        problem = _body_problem(body)
        return (400, error_body("invalid_request_error", None, problem, "messages")) if problem else None


def _body_problem(body: Json) -> str | None:
    """Why Chat Completions would refuse `body`, or None."""
    messages = body.get("messages")
    if not isinstance(body.get("model"), str) or not isinstance(messages, list) or not messages:
        return "you must provide a model parameter and a non-empty messages array"
    open_calls: set[str] = set()
    for index, message in enumerate(messages):
        role = message.get("role")
        if role not in ("system", "developer", "user", "assistant", "tool"):
            return f"Invalid value for 'messages[{index}].role'"
        if role == "tool":
            if message.get("tool_call_id") not in open_calls:
                return "Invalid parameter: messages with role 'tool' must be a response to a preceeding 'tool_calls'."
            open_calls.discard(message["tool_call_id"])
            continue
        if open_calls:
            return f"An assistant message with 'tool_calls' must be followed by tool messages: {sorted(open_calls)}"
        if role == "assistant":
            open_calls = {str(call.get("id")) for call in message.get("tool_calls") or []}
    return None
