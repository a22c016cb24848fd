"""The chat-model provider port: neutral turns, tool calls and completions, and the error categories failover uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class ToolSpec:
    """A read-only tool the model may call: name, description and a JSON Schema for its arguments."""

    name: str
    description: str
    parameters: Mapping[str, Any]


@dataclass(frozen=True)
class ToolCall:
    """One tool call the model asked for (id as the provider gave it)."""

    id: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class ToolResult:
    """Our answer to one tool call: text (usually JSON) and whether it is an error."""

    call_id: str
    content: str
    is_error: bool = False


@dataclass(frozen=True)
class Turn:
    """One conversation turn: the user's text or tool results, or the assistant's text and tool calls."""

    role: Literal["user", "assistant"]
    text: str = ""
    tool_calls: Sequence[ToolCall] = ()
    tool_results: Sequence[ToolResult] = ()


@dataclass(frozen=True)
class Usage:
    """Tokens a call consumed."""

    input_tokens: int = 0
    output_tokens: int = 0


class StopReason(StrEnum):
    """Why the model stopped: finished, wants tools run, or hit the token limit."""

    END = "end"
    TOOL_USE = "tool_use"
    MAX_TOKENS = "max_tokens"


@dataclass(frozen=True)
class Completion:
    """One model answer, with who produced it and what it cost."""

    text: str
    tool_calls: Sequence[ToolCall]
    stop: StopReason
    usage: Usage
    provider: str
    model: str
    latency_s: float = 0.0
    attempts: Sequence[str] = field(default_factory=tuple)  # providers tried, in order, incl. failed ones


class ProviderErrorKind(StrEnum):
    """Why a provider call failed; failover decides by kind, never by HTTP status alone."""

    OVERLOADED = "overloaded"  # Anthropic 529
    RATE_LIMITED = "rate_limited"  # 429 that may clear soon
    QUOTA = "quota"  # spend limit / insufficient_quota: fail over at once, never retry
    SERVER = "server"  # 5xx
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    AUTH = "auth"  # bad or missing key
    BAD_REQUEST = "bad_request"  # our request is wrong: another provider may still take it
    NOT_CONFIGURED = "not_configured"


class ProviderError(Exception):
    """A provider call that failed, with its kind and the provider's name (never the key or the raw body)."""

    def __init__(self, kind: ProviderErrorKind, provider: str, message: str = "") -> None:
        super().__init__(f"{provider}: {kind.value}" + (f" ({message})" if message else ""))
        self.kind = kind
        self.provider = provider


class AllProvidersFailed(ProviderError):
    """Every provider in the chain failed or was skipped; `errors` lists them in order."""

    def __init__(self, errors: Sequence[ProviderError]) -> None:
        kind = errors[-1].kind if errors else ProviderErrorKind.NOT_CONFIGURED
        super().__init__(kind, "chain", "; ".join(str(error) for error in errors) or "no provider configured")
        self.errors = list(errors)


class ChatProvider(Protocol):
    """A chat model that can call tools (Anthropic, OpenAI, or a failover chain of them)."""

    name: str
    model: str

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        """One model call; raises ProviderError (never an SDK exception) on failure."""
        ...
