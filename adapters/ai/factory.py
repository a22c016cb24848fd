"""build_provider: the configured AI providers as one failover chain (Claude first, then GPT), or None."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import Any

from core.analysis.chain import FailoverChain
from core.analysis.provider import ChatProvider, Completion, ToolSpec, Turn

# Picked from the installed SDKs' model literals (anthropic 2.14 ModelParam, openai 3.57 ChatModel).
DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-5-5"
DEFAULT_OPENAI_MODEL = "gpt-5.4-mini"


def build_provider(
    *,
    anthropic_api_key: str | None = None,
    anthropic_base_url: str | None = None,
    anthropic_model: str = DEFAULT_ANTHROPIC_MODEL,
    openai_api_key: str | None = None,
    openai_base_url: str | None = None,
    openai_model: str = DEFAULT_OPENAI_MODEL,
    timeout_s: float = 60.0,
    failure_threshold: int = 3,
    cooldown_s: float = 60.0,
) -> FailoverChain | None:
    """A chain of the providers that have a key (Anthropic before OpenAI); None when no key is set.

    Base URLs are passed as given: Anthropic's has no /v1 (the SDK adds it), OpenAI's includes /v1. Only the SDKs
    of configured providers are imported.
    """
    providers: list[ChatProvider] = []
    if anthropic_api_key:
        from adapters.ai.anthropic import AnthropicProvider

        providers.append(
            AnthropicProvider(
                api_key=anthropic_api_key,
                model=anthropic_model,
                base_url=anthropic_base_url or None,
                timeout_s=timeout_s,
            )
        )
    if openai_api_key:
        from adapters.ai.openai import OpenAIProvider

        providers.append(
            OpenAIProvider(
                api_key=openai_api_key, model=openai_model, base_url=openai_base_url or None, timeout_s=timeout_s
            )
        )
    if not providers:
        return None
    return FailoverChain(providers, failure_threshold=failure_threshold, cooldown_s=cooldown_s)


class LazyChain:
    """The chain build_provider(**options) gives, built (SDKs imported) on the first completion, not before."""

    name = FailoverChain.name

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._chain: FailoverChain | None = None
        self._building: asyncio.Future[FailoverChain] | None = None
        models = (
            options.get("anthropic_model", DEFAULT_ANTHROPIC_MODEL) if options.get("anthropic_api_key") else None,
            options.get("openai_model", DEFAULT_OPENAI_MODEL) if options.get("openai_api_key") else None,
        )
        self.model = ",".join(model for model in models if model)

    @classmethod
    def configured(cls, **options: Any) -> LazyChain | None:
        """A lazy chain when at least one API key is set, else None (like build_provider)."""
        return cls(**options) if options.get("anthropic_api_key") or options.get("openai_api_key") else None

    def _build(self) -> FailoverChain:
        chain = build_provider(**self._options)
        assert chain is not None, "LazyChain needs an API key"
        return chain

    async def chain(self) -> FailoverChain:
        """The chain, built once off the event loop (the SDK imports take seconds); a failed build is retried."""
        if self._chain is None:
            if self._building is None:
                self._building = asyncio.ensure_future(asyncio.to_thread(self._build))
            building = self._building
            try:
                self._chain = await asyncio.shield(building)  # a caller's timeout does not abandon the build
            except Exception:
                if self._building is building:
                    self._building = None
                raise
        return self._chain

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        """One call through the chain within `timeout_s` (building it counts); raises ProviderError like the chain."""
        started = time.monotonic()
        chain = await self.chain()
        remaining = max(0.0, timeout_s - (time.monotonic() - started))
        return await chain.complete(system, turns, tools, max_tokens=max_tokens, timeout_s=remaining)

    async def close(self) -> None:
        """Close the providers' clients, if they were ever built (waiting for a build under way)."""
        if self._chain is None and self._building is not None:
            with contextlib.suppress(Exception):
                self._chain = await self._building
        if self._chain is not None:
            await self._chain.close()
