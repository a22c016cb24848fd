"""Fixtures of the bot tests: interaction state on the real test Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from adapters.redis.interaction_state import RedisInteractionState
from adapters.redis.keys import RedisKeys


@pytest.fixture
def interaction_state(redis_client: aioredis.Redis, redis_prefix: str) -> RedisInteractionState:
    """The bots' interaction state under this test's own Redis prefix."""
    return RedisInteractionState(redis_client, RedisKeys(redis_prefix), "test")


@pytest.fixture
async def unreachable_state() -> AsyncIterator[RedisInteractionState]:
    """Interaction state on a Redis that is not there (a restart in progress)."""
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    yield RedisInteractionState(dead, RedisKeys("evt-dead:"), "test")
    await dead.aclose()
