"""AnthropicFake: a local Messages API (POST /v1/messages, non-streaming) with scripted answers and real errors.

Spend limits: the real API answers 429 `rate_limit_error` whose `error.details.error_code` names the cause; we
script `enforced_spend_limit_reached` (the organisation crossed the monthly usage threshold of its API tier, one
of the spend-limit codes anthropic 2.14's ErrorDetails union lists), which must be classified as QUOTA.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from fakes.ai.base import Json, ScriptedApiServer, Step, estimate_tokens, fixed_step, retry_headers

SPEND_LIMIT_CODE = "enforced_spend_limit_reached"

# name -> (HTTP status, error.type, error.message, error.details.error_code)
ANTHROPIC_ERRORS: dict[str, tuple[int, str, str, str | None]] = {
    "overloaded": (529, "overloaded_error", "Overloaded", None),
    "rate_limit": (
        429,
        "rate_limit_error",
        "This request would exceed the rate limit for your organization of 50 requests per minute.",
        None,
    ),
    "spend_limit": (
        429,
        "rate_limit_error",
        "You have reached your specified API usage limits. You will regain access on the 1st of next month.",
        SPEND_LIMIT_CODE,
    ),
    "api_error": (500, "api_error", "Internal server error", None),
    "authentication": (401, "authentication_error", "invalid x-api-key", None),
    "invalid_request": (400, "invalid_request_error", "max_tokens: Field required", None),
}


def error_body(error_type: str, message: str, error_code: str | None = None, request_id: str = "req_0") -> Json:
    """The body of an Anthropic error reply."""
    error: Json = {"type": error_type, "message": message}
    if error_code is not None:
        error["details"] = {"error_code": error_code}
    return {"type": "error", "error": error, "request_id": request_id}


class AnthropicFake(ScriptedApiServer):
    """POST /v1/messages: checks the key (x-api-key or Bearer), anthropic-version and tool_use/tool_result pairing."""

    def __init__(self, api_key: str | None = "sk-ant-fake-key-0001") -> None:
        super().__init__(api_key)

    def routes(self) -> list[web.RouteDef]:
        """The Messages endpoint."""
        return [web.post("/v1/messages", self.handle)]

    # ---- scripting -----------------------------------------------------------------------------------------
    def reply_text(self, text: str, *, stop_reason: str = "end_turn", delay_s: float = 0.0) -> None:
        """Answer the next request with a text message."""
        self.enqueue(
            Step(lambda body: (200, self.message(body, [{"type": "text", "text": text}], stop_reason)), {}, delay_s)
        )

    def reply_tool_use(self, name: str, arguments: Mapping[str, Any], *, text: str = "", call_id: str = "") -> str:
        """Answer the next request with a tool_use block (after optional text); returns the tool_use id."""
        tool_id = call_id or self.next_id("toolu_")
        blocks: list[Json] = [{"type": "text", "text": text}] if text else []
        blocks.append({"type": "tool_use", "id": tool_id, "name": name, "input": dict(arguments)})
        self.enqueue(Step(lambda body: (200, self.message(body, blocks, "tool_use"))))
        return tool_id

    def reply_error(
        self,
        name: str,
        *,
        retry_after: float | None = None,
        should_retry: bool | None = None,
        delay_s: float = 0.0,
    ) -> None:
        """Answer the next request with one of ANTHROPIC_ERRORS, optionally with retry-after / x-should-retry."""
        status, error_type, message, code = ANTHROPIC_ERRORS[name]
        headers = retry_headers(retry_after, should_retry)
        self.enqueue(fixed_step(status, error_body(error_type, message, code, self.next_id("req_")), headers, delay_s))

    def default_step(self) -> Step:
        """A plain text answer."""
        return Step(lambda body: (200, self.message(body, [{"type": "text", "text": "Margins look healthy."}])))

    def message(self, request: Json, content: Sequence[Json], stop_reason: str = "end_turn") -> Json:
        """A Messages API response for `request` with `content` blocks and usage figures."""
        text_out = "".join(block.get("text", "") or json.dumps(block.get("input", {})) for block in content)
        return {
            "id": self.next_id("msg_"),
            "type": "message",
            "role": "assistant",
            "model": request.get("model", "claude-fake"),
            "content": list(content),
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {
                "input_tokens": estimate_tokens(json.dumps([request.get("system"), request.get("messages")])),
                "output_tokens": estimate_tokens(text_out),
            },
        }

    # ---- validation ----------------------------------------------------------------------------------------
    def presented_key(self, request: web.Request) -> str | None:
        """x-api-key, or an Authorization Bearer token."""
        return request.headers.get("x-api-key") or super().presented_key(request)

    def reject(self, request: web.Request, body: Json) -> tuple[int, Json] | None:
        """401 for a wrong key, 400 for a missing anthropic-version or an invalid body."""
        if self.api_key is not None and self.presented_key(request) != self.api_key:
            return 401, error_body("authentication_error", "invalid x-api-key")
        if not request.headers.get("anthropic-version"):
            return 400, error_body("invalid_request_error", "anthropic-version: header is required")
        problem = _body_problem(body)
        return (400, error_body("invalid_request_error", problem)) if problem else None


def _body_problem(body: Json) -> str | None:
    """Why the Messages API would refuse `body`, or None."""
    if not isinstance(body.get("model"), str) or not isinstance(body.get("max_tokens"), int):
        return "model and max_tokens: Field required"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    for index, message in enumerate(messages):
        if message.get("role") not in ("user", "assistant"):
            return f"messages.{index}.role: Input should be 'user' or 'assistant'"
        content = message.get("content")
        blocks = content if isinstance(content, list) else []
        if any(block.get("type") == "text" and not block.get("text") for block in blocks):
            return f"messages.{index}: text content blocks must be non-empty"
        previous = messages[index - 1] if index else {}
        asked = _block_ids(previous.get("content"), "tool_use", "id") if previous.get("role") == "assistant" else set()
        answered = _block_ids(content, "tool_result", "tool_use_id")
        if answered - asked:
            return (
                f"messages.{index}: unexpected `tool_use_id` found in `tool_result` blocks: {sorted(answered - asked)}"
            )
        if asked - answered:
            return f"messages.{index}: `tool_use` ids were found without `tool_result` blocks immediately after"
    return None


def _block_ids(content: Any, block_type: str, key: str) -> set[str]:
    """Ids named by `key` in the `block_type` blocks of one message's content."""
    blocks = content if isinstance(content, list) else []
    return {str(block.get(key)) for block in blocks if isinstance(block, dict) and block.get("type") == block_type}
