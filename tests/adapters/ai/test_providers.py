"""What both providers (real SDKs) must do alike against their fakes: stops, error kinds, timeouts, refusals, keys."""

from __future__ import annotations

import time
from typing import Any

import pytest

from core.analysis.provider import ProviderError, ProviderErrorKind, StopReason, Turn
from tests.adapters.ai.conftest import Case, failure_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("case", "raw_stop", "expected"),
    [
        ("anthropic", "end_turn", StopReason.END),
        ("anthropic", "max_tokens", StopReason.MAX_TOKENS),
        ("anthropic", "stop_sequence", StopReason.END),
        ("openai", "length", StopReason.MAX_TOKENS),
    ],
    indirect=["case"],
)
async def test_stop_reasons_map(case: Case, raw_stop: str, expected: StopReason):
    stop: dict[str, Any] = {case.vendor.stop_field: raw_stop}
    case.fake.reply_text("Partial answer", **stop)
    completion = await case.provider.complete("", [Turn("user", "hi")], [], max_tokens=5, timeout_s=5)
    assert completion.stop is expected and completion.text == "Partial answer"


@pytest.mark.parametrize(
    ("case", "error", "kind"),
    [
        ("anthropic", "overloaded", ProviderErrorKind.OVERLOADED),
        ("anthropic", "rate_limit", ProviderErrorKind.RATE_LIMITED),
        ("anthropic", "spend_limit", ProviderErrorKind.QUOTA),
        ("anthropic", "api_error", ProviderErrorKind.SERVER),
        ("anthropic", "authentication", ProviderErrorKind.AUTH),
        ("anthropic", "invalid_request", ProviderErrorKind.BAD_REQUEST),
        ("openai", "rate_limit_exceeded", ProviderErrorKind.RATE_LIMITED),
        ("openai", "insufficient_quota", ProviderErrorKind.QUOTA),
        ("openai", "server_error", ProviderErrorKind.SERVER),
        ("openai", "unavailable", ProviderErrorKind.SERVER),
        ("openai", "invalid_api_key", ProviderErrorKind.AUTH),
    ],
    indirect=["case"],
)
async def test_each_error_maps_to_its_kind_without_retry(case: Case, error: str, kind: ProviderErrorKind):
    case.fake.reply_error(error, retry_after=0)
    with pytest.raises(ProviderError) as caught:
        await case.provider.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=5)
    assert caught.value.kind is kind and caught.value.provider == case.vendor.name
    assert len(case.fake.requests) == 1  # max_retries=0: the chain, not the SDK, decides what happens next


async def test_a_slow_answer_is_a_timeout(case: Case):
    case.fake.reply_text("too late", delay_s=2.0)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await case.provider.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=0.3)
    assert caught.value.kind is ProviderErrorKind.TIMEOUT
    assert time.monotonic() - started < 1.0


async def test_connection_refused_is_a_connection_error(case: Case, refused_url: str):
    failure = await failure_of(case.vendor.build(refused_url))
    assert failure.kind is ProviderErrorKind.CONNECTION


async def test_a_wrong_key_is_auth_and_neither_the_key_nor_the_fakes_message_reach_the_error(case: Case):
    failure = await failure_of(case.vendor.build(case.fake.url, api_key=case.vendor.wrong_key))
    assert failure.kind is ProviderErrorKind.AUTH
    assert case.vendor.wrong_key not in str(failure)
    for leak in case.vendor.leaks:
        assert leak not in str(failure)
