"""Neutral turns, tools and answers <-> OpenAI Chat Completions shapes (arguments travel as JSON strings)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from core.analysis.provider import StopReason, ToolCall, ToolSpec, Turn, Usage

Json = dict[str, Any]

_STOPS = {
    "stop": StopReason.END,
    "content_filter": StopReason.END,
    "tool_calls": StopReason.TOOL_USE,
    "function_call": StopReason.TOOL_USE,
    "length": StopReason.MAX_TOKENS,
}
ERROR_PREFIX = "ERROR: "  # Chat Completions has no is_error flag on tool messages: the content says so


class MalformedAnswer(ValueError):
    """The answer could not be read: no choices, or tool-call arguments that are not a JSON object."""


def to_tools(tools: Sequence[ToolSpec]) -> list[Json]:
    """Tool specs as function tools."""
    return [
        {
            "type": "function",
            "function": {"name": t.name, "description": t.description, "parameters": dict(t.parameters)},
        }
        for t in tools
    ]


def to_messages(system: str, turns: Sequence[Turn]) -> list[Json]:
    """The system prompt and turns as chat messages; tool results become role "tool" messages right after the call."""
    messages: list[Json] = [{"role": "system", "content": system}] if system else []
    for turn in turns:
        if turn.role == "user":
            messages += [
                {"role": "tool", "tool_call_id": r.call_id, "content": (ERROR_PREFIX if r.is_error else "") + r.content}
                for r in turn.tool_results
            ]
            if turn.text:
                messages.append({"role": "user", "content": turn.text})
            continue
        message: Json = {"role": "assistant", "content": turn.text or None}
        if turn.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(dict(c.arguments), ensure_ascii=False)},
                }
                for c in turn.tool_calls
            ]
        if turn.text or turn.tool_calls:
            messages.append(message)
    return messages


def read_tool_calls(tool_calls: Sequence[Any] | None) -> list[ToolCall]:
    """Function tool calls as neutral tool calls; raises MalformedAnswer for arguments that are not a JSON object."""
    calls: list[ToolCall] = []
    for call in tool_calls or ():
        if getattr(call, "type", None) != "function":
            continue
        try:
            arguments = json.loads(call.function.arguments or "{}")
        except json.JSONDecodeError:
            raise MalformedAnswer("tool-call arguments are not valid JSON") from None
        if not isinstance(arguments, dict):
            raise MalformedAnswer("tool-call arguments are not a JSON object")
        calls.append(ToolCall(id=call.id, name=call.function.name, arguments=arguments))
    return calls


def read_stop(finish_reason: str | None, has_tool_calls: bool) -> StopReason:
    """The neutral stop reason (tool calls present always mean TOOL_USE)."""
    return StopReason.TOOL_USE if has_tool_calls else _STOPS.get(finish_reason or "", StopReason.END)


def read_usage(usage: Any) -> Usage:
    """Tokens used (prompt tokens include cached ones)."""
    if usage is None:
        return Usage()
    return Usage(input_tokens=usage.prompt_tokens or 0, output_tokens=usage.completion_tokens or 0)
