"""AI providers behind core's ChatProvider port: Anthropic (primary), OpenAI (failover), and their factory."""

from .anthropic import AnthropicProvider
from .factory import DEFAULT_ANTHROPIC_MODEL, DEFAULT_OPENAI_MODEL, build_provider
from .openai import OpenAIProvider

__all__ = ["DEFAULT_ANTHROPIC_MODEL", "DEFAULT_OPENAI_MODEL", "AnthropicProvider", "OpenAIProvider", "build_provider"]
