"""AnthropicProvider: the ChatProvider port over AsyncAnthropic (Claude, the primary analyst)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import anthropic

from adapters.ai.anthropic_errors import NAME, map_anthropic_error
from adapters.ai.anthropic_wire import read_stop, read_text, read_tool_calls, read_usage, to_messages, to_tools
from core.analysis.provider import Completion, ToolSpec, Turn


class AnthropicProvider:
    """Claude over the Messages API, non-streaming.

    max_retries defaults to 0: the failover chain owns retrying. The SDK would otherwise retry a spend-limit 429
    (it decides by status, not by error code), spend the caller's budget on one provider, and in anthropic 2.14
    honour any retry-after without an upper bound. With 0 retries no retry-after is ever waited on here.
    """

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 0,
        name: str = NAME,
    ) -> None:
        if not api_key:
            raise ValueError("an Anthropic API key is required")
        self.name = name
        self.model = model
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=max_retries
        )

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        """One Messages API call; raises ProviderError (never an SDK exception)."""
        request: dict[str, Any] = {"model": self.model, "max_tokens": max_tokens, "messages": to_messages(turns)}
        if system:
            request["system"] = system
        if tools:
            request["tools"] = to_tools(tools)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout_s):
                message = await self._client.messages.create(**request, timeout=timeout_s)
        except Exception as exc:
            raise map_anthropic_error(exc, self.name) from None
        tool_calls = read_tool_calls(message.content)
        return Completion(
            text=read_text(message.content),
            tool_calls=tool_calls,
            stop=read_stop(message.stop_reason, bool(tool_calls)),
            usage=read_usage(message.usage),
            provider=self.name,
            model=message.model or self.model,
            latency_s=time.perf_counter() - started,
            attempts=(self.name,),
        )

    async def close(self) -> None:
        """Close the SDK's HTTP connection pool."""
        await self._client.close()
