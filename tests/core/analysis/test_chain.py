"""FailoverChain with in-memory providers: order, failover on every kind, skipping open breakers, the budget."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import pytest

from core.analysis.breaker import BreakerState, CircuitBreaker
from core.analysis.chain import FailoverChain
from core.analysis.provider import (
    AllProvidersFailed,
    Completion,
    ProviderError,
    StopReason,
    ToolSpec,
    Turn,
    Usage,
)
from core.analysis.provider import ProviderErrorKind as Kind

ASK = [Turn("user", "hi")]


def state_of(breaker: CircuitBreaker) -> BreakerState:
    """The breaker's state, read through a call (mypy would keep an earlier `is` narrowing of the property)."""
    return breaker.state


class ScriptedProvider:
    """A ChatProvider playing a script: a ProviderError to raise, a delay (s) to hang, an exception, or an answer."""

    def __init__(self, name: str, *script: object) -> None:
        self.name, self.model = name, f"{name}-model"
        self.script = list(script)
        self.timeouts: list[float] = []

    async def complete(
        self, system: str, turns: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int, timeout_s: float
    ) -> Completion:
        self.timeouts.append(timeout_s)
        step = self.script.pop(0) if self.script else "ok"
        if isinstance(step, Kind):
            raise ProviderError(step, self.name)
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, float):
            await asyncio.sleep(step)
        return Completion(
            f"{self.name} says {step}", [], StopReason.END, Usage(1, 1), self.name, self.model, 0.01, (self.name,)
        )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("kind", list(Kind))
async def test_every_failure_kind_moves_on_to_the_next_provider(kind: Kind):
    first, second = ScriptedProvider("claude", kind), ScriptedProvider("gpt")
    completion = await FailoverChain([first, second]).complete("", ASK, [], max_tokens=10, timeout_s=5)
    assert completion.provider == "gpt" and completion.attempts == ("claude", "gpt")
    assert first.script == [] and len(first.timeouts) == 1  # no retry on the failed provider


async def test_the_first_healthy_provider_answers_alone():
    first, second = ScriptedProvider("claude"), ScriptedProvider("gpt")
    completion = await FailoverChain([first, second]).complete("", ASK, [], max_tokens=10, timeout_s=5)
    assert completion.provider == "claude" and completion.attempts == ("claude",) and second.timeouts == []


async def test_all_failing_raises_with_each_error_in_order():
    chain = FailoverChain([ScriptedProvider("claude", Kind.OVERLOADED), ScriptedProvider("gpt", Kind.QUOTA)])
    with pytest.raises(AllProvidersFailed) as caught:
        await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)
    assert [(e.provider, e.kind) for e in caught.value.errors] == [("claude", Kind.OVERLOADED), ("gpt", Kind.QUOTA)]
    assert caught.value.kind is Kind.QUOTA and caught.value.provider == "chain"


async def test_no_providers_is_not_configured():
    with pytest.raises(AllProvidersFailed) as caught:
        await FailoverChain([]).complete("", ASK, [], max_tokens=10, timeout_s=5)
    assert caught.value.kind is Kind.NOT_CONFIGURED and caught.value.errors == []


async def test_an_open_breaker_is_skipped_then_tried_again_after_the_cool_down():
    clock = Clock()
    first = ScriptedProvider("claude", Kind.SERVER, Kind.SERVER)
    chain = FailoverChain([first, ScriptedProvider("gpt")], failure_threshold=2, cooldown_s=10, clock=clock)
    for _ in range(2):
        await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)
    assert chain.breakers["claude"].state == BreakerState.OPEN
    assert (await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)).attempts == ("gpt",)
    assert len(first.timeouts) == 2
    clock.now = 10.0
    assert (await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)).provider == "claude"
    assert state_of(chain.breakers["claude"]) is BreakerState.CLOSED


async def test_a_skipped_provider_is_reported_with_its_last_failure_kind():
    chain = FailoverChain([ScriptedProvider("claude", Kind.QUOTA), ScriptedProvider("gpt", Kind.SERVER, Kind.SERVER)])
    with pytest.raises(AllProvidersFailed):
        await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)
    with pytest.raises(AllProvidersFailed) as caught:
        await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)
    skipped, failed = caught.value.errors
    assert (skipped.provider, skipped.kind) == ("claude", Kind.QUOTA) and "circuit open" in str(skipped)
    assert (failed.provider, failed.kind) == ("gpt", Kind.SERVER)


async def test_a_hanging_provider_gets_a_share_of_the_budget_and_the_next_gets_the_rest():
    first, second = ScriptedProvider("claude", 5.0), ScriptedProvider("gpt")
    started = time.monotonic()
    completion = await FailoverChain([first, second], attempt_share=0.5, min_attempt_s=0.05).complete(
        "", ASK, [], max_tokens=10, timeout_s=0.4
    )
    assert completion.provider == "gpt" and time.monotonic() - started < 1.5  # not the 5 s hang (room for load)
    assert first.timeouts[0] == pytest.approx(0.2, abs=0.02)
    assert second.timeouts[0] == pytest.approx(0.2, abs=0.05)  # the last candidate gets all that remains


async def test_the_whole_call_never_outlives_the_budget():
    chain = FailoverChain([ScriptedProvider("claude", 5.0), ScriptedProvider("gpt", 5.0)])
    started = time.monotonic()
    with pytest.raises(AllProvidersFailed) as caught:
        await chain.complete("", ASK, [], max_tokens=10, timeout_s=0.5)
    assert time.monotonic() - started < 1.5  # both hang 5 s: the 0.5 s budget cut them (room for a loaded CI)
    assert [e.kind for e in caught.value.errors] == [Kind.TIMEOUT, Kind.TIMEOUT]


async def test_a_provider_breaking_its_contract_still_fails_over_without_leaking_the_exception():
    chain = FailoverChain([ScriptedProvider("claude", RuntimeError("secret-body")), ScriptedProvider("gpt", Kind.AUTH)])
    with pytest.raises(AllProvidersFailed) as caught:
        await chain.complete("", ASK, [], max_tokens=10, timeout_s=5)
    assert caught.value.errors[0].kind is Kind.SERVER and "secret-body" not in str(caught.value)


def test_provider_names_must_be_unique():
    with pytest.raises(ValueError):
        FailoverChain([ScriptedProvider("gpt"), ScriptedProvider("gpt")])
