"""The whole alert chain in one process: /alert in Telegram -> ingest crosses it -> outbox -> stream -> the bot's
delivery worker -> exactly one message in the chat, also across a bot restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adapters.postgres.alerts_eval import PgAlertEvaluator
from core.alerts.evaluation import SnapshotAlerts
from evetrader.app import App
from evetrader.bootstrap.alerts import alert_dispatcher
from evetrader.bootstrap.chat import bot_deps, chat_deps
from evetrader.bot_service import BotService
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.esi import EsiFake
from fakes.telegram import TelegramFake
from tests.integration.test_alerts_after_ingest import JITA_REGION, JITA_STATION, Clock, refresh

TOKEN = "123456:CHAIN-token"
USER = 4242
pytestmark = pytest.mark.e2e


async def sent_to(telegram: TelegramFake, text: str) -> list[str]:
    return [c.params["text"] for c in telegram.calls_of("sendMessage") if text in c.params["text"]]


async def test_alert_made_in_telegram_arrives_once_after_the_crossing_ingest(
    pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    async with EsiFake(regions={JITA_REGION: 3_000}, cache_seconds=300) as esi, TelegramFake(TOKEN) as telegram:
        settings = load_settings(
            database_url=pg_dsn,
            redis_url=redis_url,
            redis_prefix=redis_prefix,
            data_dir=tmp_path,
            esi_base_url=esi.base_url,
            telegram_token=TOKEN,
            telegram_api_base=telegram.url,
        )
        async with App(settings) as app:
            await app.migrate()
            await ensure_static_data(app)
            clock = Clock()
            alerts = SnapshotAlerts(PgAlertEvaluator(app.pool), clock)
            await refresh(app, esi, clock, alerts)
            item = await app.pool.fetchrow(
                "SELECT t.name, q.best_sell FROM market_quotes q JOIN sde_types t USING (type_id)"
                " WHERE q.location_id = $1 AND q.best_sell IS NOT NULL AND t.name ~ '^[A-Za-z ]+$'"
                " ORDER BY q.sell_orders DESC, q.type_id LIMIT 1",
                JITA_STATION,
            )
            threshold = round(item["best_sell"] * 10, 2)
            deps = bot_deps(app, await chat_deps(app))
            bot = BotService(deps)
            await bot.start()
            try:
                telegram.push_message(f"/alert add {item['name']} sell below {threshold} jita", USER, USER)
                (created,) = await telegram.wait_for("sendMessage", timeout=30)
                assert "Alert" in created.params["text"], created.params["text"]

                esi.advance(JITA_REGION)
                clock.offset = timedelta(seconds=301)
                await refresh(app, esi, clock, alerts)  # the crossing snapshot: one outbox row
                assert await alert_dispatcher(app.pool, app.redis, app.keys).dispatch_due() == 1
                await telegram.wait_for("sendMessage", count=2, timeout=30)
            finally:
                await bot.stop()
            [alert] = await sent_to(telegram, "fell below")
            assert item["name"] in alert and str(USER) in str(telegram.calls_of("sendMessage")[-1].params["chat_id"])

            restarted = BotService(deps)  # a restart, and the dispatcher running again, send nothing new
            await restarted.start()
            try:
                assert await alert_dispatcher(app.pool, app.redis, app.keys).dispatch_due() == 0
                telegram.push_message("/alert list", USER, USER)
                await telegram.wait_for("sendMessage", count=3, timeout=30)
            finally:
                await restarted.stop()
            assert len(await sent_to(telegram, "fell below")) == 1
            status = await app.pool.fetchval("SELECT status FROM alert_outbox")
            assert status == "sent"
