"""AI providers behind core's ChatProvider port: Anthropic (primary), OpenAI (failover), and their factory.

The providers are imported on first access, so importing the package (or the factory) never loads an SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .factory import DEFAULT_ANTHROPIC_MODEL, DEFAULT_OPENAI_MODEL, LazyChain, build_provider

if TYPE_CHECKING:
    from .anthropic import AnthropicProvider
    from .openai import OpenAIProvider

__all__ = [
    "DEFAULT_ANTHROPIC_MODEL",
    "DEFAULT_OPENAI_MODEL",
    "AnthropicProvider",
    "LazyChain",
    "OpenAIProvider",
    "build_provider",
]
_LAZY = {"AnthropicProvider": ".anthropic", "OpenAIProvider": ".openai"}


def __getattr__(name: str) -> object:
    """Import a provider class (and its SDK) when it is first asked for."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
