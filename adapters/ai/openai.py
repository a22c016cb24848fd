"""OpenAIProvider: the ChatProvider port over AsyncOpenAI Chat Completions (GPT, the failover analyst)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from adapters.ai.openai_errors import NAME, OPENAI_ERRORS
from adapters.ai.openai_wire import MalformedAnswer, read_stop, read_tool_calls, read_usage, to_messages, to_tools
from adapters.ai.sdk_provider import SdkProvider
from core.analysis.provider import Completion, ToolCall, ToolSpec, Turn


class OpenAIProvider(SdkProvider[openai.AsyncOpenAI]):
    """GPT over Chat Completions, non-streaming; SDK retries off by default (why: SdkProvider)."""

    vendor = "OpenAI"
    default_name = NAME
    errors = OPENAI_ERRORS

    def connect(self, *, api_key: str, base_url: str | None, timeout_s: float, max_retries: int) -> openai.AsyncOpenAI:
        """An AsyncOpenAI client (base URL with /v1)."""
        return openai.AsyncOpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=max_retries)

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

        async def create() -> tuple[ChatCompletion, list[ToolCall]]:
            """The call and the reading of its tool calls (so a malformed answer maps to a ProviderError too)."""
            response = await self._client.chat.completions.create(**request, timeout=timeout_s)
            if not response.choices:
                raise MalformedAnswer("no choices in the answer")
            return response, read_tool_calls(response.choices[0].message.tool_calls)

        (response, tool_calls), latency_s = await self.timed(create, timeout_s)
        choice = response.choices[0]
        return self.completion(
            text=choice.message.content or "",
            tool_calls=tool_calls,
            stop=read_stop(choice.finish_reason, bool(tool_calls)),
            usage=read_usage(response.usage),
            model=response.model,
            latency_s=latency_s,
        )
