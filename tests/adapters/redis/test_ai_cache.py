"""RedisAnswerCache against a real Redis: 1 h answers, one computing process at a time, the others wait for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import redis.asyncio as aioredis

from adapters.redis.ai_cache import RedisAnswerCache
from adapters.redis.keys import RedisKeys
from core.analysis.analyst import Analyst, Answer
from core.analysis.ports import CachedAnswer
from core.chat.model import SourceAge
from tests.core.analysis.test_analyst import EchoTools, ScriptedProvider, reply, request

pytestmark = pytest.mark.integration
AS_OF = datetime(2025, 5, 20, 11, 30, tzinfo=UTC)
READ = (SourceAge("Amarr orders", AS_OF, "market_orders", 10000043), SourceAge("history", None, "history", None))
ANSWER = CachedAnswer("Buy the dip.", "anthropic", "claude-sonnet-4-5", AS_OF, 2, READ)


async def test_answers_round_trip_with_their_ttl(redis_client: aioredis.Redis, redis_prefix: str) -> None:
    keys = RedisKeys(redis_prefix)
    cache = RedisAnswerCache(redis_client, keys)
    assert await cache.get("k1") is None
    await cache.put("k1", ANSWER, 3600)
    got = await cache.get("k1")
    assert got == ANSWER
    assert [source.as_data() for source in got.sources] == [source.as_data() for source in READ]  # kind and id too
    assert keys.ai_answer("k1") == f"{redis_prefix}cache:ai:k1"
    assert 3590_000 < await redis_client.pttl(keys.ai_answer("k1")) <= 3600_000
    await redis_client.set(keys.ai_answer("bad"), b"not json")
    assert await cache.get("bad") is None
    older = b'{"text": "t", "provider": "p", "model": "m", "created_at": "2025-05-20T11:30:00+00:00", "tool_calls": 1}'
    await redis_client.set(keys.ai_answer("older"), older)  # cached before answers kept their tools' sources
    assert await cache.get("older") == CachedAnswer("t", "p", "m", AS_OF, 1)


async def test_one_process_leads_the_other_waits_for_its_answer(
    redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    keys = RedisKeys(redis_prefix)
    first, second = RedisAnswerCache(redis_client, keys, poll_s=0.01), RedisAnswerCache(redis_client, keys, poll_s=0.01)
    assert await first.lead("k", 5)
    assert not await second.lead("k", 5)
    assert await redis_client.exists(keys.ai_flight("k"))

    async def finish() -> None:
        await asyncio.sleep(0.05)
        await first.put("k", ANSWER, 60)
        await first.done("k")

    waited, _ = await asyncio.gather(second.wait("k", 2.0), finish())
    assert waited == ANSWER
    assert not await redis_client.exists(keys.ai_flight("k"))
    assert await second.lead("k", 5)  # free again


async def test_a_waiter_stops_when_the_leader_gives_up_or_time_runs_out(
    redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    keys = RedisKeys(redis_prefix)
    leader, waiter = RedisAnswerCache(redis_client, keys), RedisAnswerCache(redis_client, keys, poll_s=0.01)
    assert await leader.lead("k", 5)
    assert await waiter.wait("k", 0.05) is None  # still held: times out
    await leader.done("k")  # gave up without an answer
    started = asyncio.get_running_loop().time()
    assert await waiter.wait("k", 2.0) is None
    assert asyncio.get_running_loop().time() - started < 0.5


async def test_redis_down_reads_as_a_miss_and_everyone_computes() -> None:
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    cache = RedisAnswerCache(dead, RedisKeys("evt-dead:"))
    assert await cache.get("k") is None
    await cache.put("k", ANSWER, 60)
    assert await cache.lead("k", 5)
    await cache.done("k")
    assert await cache.wait("k", 0.1) is None
    await dead.aclose()


async def test_two_processes_asking_the_same_question_make_one_provider_call(redis_url: str, redis_prefix: str) -> None:
    """Two analysts with their own Redis clients (as two processes would have) share one answer."""
    clients = [aioredis.from_url(redis_url), aioredis.from_url(redis_url)]
    provider = ScriptedProvider([reply("Once.")], delay_s=0.1)
    analysts = [
        Analyst(provider, cache=RedisAnswerCache(client, RedisKeys(redis_prefix), poll_s=0.01)) for client in clients
    ]
    answers = await asyncio.gather(*(analyst.answer(request(), EchoTools()) for analyst in analysts))
    assert len(provider.requests) == 1
    assert sorted((a.text, a.cached) for a in answers if isinstance(a, Answer)) == [("Once.", False), ("Once.", True)]
    for client in clients:
        await client.aclose()
