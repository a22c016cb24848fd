"""Fixtures for the AI adapters: Anthropic/OpenAI fakes and providers (real SDKs) pointed at them.

The fakes and providers live for the session (building an SDK client costs ~60 ms); each test gets them reset.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from adapters.ai import AnthropicProvider, OpenAIProvider
from core.analysis.provider import ProviderError, ToolSpec, Turn
from fakes.ai import AnthropicFake, OpenAIFake

ANTHROPIC_KEY = "sk-ant-api03-SECRETanthropicKEY-0123456789"
OPENAI_KEY = "sk-proj-SECRETopenaiKEY-0123456789abcdef"
PRICE_TOOL = ToolSpec(
    name="get_price",
    description="Best buy and sell price of an item at a hub",
    parameters={"type": "object", "properties": {"item": {"type": "string"}, "hub": {"type": "string"}}},
)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def _anthropic_server() -> AsyncIterator[AnthropicFake]:
    async with AnthropicFake(api_key=ANTHROPIC_KEY) as fake:
        yield fake


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def _openai_server() -> AsyncIterator[OpenAIFake]:
    async with OpenAIFake(api_key=OPENAI_KEY) as fake:
        yield fake


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def _claude(_anthropic_server: AnthropicFake) -> AsyncIterator[AnthropicProvider]:
    provider = AnthropicProvider(api_key=ANTHROPIC_KEY, model="claude-sonnet-5-5", base_url=_anthropic_server.url)
    yield provider
    await provider.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def _gpt(_openai_server: OpenAIFake) -> AsyncIterator[OpenAIProvider]:
    provider = OpenAIProvider(api_key=OPENAI_KEY, model="gpt-5.4-mini", base_url=_openai_server.url + "/v1")
    yield provider
    await provider.close()


@pytest.fixture
def anthropic_fake(_anthropic_server: AnthropicFake) -> AnthropicFake:
    """The Anthropic fake (expects ANTHROPIC_KEY), with no recorded requests and nothing queued."""
    _anthropic_server.reset()
    return _anthropic_server


@pytest.fixture
def openai_fake(_openai_server: OpenAIFake) -> OpenAIFake:
    """The OpenAI fake (expects OPENAI_KEY), with no recorded requests and nothing queued."""
    _openai_server.reset()
    return _openai_server


@pytest.fixture
def claude(_claude: AnthropicProvider, anthropic_fake: AnthropicFake) -> AnthropicProvider:
    """An AnthropicProvider on the (reset) fake, SDK retries off as in production."""
    return _claude


@pytest.fixture
def gpt(_gpt: OpenAIProvider, openai_fake: OpenAIFake) -> OpenAIProvider:
    """An OpenAIProvider on the (reset) fake (base URL with /v1), SDK retries off."""
    return _gpt


@pytest.fixture
def refused_url() -> str:
    """http://127.0.0.1:PORT where nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class Vendor:
    """What differs between Anthropic and OpenAI in the tests both providers run."""

    name: str
    provider_class: type[AnthropicProvider] | type[OpenAIProvider]
    key: str
    model: str
    api_path: str  # appended to the fake's URL: Anthropic's SDK adds /v1 itself, OpenAI's base includes it
    stop_field: str  # the fake's reply_text keyword for the raw stop reason
    wrong_key: str
    leaks: tuple[str, ...]  # what the fake's 401 says (its message, the key's tail): never in a ProviderError

    def build(self, base_url: str, api_key: str | None = None) -> AnthropicProvider | OpenAIProvider:
        """A provider of this vendor on `base_url` (a fake's url, or where nothing listens)."""
        return self.provider_class(api_key=api_key or self.key, model=self.model, base_url=base_url + self.api_path)


VENDORS = {
    "anthropic": Vendor(
        "anthropic",
        AnthropicProvider,
        ANTHROPIC_KEY,
        "claude-sonnet-5-5",
        "",
        "stop_reason",
        "sk-ant-api03-WRONGkey-9876543210",
        ("invalid x-api-key",),
    ),
    "openai": Vendor(
        "openai",
        OpenAIProvider,
        OPENAI_KEY,
        "gpt-5.4-mini",
        "/v1",
        "finish_reason",
        "sk-proj-WRONGkey-9876543210",
        ("Incorrect API key", "3210"),
    ),
}


@dataclass(frozen=True)
class Case:
    """One vendor under test: its session provider and its (reset) fake."""

    vendor: Vendor
    provider: AnthropicProvider | OpenAIProvider
    fake: AnthropicFake | OpenAIFake


@pytest.fixture(params=list(VENDORS))
def case(request: pytest.FixtureRequest) -> Case:
    """Each vendor in turn (parametrize it indirectly with a vendor name to pick one)."""
    vendor = VENDORS[request.param]
    provider, fake = ("claude", "anthropic_fake") if vendor.name == "anthropic" else ("gpt", "openai_fake")
    return Case(vendor, request.getfixturevalue(provider), request.getfixturevalue(fake))


async def failure_of(provider: AnthropicProvider | OpenAIProvider) -> ProviderError:
    """The ProviderError one call of a provider made for the test raises; the provider is closed after."""
    try:
        with pytest.raises(ProviderError) as caught:
            await provider.complete("", [Turn("user", "hi")], [], max_tokens=10, timeout_s=2)
    finally:
        await provider.close()
    return caught.value
