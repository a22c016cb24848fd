"""Redis stopped for 30 s under `evetrader run` and a split deployment (`serve scheduler` in queue mode, `serve
worker`, `serve web`, `serve bot` on the Telegram fake): every process stays up, /healthz answers, the panel serves
pages (its rate limiter fails open), /price answers from Postgres, ingestion resumes once Redis is back, and an alert
that fired during the outage (its outbox row could not reach the stream then) is delivered exactly once after."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from adapters.embedded import EmbeddedRedis
from adapters.postgres.pool import create_pool
from core.alerts.model import AlertTarget, TargetKind
from fakes.esi import EsiFake
from fakes.telegram import TelegramFake
from tests.adapters.postgres.test_alerts_eval import new_account
from tests.adapters.postgres.test_outbox import insert_alert
from tests.reliability.conftest import AMARR, Service, free_port, newest_generation, service_env, wait_for_generation

OUTAGE_S = 30.0
AMARR_STATION = 60008494
TOKEN = "123456:TEST-token"
TRADER, ALERTED = 7, 9  # Telegram users: one sends /price, the other only gets the alert (in their private chat)


async def status(url: str) -> int:
    """The HTTP status of a GET."""
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as http, http.get(url, allow_redirects=False) as response:
        return response.status


def sent_to(telegram: TelegramFake, chat_id: int) -> list[str]:
    """The texts of the messages the bot sent to one chat, oldest first."""
    return [str(c.params["text"]) for c in telegram.calls_of("sendMessage") if str(c.params["chat_id"]) == str(chat_id)]


async def until_sent(telegram: TelegramFake, chat_id: int, count: int, limit_s: float) -> list[str]:
    """Wait until the bot sent `count` messages to the chat; the texts."""
    async with asyncio.timeout(limit_s), telegram.api.changed:
        await telegram.api.changed.wait_for(lambda: len(sent_to(telegram, chat_id)) >= count)
    return sent_to(telegram, chat_id)


async def reply_to(telegram: TelegramFake, text: str, user_id: int) -> str:
    """Send `text` as `user_id` in their private chat; the bot's next message there."""
    before = len(sent_to(telegram, user_id))
    telegram.push_message(text, chat_id=user_id, user_id=user_id)
    return (await until_sent(telegram, user_id, before + 1, 60))[before]


def assert_quoted(reply: str, quote: dict[str, Any]) -> None:
    """A /price reply with the item's Amarr prices (they move between snapshots: any figures will do)."""
    assert quote["name"] in reply and "<b>Sell</b>: " in reply and "<b>Buy</b>: " in reply, reply


async def amarr_quote(dsn: str) -> dict[str, Any]:
    """The most traded item at Amarr's hub station: its type id, name and best prices."""
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            "SELECT q.type_id, t.name, q.best_sell, q.best_buy FROM market_quotes q JOIN sde_types t USING (type_id)"
            " WHERE q.location_id = $1 AND q.best_sell IS NOT NULL AND q.best_buy IS NOT NULL"
            " ORDER BY q.sell_orders + q.buy_orders DESC LIMIT 1",
            AMARR_STATION,
        )
    finally:
        await conn.close()
    return dict(row)


async def fire_alert(dsn: str, user_id: int) -> int:
    """An alert fired for a Telegram user's private chat, as the evaluator writes it (a pending outbox row); its id."""
    pool = await create_pool(dsn, max_size=1)
    try:
        target = AlertTarget("telegram", TargetKind.DM, str(user_id))
        return await insert_alert(pool, await new_account(pool), target)
    finally:
        await pool.close()


async def outbox_status(dsn: str, outbox_id: int) -> str:
    """The delivery status of one outbox row."""
    conn = await asyncpg.connect(dsn)
    try:
        return str(await conn.fetchval("SELECT status FROM alert_outbox WHERE id = $1", outbox_id))
    finally:
        await conn.close()


async def test_every_service_survives_a_redis_outage_and_ingests_and_delivers_after(
    pg_dsn: str, other_pg_dsn: str, tmp_path: Path
) -> None:
    redis = EmbeddedRedis(tmp_path)
    redis_url = redis.start()
    port, web_port, web_ops, bot_ops = free_port(), free_port(), free_port(), free_port()
    services: list[Service] = []
    try:
        async with (
            EsiFake(regions={AMARR: 1_000}, cache_seconds=5, auto_refresh=True) as esi,
            TelegramFake(TOKEN) as telegram,
        ):
            single = service_env(
                pg_dsn, redis_url, esi.base_url, tmp_path / "run", INGEST_REGIONS=f"[{AMARR}]", WEB_PORT=str(port)
            )
            split = service_env(
                other_pg_dsn,
                redis_url,
                esi.base_url,
                tmp_path / "split",
                INGEST_REGIONS=f"[{AMARR}]",
                INGEST_MODE="queue",
            )
            web_env = split | {"WEB_PORT": str(web_port), "OPS_PORT": str(web_ops)}
            bot_env = split | {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE": telegram.url, "OPS_PORT": str(bot_ops)}
            services = [
                await Service("run", ["run"], single, tmp_path).start(),
                await Service("scheduler", ["serve", "scheduler"], split, tmp_path).start(),
                await Service("worker", ["serve", "worker"], split, tmp_path).start(),
                await Service("web", ["serve", "web"], web_env, tmp_path).start(),
                await Service("bot", ["serve", "bot"], bot_env, tmp_path).start(),
            ]
            before = {
                dsn: await wait_for_generation(dsn, AMARR, 0, services, limit_s=180) for dsn in (pg_dsn, other_pg_dsn)
            }
            quote = await amarr_quote(other_pg_dsn)
            price = f"/price {quote['name']} amarr"
            pages = [f"http://127.0.0.1:{web_port}{path}" for path in ("/", "/appraise")]
            health = [f"http://127.0.0.1:{p}/healthz" for p in (port, web_ops, bot_ops)]
            await telegram.wait_for("setMyCommands", timeout=60)
            assert_quoted(await reply_to(telegram, price, TRADER), quote)
            assert [await status(url) for url in health + pages] == [200] * 5

            redis.close()  # Redis stops (and saves): every service loses it for OUTAGE_S
            loop = asyncio.get_running_loop()
            until = loop.time() + OUTAGE_S
            alert = await fire_alert(other_pg_dsn, ALERTED)  # pending: the scheduler cannot put it on the stream
            assert_quoted(await reply_to(telegram, price, TRADER), quote)  # from Postgres (the quote cache is away)
            assert [await status(url) for url in health + pages] == [200] * 5  # the rate limiter lets pages through
            while loop.time() < until:
                dead = [s for s in services if not s.alive]
                assert not dead, "\n".join(s.tail() for s in dead)
                await asyncio.sleep(1)
            assert [await status(url) for url in health] == [200] * 3
            assert sent_to(telegram, ALERTED) == []  # nothing delivers the alert while Redis is away
            generations = {dsn: await newest_generation(dsn, AMARR) for dsn in before}
            redis.start()  # the same socket again

            await until_sent(telegram, ALERTED, 1, 120)
            for dsn in before:
                await wait_for_generation(dsn, AMARR, generations[dsn], services, limit_s=120)
            assert_quoted(await reply_to(telegram, price, TRADER), quote)
            assert [await status(url) for url in health + pages] == [200] * 5
            assert await outbox_status(other_pg_dsn, alert) == "sent"
            assert len(sent_to(telegram, ALERTED)) == 1  # once, however often the scheduler retried the stream
            assert all(s.alive for s in services), "\n".join(s.tail() for s in services)
    finally:
        codes = [await s.stop() for s in services]
        redis.close()
    assert codes == [0] * 5, "\n".join(s.tail() for s in services)
