"""Local, protocol-faithful fakes of the Anthropic Messages and OpenAI Chat Completions APIs."""

from .anthropic import ANTHROPIC_ERRORS, SPEND_LIMIT_CODE, AnthropicFake
from .base import RecordedRequest, Step
from .openai import OPENAI_ERRORS, OpenAIFake

__all__ = [
    "ANTHROPIC_ERRORS",
    "OPENAI_ERRORS",
    "SPEND_LIMIT_CODE",
    "AnthropicFake",
    "OpenAIFake",
    "RecordedRequest",
    "Step",
]
