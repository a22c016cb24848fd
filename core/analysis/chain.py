"""FailoverChain: a ChatProvider that tries an ordered list of providers within one time budget."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Sequence

from core.analysis.breaker import BreakerState, CircuitBreaker
from core.analysis.provider import (
    AllProvidersFailed,
    ChatProvider,
    Completion,
    ProviderError,
    ProviderErrorKind,
    ToolSpec,
    Turn,
)

logger = logging.getLogger(__name__)


class FailoverChain:
    """Claude first, GPT on failure: every ProviderError moves on to the next provider at once (no retries).

    Open breakers are skipped; the caller's timeout_s is a budget for the whole call, not per provider: while
    another provider could still be tried, an attempt gets `attempt_share` of what is left, so a provider that
    hangs leaves time for the next one; the last candidate gets all that remains.
    Turns are neutral, so a tool loop started on one provider may continue on the next.
    """

    name = "chain"

    def __init__(
        self,
        providers: Sequence[ChatProvider],
        *,
        failure_threshold: int = 3,
        cooldown_s: float = 30.0,
        attempt_share: float = 0.6,
        min_attempt_s: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        names = [provider.name for provider in providers]
        if len(set(names)) != len(names):
            raise ValueError(f"provider names must be unique: {names}")
        self.providers = list(providers)
        self.model = ",".join(provider.model for provider in providers)
        if not 0 < attempt_share <= 1:
            raise ValueError("attempt_share must be in (0, 1]")
        self.attempt_share = attempt_share
        self.min_attempt_s = min_attempt_s
        self.breakers = {
            name: CircuitBreaker(failure_threshold=failure_threshold, cooldown_s=cooldown_s, clock=clock)
            for name in names
        }

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        """Ask each provider in order until one answers; raise AllProvidersFailed listing every failure."""
        deadline = time.monotonic() + timeout_s
        errors: list[ProviderError] = []
        attempts: list[str] = []
        for index, provider in enumerate(self.providers):
            breaker = self.breakers[provider.name]
            remaining = deadline - time.monotonic()
            if remaining < self.min_attempt_s:
                errors.append(ProviderError(ProviderErrorKind.TIMEOUT, provider.name, "time budget used up"))
                continue
            if not breaker.allow():
                kind = breaker.last_failure or ProviderErrorKind.SERVER
                errors.append(ProviderError(kind, provider.name, f"circuit open for {breaker.retry_in_s():.0f}s"))
                continue
            attempts.append(provider.name)
            try:
                completion = await self._call(
                    provider, system, turns, tools, max_tokens, self._attempt_budget(index, remaining)
                )
            except ProviderError as error:
                breaker.record_failure(error.kind)
                errors.append(error)
                logger.warning(
                    "ai provider failed, failing over",
                    extra={"provider": provider.name, "kind": error.kind.value, "breaker": breaker.state.value},
                )
                continue
            breaker.record_success()
            return dataclasses.replace(completion, attempts=tuple(attempts))
        raise AllProvidersFailed(errors)

    def _attempt_budget(self, index: int, remaining: float) -> float:
        """Seconds for the attempt at `index`: all that is left, or a share of it while a later provider could run."""
        later = self.providers[index + 1 :]
        if not any(self.breakers[p.name].state is not BreakerState.OPEN for p in later):
            return remaining
        share = min(remaining * self.attempt_share, remaining - self.min_attempt_s)  # leave the next one a chance
        return max(share, min(self.min_attempt_s, remaining))

    async def _call(
        self,
        provider: ChatProvider,
        system: str,
        turns: Sequence[Turn],
        tools: Sequence[ToolSpec],
        max_tokens: int,
        remaining: float,
    ) -> Completion:
        """One provider call held to the remaining budget; anything but a ProviderError becomes one."""
        try:
            async with asyncio.timeout(remaining):
                return await provider.complete(system, turns, tools, max_tokens=max_tokens, timeout_s=remaining)
        except ProviderError:
            raise
        except TimeoutError:
            raise ProviderError(ProviderErrorKind.TIMEOUT, provider.name, "no answer within the budget") from None
        except Exception as exc:  # a provider broke its contract: still fail over, never leak its exception
            raise ProviderError(ProviderErrorKind.SERVER, provider.name, f"unexpected {type(exc).__name__}") from None

    async def close(self) -> None:
        """Close every provider that has a close() (SDK clients hold HTTP connection pools)."""
        for provider in self.providers:
            close = getattr(provider, "close", None)
            if close is not None:
                await close()
