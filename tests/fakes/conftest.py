"""Fixtures for the ESI fake's tests: a small fake, a controllable clock and a client session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from fakes.esi import EsiFake

SMALL = {10000002: 2_500, 10000043: 800, 19000001: 150}


class Clock:
    """A manual clock for EsiFake(clock=...)."""

    def __init__(self, t: float = 1_780_000_000.0) -> None:
        """Start at `t` (epoch seconds)."""
        self.t = t

    def __call__(self) -> float:
        """Current fake time."""
        return self.t

    def tick(self, seconds: float) -> None:
        """Move time forward."""
        self.t += seconds


@pytest.fixture
def clock() -> Clock:
    """A fresh manual clock."""
    return Clock()


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[EsiFake]:
    """A started fake with small books."""
    async with EsiFake(regions=SMALL) as esi:
        yield esi


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session."""
    async with aiohttp.ClientSession() as session:
        yield session
