"""Web push alerts end to end: outbox row -> dispatcher -> Redis stream -> DeliveryWorker -> WebPushSender -> the
push-service fake, which checks VAPID and decrypts the aes128gcm body with the browser's keys (real Postgres, Redis)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.postgres.alerts import PgAlertRules
from adapters.postgres.outbox import PgOutbox
from adapters.postgres.push_subscriptions import PgPushSubscriptions
from adapters.redis.alert_stream import AlertStream
from adapters.redis.keys import RedisKeys
from adapters.webpush import VapidKey, WebPushSender, new_vapid_key
from bot.delivery import DeliveryWorker
from core.alerts.webpush import parse_subscription, push_target
from evetrader.bootstrap.alerts import alert_dispatcher
from fakes.webpush import WebPushFake
from tests.adapters.postgres.test_alerts_eval import new_account, spec
from tests.adapters.postgres.test_outbox import insert_alert, status_of

pytestmark = pytest.mark.e2e
SUBJECT = "mailto:ops@evetrader.test"
PANEL = "https://panel.evetrader.test/alerts"


class Rig:
    """Postgres, Redis, the push fake, a VAPID key, and a worker for the webpush stream."""

    def __init__(self, pool: asyncpg.Pool, redis: aioredis.Redis, keys: RedisKeys, fake: WebPushFake) -> None:
        self.pool, self.redis, self.keys, self.fake = pool, redis, keys, fake
        self.vapid = new_vapid_key(SUBJECT)
        self.subscriptions = PgPushSubscriptions(pool)
        self.sender = WebPushSender(self.vapid, self.subscriptions, PANEL, timeout_s=5)
        self.sleeps: list[float] = []

    async def subscribe(self, account_id: int, server_key: str | None = None) -> tuple[int, dict[str, Any]]:
        """A browser subscribes with our (or another) VAPID key and the panel stores it; (id, subscription JSON)."""
        browser = self.fake.subscribe(server_key or self.vapid.public_key)
        stored = await self.subscriptions.add(account_id, parse_subscription(browser, allow_http=True), "Chrome")
        return stored, browser

    async def deliver(self) -> None:
        """Dispatch due rows, then let one worker take everything waiting on the webpush stream."""

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            await asyncio.sleep(seconds)

        await alert_dispatcher(self.pool, self.redis, self.keys).dispatch_due()
        stream = AlertStream(self.redis, self.keys, "webpush")
        worker = DeliveryWorker(stream, PgOutbox(self.pool), self.sender, consumer="one", names={34: "Tritanium"}.get,
                                sleep=sleep)  # fmt: skip
        await worker.process_once()


@pytest.fixture
async def rig(pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str) -> AsyncIterator[Rig]:
    async with WebPushFake() as fake:
        made = Rig(pg_pool, redis_client, RedisKeys(redis_prefix), fake)
        try:
            yield made
        finally:
            await made.sender.close()


async def test_an_alert_reaches_the_browser_encrypted_and_vapid_signed(rig: Rig) -> None:
    account = await new_account(rig.pool)
    sub_id, browser = await rig.subscribe(account)
    row = await insert_alert(rig.pool, account, push_target(sub_id))
    await rig.deliver()
    [message] = rig.fake.messages_to(browser["endpoint"])
    shown = message.json()
    assert shown["title"] == "EVE Trader alert: Tritanium price"
    assert shown["body"].startswith("Tritanium sell at Jita fell below 4.50 ISK")
    assert (shown["url"], shown["tag"]) == (PANEL, f"evt-alert-{row}")
    assert message.claims["aud"] == rig.fake.url and message.claims["sub"] == SUBJECT
    assert message.headers["Authorization"].startswith("vapid t=") and message.ttl > 0
    status = await status_of(rig.pool, row)
    assert status["status"] == "sent" and status["delivered_ref"].startswith(f"{rig.fake.url}/message/")


async def test_a_gone_subscription_is_removed_and_its_rules_paused(rig: Rig) -> None:
    account = await new_account(rig.pool)
    sub_id, browser = await rig.subscribe(account)
    rule = await PgAlertRules(rig.pool).add(account, replace(spec(), target=push_target(sub_id)))
    row = await insert_alert(rig.pool, account, push_target(sub_id), rule_id=rule.id)
    later = await insert_alert(rig.pool, account, push_target(sub_id), rule_id=rule.id)
    rig.fake.expire(browser["endpoint"])
    await rig.deliver()
    assert rig.fake.messages == [] and rig.fake.attempts == 1  # the second row is dropped, not tried
    assert await rig.subscriptions.get(sub_id) is None
    assert [(await status_of(rig.pool, r))["status"] for r in (row, later)] == ["disabled", "disabled"]
    [stored] = await PgAlertRules(rig.pool).list_for(account)
    assert stored.active is False


async def test_a_short_429_is_waited_out_as_retry_after_says(rig: Rig) -> None:
    account = await new_account(rig.pool)
    sub_id, browser = await rig.subscribe(account)
    row = await insert_alert(rig.pool, account, push_target(sub_id))
    rig.fake.throttle(browser["endpoint"], retry_after=1)
    await rig.deliver()
    assert rig.sleeps == [1.0] and len(rig.fake.messages) == 1
    assert (await status_of(rig.pool, row))["status"] == "sent"


async def test_a_long_429_puts_the_row_back_until_retry_after(rig: Rig) -> None:
    account = await new_account(rig.pool)
    sub_id, browser = await rig.subscribe(account)
    row = await insert_alert(rig.pool, account, push_target(sub_id))
    rig.fake.throttle(browser["endpoint"], retry_after=3600)
    before = datetime.now(UTC)
    await rig.deliver()
    status = await status_of(rig.pool, row)
    assert status["status"] == "pending" and rig.fake.messages == [] and rig.sleeps == []
    assert before + timedelta(seconds=3590) < status["not_before"] < before + timedelta(seconds=3700)


async def test_a_subscription_made_with_another_vapid_key_is_refused_and_given_up(rig: Rig) -> None:
    account = await new_account(rig.pool)
    sub_id, _ = await rig.subscribe(account, server_key=new_vapid_key().public_key)
    row = await insert_alert(rig.pool, account, push_target(sub_id))
    await rig.deliver()
    status = await status_of(rig.pool, row)
    assert rig.fake.messages == [] and status["status"] == "failed" and "403" in status["last_error"]
    assert await rig.subscriptions.get(sub_id) is not None  # a key problem is ours: the subscription stays


def test_the_vapid_setting_round_trips() -> None:
    key = new_vapid_key(SUBJECT)
    again = VapidKey.from_setting(key.private_setting, SUBJECT)
    assert again.public_key == key.public_key and len(key.private_setting) == 43
