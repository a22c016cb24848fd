"""build_provider: which providers are configured, in which order, with which models."""

from __future__ import annotations

import typing

import anthropic.types
import openai.types
import pytest

from adapters.ai import (
    DEFAULT_ANTHROPIC_MODEL,
    DEFAULT_OPENAI_MODEL,
    AnthropicProvider,
    LazyChain,
    OpenAIProvider,
    build_provider,
)
from core.analysis.chain import FailoverChain
from core.analysis.provider import Turn
from fakes.ai import AnthropicFake, OpenAIFake
from tests.adapters.ai.conftest import ANTHROPIC_KEY, OPENAI_KEY


def test_no_key_means_no_provider():
    assert build_provider() is None
    assert build_provider(anthropic_api_key="", openai_api_key=None) is None


async def test_claude_comes_before_gpt_with_the_default_models():
    chain = build_provider(
        anthropic_api_key=ANTHROPIC_KEY, openai_api_key=OPENAI_KEY, failure_threshold=5, cooldown_s=9
    )
    assert isinstance(chain, FailoverChain)
    try:
        claude, gpt = chain.providers
        assert isinstance(claude, AnthropicProvider) and isinstance(gpt, OpenAIProvider)
        assert (claude.model, gpt.model) == (DEFAULT_ANTHROPIC_MODEL, DEFAULT_OPENAI_MODEL)
        assert chain.breakers["anthropic"].failure_threshold == 5 and chain.breakers["openai"].cooldown_s == 9
    finally:
        await chain.close()


async def test_one_key_gives_a_chain_of_one(openai_fake: OpenAIFake):
    chain = build_provider(
        openai_api_key=OPENAI_KEY, openai_base_url=openai_fake.url + "/v1", openai_model="gpt-5-mini"
    )
    assert chain is not None
    try:
        [gpt] = chain.providers
        assert gpt.name == "openai" and gpt.model == "gpt-5-mini"
    finally:
        await chain.close()


@pytest.mark.e2e
async def test_the_built_chain_answers_through_the_fakes(anthropic_fake: AnthropicFake, openai_fake: OpenAIFake):
    chain = build_provider(
        anthropic_api_key=ANTHROPIC_KEY,
        anthropic_base_url=anthropic_fake.url,
        openai_api_key=OPENAI_KEY,
        openai_base_url=openai_fake.url + "/v1",
    )
    assert chain is not None
    anthropic_fake.reply_error("overloaded")
    try:
        completion = await chain.complete("sys", [Turn("user", "hi")], [], max_tokens=20, timeout_s=5)
    finally:
        await chain.close()
    assert completion.provider == "openai" and completion.attempts == ("anthropic", "openai")
    assert anthropic_fake.requests[0].body["model"] == DEFAULT_ANTHROPIC_MODEL
    assert openai_fake.requests[0].body["model"] == DEFAULT_OPENAI_MODEL


def test_default_models_are_ones_the_installed_sdks_list():
    claude_models = typing.get_args(typing.get_args(anthropic.types.ModelParam)[0])
    gpt_models = typing.get_args(openai.types.ChatModel)
    assert DEFAULT_ANTHROPIC_MODEL in claude_models and "sonnet" in DEFAULT_ANTHROPIC_MODEL
    assert DEFAULT_OPENAI_MODEL in gpt_models and "mini" in DEFAULT_OPENAI_MODEL


def test_a_lazy_chain_needs_a_key_and_names_its_models_before_it_is_built():
    assert LazyChain.configured(anthropic_api_key=None, openai_api_key="") is None
    lazy = LazyChain.configured(anthropic_api_key=ANTHROPIC_KEY, openai_api_key=OPENAI_KEY, openai_model="gpt-5-mini")
    assert lazy is not None and lazy.name == "chain"
    assert lazy.model == f"{DEFAULT_ANTHROPIC_MODEL},gpt-5-mini"


async def test_a_lazy_chain_builds_the_providers_on_its_first_completion_only(openai_fake: OpenAIFake):
    lazy = LazyChain(openai_api_key=OPENAI_KEY, openai_base_url=openai_fake.url + "/v1", failure_threshold=2)
    assert lazy._chain is None  # nothing built (no SDK client) until a question comes
    try:
        first = await lazy.complete("sys", [Turn("user", "hi")], [], max_tokens=20, timeout_s=5)
        chain = lazy._chain
        second = await lazy.complete("sys", [Turn("user", "again")], [], max_tokens=20, timeout_s=5)
    finally:
        await lazy.close()
    assert chain is not None and lazy._chain is chain and chain.breakers["openai"].failure_threshold == 2
    assert first.provider == second.provider == "openai" and len(openai_fake.requests) == 2
