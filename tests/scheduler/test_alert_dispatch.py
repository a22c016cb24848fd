"""AlertDispatcher against real Postgres and Redis: due rows reach their platform's stream once, even when the
dispatcher runs twice, runs concurrently or crashes midway; rows waiting for quiet hours wait; stuck rows return."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.redis.alert_stream import AlertStream
from adapters.redis.keys import RedisKeys
from core.alerts.model import AlertTarget, TargetKind
from evetrader.bootstrap.alerts import alert_dispatcher
from tests.adapters.postgres.test_alerts_eval import new_account
from tests.adapters.postgres.test_outbox import insert_alert, status_of

pytestmark = pytest.mark.integration
TG = AlertTarget("telegram", TargetKind.CHAT, "4242")
DC = AlertTarget("discord", TargetKind.DM, "777")
MAIL = AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")


async def stream_ids(redis_client: aioredis.Redis, prefix: str, platform: str) -> list[int]:
    """The outbox ids on a platform's stream, in order."""
    entries: Any = await redis_client.xrange(f"{prefix}stream:alerts:{platform}")
    return [int(fields[b"outbox_id"]) for _, fields in entries]


class CrashingStream(AlertStream):
    """Adds its entries for real, then the process 'dies' right after the first one."""

    async def add_once(self, outbox_id: int, seq: int) -> str | None:
        added = await super().add_once(outbox_id, seq)
        raise ConnectionError(f"crashed after adding {outbox_id} ({added})")


async def test_due_rows_go_to_their_platform_stream_once(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    account = await new_account(pg_pool)
    tg, dc, mail = [await insert_alert(pg_pool, account, target) for target in (TG, DC, MAIL)]
    dispatcher = alert_dispatcher(pg_pool, redis_client, RedisKeys(redis_prefix))
    assert await dispatcher.dispatch_due() == 3
    assert await dispatcher.dispatch_due() == 0
    again = alert_dispatcher(pg_pool, redis_client, RedisKeys(redis_prefix), batch=1)
    assert list(await asyncio.gather(again.dispatch_due(), dispatcher.dispatch_due())) == [0, 0]
    assert [await stream_ids(redis_client, redis_prefix, p) for p in ("telegram", "discord", "email")] == [
        [tg],
        [dc],
        [mail],
    ]
    assert {(await status_of(pg_pool, row))["status"] for row in (tg, dc, mail)} == {"queued"}


async def test_a_crash_midway_leaves_nothing_lost_and_nothing_doubled(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    account = await new_account(pg_pool)
    rows = [await insert_alert(pg_pool, account, TG) for _ in range(3)]
    keys = RedisKeys(redis_prefix)
    crashing = alert_dispatcher(pg_pool, redis_client, keys)
    crashing._streams["telegram"] = CrashingStream(redis_client, keys, "telegram")
    with pytest.raises(ConnectionError):
        await crashing.dispatch_due()
    assert [(await status_of(pg_pool, row))["status"] for row in rows] == ["pending"] * 3
    assert await stream_ids(redis_client, redis_prefix, "telegram") == rows[:1]
    assert await alert_dispatcher(pg_pool, redis_client, keys, batch=2).dispatch_due() == 3
    assert await stream_ids(redis_client, redis_prefix, "telegram") == rows


async def test_rows_wait_for_not_before_and_stuck_rows_are_queued_again(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    now = datetime.now(UTC)
    account = await new_account(pg_pool)
    quiet = await insert_alert(pg_pool, account, DC, not_before=now + timedelta(hours=7))
    dispatcher = alert_dispatcher(pg_pool, redis_client, RedisKeys(redis_prefix), stuck_after=timedelta(minutes=10))
    assert await dispatcher.dispatch_due(now) == 0
    assert await dispatcher.dispatch_due(now + timedelta(hours=7)) == 1
    assert await dispatcher.dispatch_due(now + timedelta(hours=7, minutes=5)) == 0
    assert await dispatcher.dispatch_due(now + timedelta(hours=7, minutes=11)) == 1  # the entry was lost: again
    assert await stream_ids(redis_client, redis_prefix, "discord") == [quiet, quiet]
    assert (await status_of(pg_pool, quiet))["dispatch_seq"] == 2
