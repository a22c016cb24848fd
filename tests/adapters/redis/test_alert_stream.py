"""AlertStream against real Redis: add at most once per (row, seq), group reads, acks, reclaim of a dead consumer's."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from adapters.redis.alert_stream import GROUP, AlertStream
from adapters.redis.keys import RedisKeys

pytestmark = pytest.mark.integration


def stream(redis_client: aioredis.Redis, prefix: str, platform: str = "discord", idle_ms: int = 50) -> AlertStream:
    """A platform's stream under the test's prefix, reclaiming after `idle_ms`."""
    return AlertStream(redis_client, RedisKeys(prefix), platform, reclaim_idle_ms=idle_ms)


async def test_each_row_and_sequence_is_added_once_per_platform_stream(
    redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    discord, telegram = stream(redis_client, redis_prefix), stream(redis_client, redis_prefix, "telegram")
    assert discord.key == f"{redis_prefix}stream:alerts:discord"
    assert await discord.add_once(7, 1) is not None
    assert await discord.add_once(7, 1) is None
    assert await discord.add_once(7, 2) is not None  # a requeue of a stuck row is a new entry
    assert await telegram.add_once(7, 1) is not None
    assert (await discord.length(), await telegram.length()) == (2, 1)


async def test_a_group_reads_each_entry_once_and_ack_clears_it(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    alerts = stream(redis_client, redis_prefix)
    await alerts.add_once(1, 1)  # before the group exists: the group still starts at the beginning
    await alerts.ensure_group()
    await alerts.ensure_group()  # idempotent
    await alerts.add_once(2, 1)
    first = await alerts.read("a", count=10, block_ms=0)
    assert [entry.outbox_id for entry in first] == [1, 2]
    assert await alerts.read("b", count=10, block_ms=0) == []
    assert await alerts.pending() == 2
    for entry in first:
        await alerts.ack(entry.entry_id)
    assert await alerts.pending() == 0


async def test_a_dead_consumers_entries_are_reclaimed_after_the_idle_time(
    redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    alerts = stream(redis_client, redis_prefix, idle_ms=80)
    await alerts.ensure_group()
    await alerts.add_once(5, 1)
    [read] = await alerts.read("dead", block_ms=0)
    assert await alerts.reclaim("b") == []  # not idle long enough yet
    await asyncio.sleep(0.1)
    [taken] = await alerts.reclaim("b")
    assert (taken.entry_id, taken.outbox_id) == (read.entry_id, 5)
    owners = await redis_client.xpending_range(alerts.key, GROUP, min="-", max="+", count=10)
    assert [owner["consumer"] for owner in owners] == [b"b"]
    await alerts.ack(taken.entry_id)
    assert await alerts.reclaim("c") == []


async def test_a_read_blocks_until_an_entry_arrives(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    alerts = stream(redis_client, redis_prefix)
    await alerts.ensure_group()
    reader = asyncio.create_task(alerts.read("a", block_ms=2000))
    await asyncio.sleep(0.05)
    await alerts.add_once(9, 1)
    assert [entry.outbox_id for entry in await asyncio.wait_for(reader, 2)] == [9]
