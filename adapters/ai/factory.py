"""build_provider: the configured AI providers as one failover chain (Claude first, then GPT), or None."""

from __future__ import annotations

from adapters.ai.anthropic import AnthropicProvider
from adapters.ai.openai import OpenAIProvider
from core.analysis.chain import FailoverChain
from core.analysis.provider import ChatProvider

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

    Base URLs are passed as given: Anthropic's has no /v1 (the SDK adds it), OpenAI's includes /v1.
    """
    providers: list[ChatProvider] = []
    if anthropic_api_key:
        providers.append(
            AnthropicProvider(
                api_key=anthropic_api_key,
                model=anthropic_model,
                base_url=anthropic_base_url or None,
                timeout_s=timeout_s,
            )
        )
    if openai_api_key:
        providers.append(
            OpenAIProvider(
                api_key=openai_api_key, model=openai_model, base_url=openai_base_url or None, timeout_s=timeout_s
            )
        )
    if not providers:
        return None
    return FailoverChain(providers, failure_threshold=failure_threshold, cooldown_s=cooldown_s)
