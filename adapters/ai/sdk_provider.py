"""SdkProvider: what the Anthropic and OpenAI providers share (key check, SDK client, timed and error-mapped calls)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar, Generic, Protocol, TypeVar

from adapters.ai.sdk_errors import SdkErrorMap
from core.analysis.provider import Completion, StopReason, ToolCall, Usage


class SdkClient(Protocol):
    """The part of an SDK's async client the base needs."""

    async def close(self) -> None:
        """Close the client's HTTP connection pool."""
        ...


ClientT = TypeVar("ClientT", bound=SdkClient)
T = TypeVar("T")


class SdkProvider(Generic[ClientT]):
    """A ChatProvider over one vendor SDK's async client; subclasses build the client and shape the requests.

    max_retries defaults to 0: the failover chain owns retrying. Both SDKs decide retries by HTTP status, not by
    error code: they would retry a money 429 (Anthropic's spend limit, OpenAI's insufficient_quota) and spend the
    caller's budget on one provider, waiting out its retry-after (anthropic 2.14 with no upper bound, openai up to
    120 s: both far past our budget). With 0 retries no retry-after is ever waited on here.
    """

    vendor: ClassVar[str]  # for messages: "Anthropic", "OpenAI"
    default_name: ClassVar[str]  # the provider name in errors, completions and the failover chain
    errors: ClassVar[SdkErrorMap]

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 0,
        name: str | None = None,
    ) -> None:
        """Check the key and build the SDK client (nothing is sent yet); `name` defaults to `default_name`."""
        if not api_key:
            raise ValueError(f"an {self.vendor} API key is required")
        self.name = name or self.default_name
        self.model = model
        self._client = self.connect(api_key=api_key, base_url=base_url, timeout_s=timeout_s, max_retries=max_retries)

    def connect(self, *, api_key: str, base_url: str | None, timeout_s: float, max_retries: int) -> ClientT:
        """The SDK's async client."""
        raise NotImplementedError

    async def timed(self, call: Callable[[], Awaitable[T]], timeout_s: float) -> tuple[T, float]:
        """`call()` cut off after `timeout_s`, and the seconds it took; any failure raises a ProviderError."""
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout_s):
                result = await call()
        except Exception as exc:
            raise self.errors.to_provider_error(exc, self.name) from None
        return result, time.perf_counter() - started

    def completion(
        self,
        *,
        text: str,
        tool_calls: Sequence[ToolCall],
        stop: StopReason,
        usage: Usage,
        model: str | None,
        latency_s: float,
    ) -> Completion:
        """This provider's answer (the configured model when the answer names none), tried by this provider alone."""
        return Completion(
            text=text,
            tool_calls=tool_calls,
            stop=stop,
            usage=usage,
            provider=self.name,
            model=model or self.model,
            latency_s=latency_s,
            attempts=(self.name,),
        )

    async def close(self) -> None:
        """Close the SDK's HTTP connection pool."""
        await self._client.close()
