"""Fixtures of the bot tests: interaction state on the real test Redis."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from adapters.redis.interaction_state import RedisInteractionState
from adapters.redis.keys import RedisKeys


@pytest.fixture
def interaction_state(redis_client: aioredis.Redis, redis_prefix: str) -> RedisInteractionState:
    """The bots' interaction state under this test's own Redis prefix."""
    return RedisInteractionState(redis_client, RedisKeys(redis_prefix), "test")
