"""Neutral turns, tools and answers <-> the Anthropic Messages API's shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.analysis.provider import StopReason, ToolCall, ToolSpec, Turn, Usage

Json = dict[str, Any]

_STOPS = {
    "end_turn": StopReason.END,
    "stop_sequence": StopReason.END,
    "pause_turn": StopReason.END,
    "refusal": StopReason.END,
    "tool_use": StopReason.TOOL_USE,
    "max_tokens": StopReason.MAX_TOKENS,
    "model_context_window_exceeded": StopReason.MAX_TOKENS,
}


def to_tools(tools: Sequence[ToolSpec]) -> list[Json]:
    """Tool specs as Anthropic tool definitions."""
    return [{"name": t.name, "description": t.description, "input_schema": dict(t.parameters)} for t in tools]


def to_messages(turns: Sequence[Turn]) -> list[Json]:
    """Turns as Messages API messages: tool results lead a user turn, tool_use blocks follow assistant text."""
    messages: list[Json] = []
    for turn in turns:
        blocks: list[Json] = []
        if turn.role == "user":
            blocks += [
                {"type": "tool_result", "tool_use_id": r.call_id, "content": r.content, "is_error": r.is_error}
                for r in turn.tool_results
            ]
        if turn.text:
            blocks.append({"type": "text", "text": turn.text})
        if turn.role == "assistant":
            blocks += [
                {"type": "tool_use", "id": c.id, "name": c.name, "input": dict(c.arguments)} for c in turn.tool_calls
            ]
        if blocks:  # the API refuses empty content; an empty turn carries nothing anyway
            messages.append({"role": turn.role, "content": blocks})
    return messages


def read_text(content: Sequence[Any]) -> str:
    """The text blocks of an answer, joined."""
    return "".join(block.text for block in content if getattr(block, "type", None) == "text")


def read_tool_calls(content: Sequence[Any]) -> list[ToolCall]:
    """The tool_use blocks of an answer as neutral tool calls."""
    return [
        ToolCall(id=block.id, name=block.name, arguments=dict(block.input or {}))
        for block in content
        if getattr(block, "type", None) == "tool_use"
    ]


def read_stop(stop_reason: str | None, has_tool_calls: bool) -> StopReason:
    """The neutral stop reason (tool calls present always mean TOOL_USE)."""
    return StopReason.TOOL_USE if has_tool_calls else _STOPS.get(stop_reason or "", StopReason.END)


def read_usage(usage: Any) -> Usage:
    """Tokens used; cache reads and writes count as input."""
    cached = (getattr(usage, "cache_read_input_tokens", 0) or 0) + (
        getattr(usage, "cache_creation_input_tokens", 0) or 0
    )
    return Usage(input_tokens=(usage.input_tokens or 0) + cached, output_tokens=usage.output_tokens or 0)
