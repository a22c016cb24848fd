"""Alert delivery metrics: the dispatcher exports the outbox lag, each delivery worker counts its outcomes."""

from __future__ import annotations

import asyncpg
import pytest
import redis.asyncio as aioredis
from prometheus_client import REGISTRY

from adapters.redis.keys import RedisKeys
from evetrader.bootstrap.alerts import alert_dispatcher
from tests.adapters.postgres.test_alerts_eval import new_account
from tests.adapters.postgres.test_outbox import insert_alert
from tests.bot.test_delivery_e2e import TG_CHAT, Rig, rig  # noqa: F401 (rig: the fixture)

pytestmark = pytest.mark.integration


def lag() -> float:
    """The exported outbox lag."""
    return float(REGISTRY.get_sample_value("evetrader_outbox_lag_seconds") or 0.0)


async def test_outbox_lag_is_the_age_of_the_oldest_undelivered_due_row(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    account = await new_account(pg_pool)
    row = await insert_alert(pg_pool, account, TG_CHAT)
    await pg_pool.execute("UPDATE alert_outbox SET created_at = now() - interval '300 seconds' WHERE id = $1", row)
    later = await insert_alert(pg_pool, account, TG_CHAT)  # waiting for quiet hours to end: not late yet
    await pg_pool.execute("UPDATE alert_outbox SET not_before = now() + interval '1 hour' WHERE id = $1", later)
    dispatcher = alert_dispatcher(pg_pool, redis_client, RedisKeys(redis_prefix))
    assert await dispatcher.dispatch_due() == 1
    assert 299 <= lag() < 3600  # queued, not delivered: still lagging
    await pg_pool.execute("UPDATE alert_outbox SET status = 'sent', delivered_at = now() WHERE id = $1", row)
    await dispatcher.dispatch_due()
    assert lag() == 0.0


async def test_each_delivery_outcome_is_counted_by_platform(rig: Rig) -> None:  # noqa: F811
    def sent() -> float:
        labels = {"platform": "telegram", "outcome": "sent"}
        return float(REGISTRY.get_sample_value("evetrader_alert_deliveries_total", labels) or 0.0)

    before = sent()
    account = await new_account(rig.pool)
    await insert_alert(rig.pool, account, TG_CHAT)
    await rig.deliver("telegram")
    assert sent() == before + 1
