"""Who delivers alerts: two `serve worker` processes with no chat token send e-mail and web push alerts, each row
once; the bot sends only its chat platforms' alerts; a stop cuts a hanging send short and its row keeps the lease."""

from __future__ import annotations

import asyncio
import os
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import cast

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.postgres.outbox import PgOutbox
from adapters.postgres.push_subscriptions import PgPushSubscriptions
from adapters.redis.alert_stream import AlertStream
from adapters.redis.keys import RedisKeys
from adapters.webpush import new_vapid_key
from bot.delivery import DeliveryWorker
from core.alerts.delivery import AlertText, Delivered, SendOutcome
from core.alerts.model import AlertTarget, TargetKind
from core.alerts.webpush import parse_subscription, push_target
from evetrader.alert_delivery import DELIVERY_GRACE_S, AlertDelivery, DeliveryEnded
from evetrader.app import App
from evetrader.bootstrap.alerts import alert_dispatcher
from evetrader.bootstrap.chat import bot_deps, chat_deps
from evetrader.bot_service import BotService
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.smtp import SmtpFake
from fakes.telegram import TelegramFake
from fakes.webpush import WebPushFake
from tests.adapters.postgres.test_alerts_eval import new_account
from tests.adapters.postgres.test_outbox import insert_alert, status_of
from tests.evetrader.test_serve_ops import fetch, free_port, serve, stop, until

pytestmark = pytest.mark.e2e
MAIL_FROM = "EVE Trader <alerts@evetrader.test>"
TOKEN = "123456:DELIVERY-token"


def mailbox(n: int) -> AlertTarget:
    return AlertTarget("email", TargetKind.EMAIL, f"pilot{n}@example.org")


async def import_static_data(pg_dsn: str, redis_url: str, redis_prefix: str, data_dir: Path) -> None:
    """The worker waits for static data (the scheduler imports it); import it here."""
    settings = load_settings(database_url=pg_dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=data_dir)
    async with App(settings) as app:
        await app.migrate()
        await ensure_static_data(app)


def sent_count(metrics: str, platform: str) -> float:
    """evetrader_alert_deliveries_total{platform, outcome="sent"} in a /metrics body (0 when absent)."""
    found = re.search(rf'evetrader_alert_deliveries_total\{{outcome="sent",platform="{platform}"\}} (\S+)', metrics)
    return float(found.group(1)) if found else 0.0


async def test_serve_worker_delivers_mail_and_push_once_without_a_chat_platform(
    pg_dsn: str, pg_pool: asyncpg.Pool, redis_url: str, redis_client: aioredis.Redis, redis_prefix: str, tmp_path: Path
) -> None:
    await import_static_data(pg_dsn, redis_url, redis_prefix, tmp_path)
    vapid = new_vapid_key("mailto:ops@evetrader.test")
    async with SmtpFake() as smtp, WebPushFake() as push:
        account = await new_account(pg_pool)
        browser = push.subscribe(vapid.public_key)
        sub = await PgPushSubscriptions(pg_pool).add(account, parse_subscription(browser, allow_http=True), "Chrome")
        mails = [await insert_alert(pg_pool, account, mailbox(n)) for n in range(6)]
        pushed = await insert_alert(pg_pool, account, push_target(sub))
        env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN")} | {
            "DATABASE_URL": pg_dsn,
            "REDIS_URL": redis_url,
            "EVETRADER_REDIS_PREFIX": redis_prefix,
            "EVETRADER_DATA_DIR": str(tmp_path),
            "ESI_BASE_URL": "http://127.0.0.1:9",
            "SMTP_URL": smtp.url,
            "SMTP_FROM": MAIL_FROM,
            "VAPID_PRIVATE_KEY": vapid.private_setting,
            "VAPID_SUBJECT": vapid.subject,
        }
        ports = [free_port(), free_port()]
        workers = [await serve("worker", env | {"OPS_PORT": str(port)}) for port in ports]  # two replicas
        try:
            for port in ports:
                _, ready = await until(port, "/readyz", lambda code, _: code == 200)
                joined = "consumer group joined"
                assert ready["checks"]["email-delivery"] == ready["checks"]["webpush-delivery"] == joined
                assert "discord" not in ready["checks"] and "telegram" not in ready["checks"]
            assert await alert_dispatcher(pg_pool, redis_client, RedisKeys(redis_prefix)).dispatch_due() == 7
            await smtp.wait_for(6, timeout=60)
            async with asyncio.timeout(60):
                while True:
                    if push.messages_to(browser["endpoint"]):
                        break
                    await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # time for a second send, if either replica were to make one
            bodies = [(await fetch(port, "/metrics"))[1] for port in ports]
        finally:
            logs = [await stop(worker) for worker in workers]  # SIGTERM: both exit 0
        assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(mailbox(n).address for n in range(6))
        assert len(push.messages) == 1
        for row in [*mails, pushed]:
            assert (await status_of(pg_pool, row))["status"] == "sent"
        assert sum(sent_count(body, "email") for body in bodies) == 6
        assert sum(sent_count(body, "webpush") for body in bodies) == 1
        assert vapid.private_setting not in "".join(logs)


async def test_the_bot_delivers_only_its_chat_platforms_alerts(
    pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    async with SmtpFake() as smtp, TelegramFake(TOKEN) as telegram:
        settings = load_settings(
            database_url=pg_dsn,
            redis_url=redis_url,
            redis_prefix=redis_prefix,
            data_dir=tmp_path,
            esi_base_url="http://127.0.0.1:9",
            telegram_token=TOKEN,
            telegram_api_base=telegram.url,
            smtp_url=smtp.url,
            smtp_from=MAIL_FROM,
        )
        async with App(settings) as app:
            await app.migrate()
            await ensure_static_data(app)
            account = await new_account(app.pool)
            chat_row = await insert_alert(app.pool, account, AlertTarget("telegram", TargetKind.CHAT, "4242"))
            mail_row = await insert_alert(app.pool, account, mailbox(1))
            bot = BotService(bot_deps(app, await chat_deps(app)))
            await bot.start()
            try:
                assert await alert_dispatcher(app.pool, app.redis, app.keys).dispatch_due() == 2
                await telegram.wait_for("sendMessage", timeout=30)
                await asyncio.sleep(1.0)
            finally:
                await bot.stop()
            assert (await status_of(app.pool, chat_row))["status"] == "sent"
            assert (await status_of(app.pool, mail_row))["status"] == "queued"  # left for the worker service
            assert smtp.messages == []


class HangingSender:
    """An e-mail sender whose server never answers (until `answer` is set)."""

    platform = "email"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.answer = asyncio.Event()

    async def send(self, target: AlertTarget, text: AlertText) -> SendOutcome:
        self.started.set()
        await self.answer.wait()
        return Delivered("ok")


async def test_a_stop_cuts_a_hanging_send_short_and_the_row_is_retried(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    keys = RedisKeys(redis_prefix)
    row = await insert_alert(pg_pool, await new_account(pg_pool), mailbox(1))
    await alert_dispatcher(pg_pool, redis_client, keys).dispatch_due()

    def worker(sender: HangingSender, consumer: str) -> DeliveryWorker:
        stream = AlertStream(redis_client, keys, "email", reclaim_idle_ms=100)
        return DeliveryWorker(stream, PgOutbox(pg_pool), sender, consumer=consumer, lease=timedelta(milliseconds=300))

    hanging, stopping = HangingSender(), asyncio.Event()
    running = asyncio.create_task(AlertDelivery([worker(hanging, "first")]).run(stopping))
    await asyncio.wait_for(hanging.started.wait(), 30)
    began = time.monotonic()
    stopping.set()
    await asyncio.wait_for(running, 30)
    assert time.monotonic() - began < DELIVERY_GRACE_S + 1.0
    cut = await status_of(pg_pool, row)
    assert (cut["status"], cut["lease_owner"]) == ("sending", "first")  # kept its lease: nobody marked it

    await asyncio.sleep(0.4)  # the lease runs out; another deliverer reclaims the entry and sends it
    answering = HangingSender()
    answering.answer.set()
    assert await worker(answering, "second").process_once() == 1
    assert (await status_of(pg_pool, row))["status"] == "sent"


class ReturningWorker:
    """A delivery worker whose loop returns at once (a bug: the real one only returns once stopped)."""

    sender = HangingSender()

    async def run(self, stop: asyncio.Event) -> None:
        return None


async def test_a_worker_that_ends_before_the_stop_ends_the_delivery_with_its_name() -> None:
    delivery = AlertDelivery([cast(DeliveryWorker, ReturningWorker())])
    with pytest.raises(DeliveryEnded, match=r"alerts-email ended \(returned\)"):
        await asyncio.wait_for(delivery.run(asyncio.Event()), 10)
