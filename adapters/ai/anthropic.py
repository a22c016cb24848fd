"""AnthropicProvider: the ChatProvider port over AsyncAnthropic (Claude, the primary analyst)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import anthropic

from adapters.ai.anthropic_errors import ANTHROPIC_ERRORS, NAME
from adapters.ai.anthropic_wire import read_stop, read_text, read_tool_calls, read_usage, to_messages, to_tools
from adapters.ai.sdk_provider import SdkProvider
from core.analysis.provider import Completion, ToolSpec, Turn


class AnthropicProvider(SdkProvider[anthropic.AsyncAnthropic]):
    """Claude over the Messages API, non-streaming; SDK retries off by default (why: SdkProvider)."""

    vendor = "Anthropic"
    default_name = NAME
    errors = ANTHROPIC_ERRORS

    def connect(
        self, *, api_key: str, base_url: str | None, timeout_s: float, max_retries: int
    ) -> anthropic.AsyncAnthropic:
        """An AsyncAnthropic client (base URL without /v1: the SDK adds it)."""
        return anthropic.AsyncAnthropic(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=max_retries)

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        """One Messages API call; raises ProviderError (never an SDK exception)."""
        request: dict[str, Any] = {"model": self.model, "max_tokens": max_tokens, "messages": to_messages(turns)}
        if system:
            request["system"] = system
        if tools:
            request["tools"] = to_tools(tools)
        message, latency_s = await self.timed(
            lambda: self._client.messages.create(**request, timeout=timeout_s), timeout_s
        )
        tool_calls = read_tool_calls(message.content)
        return self.completion(
            text=read_text(message.content),
            tool_calls=tool_calls,
            stop=read_stop(message.stop_reason, bool(tool_calls)),
            usage=read_usage(message.usage),
            model=message.model,
            latency_s=latency_s,
        )
