"""OpenAIProvider: the ChatProvider port over AsyncOpenAI Chat Completions (GPT, the failover analyst)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import openai

from adapters.ai.openai_errors import NAME, map_openai_error
from adapters.ai.openai_wire import MalformedAnswer, read_stop, read_tool_calls, read_usage, to_messages, to_tools
from core.analysis.provider import Completion, ToolSpec, Turn


class OpenAIProvider:
    """GPT over Chat Completions, non-streaming.

    max_retries defaults to 0: the failover chain owns retrying. The SDK retries a 429 insufficient_quota like a
    rate limit (it decides by status, not code) and would spend the caller's budget on one provider; with 0
    retries no retry-after is ever waited on here (the SDK itself caps it at 120 s, still far past our budget).
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
            raise ValueError("an OpenAI API key is required")
        self.name = name
        self.model = model
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=max_retries
        )

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        """One chat.completions call; raises ProviderError (never an SDK exception)."""
        request: dict[str, Any] = {
            "model": self.model,
            "messages": to_messages(system, turns),
            "max_completion_tokens": max_tokens,
        }
        if tools:
            request["tools"] = to_tools(tools)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout_s):
                response = await self._client.chat.completions.create(**request, timeout=timeout_s)
            if not response.choices:
                raise MalformedAnswer("no choices in the answer")
            choice = response.choices[0]
            tool_calls = read_tool_calls(choice.message.tool_calls)
        except Exception as exc:
            raise map_openai_error(exc, self.name) from None
        return Completion(
            text=choice.message.content or "",
            tool_calls=tool_calls,
            stop=read_stop(choice.finish_reason, bool(tool_calls)),
            usage=read_usage(response.usage),
            provider=self.name,
            model=response.model or self.model,
            latency_s=time.perf_counter() - started,
            attempts=(self.name,),
        )

    async def close(self) -> None:
        """Close the SDK's HTTP connection pool."""
        await self._client.close()
