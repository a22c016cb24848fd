"""Alert delivery end to end: outbox rows in real Postgres -> dispatcher -> Redis streams -> DeliveryWorker with the
real discord.py and python-telegram-bot against their fakes (and aiosmtplib against the SMTP fake).

Exactly once across a consumer that dies between read and ack, a blocked bot or a deleted channel disabling the
target and telling the user elsewhere, and 429s retried after the delay the platform asked for.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import asyncpg
import discord
import pytest
import redis.asyncio as aioredis
import telegram

from adapters.mail import MailSettings, SmtpAlertSender
from adapters.postgres.alerts import PgAlertRules
from adapters.postgres.outbox import PgOutbox
from adapters.postgres.structure_markets import PgStructureMarkets
from adapters.redis.alert_stream import AlertStream
from adapters.redis.keys import RedisKeys
from bot.delivery import DeliveryWorker
from bot.discord.client import use_endpoints
from bot.discord.deliver import DiscordAlertSender
from bot.telegram.deliver import TelegramAlertSender
from core.accounts.tokens import TokenSubject
from core.alerts.delivery import AlertSender, nonce_for
from core.alerts.model import AlertTarget, TargetKind
from core.market.structures import StructureInfo
from evetrader.bootstrap.alerts import alert_dispatcher, delivery_worker
from fakes.discord import DiscordFake
from fakes.discord.records import Json
from fakes.smtp import SmtpFake
from fakes.telegram import TelegramFake
from scheduler.alert_dispatch import AlertDispatcher
from tests.adapters.postgres.test_alerts_eval import new_account, spec
from tests.adapters.postgres.test_outbox import insert_alert, status_of
from tests.core.alerts.test_message import PRICE

pytestmark = pytest.mark.e2e
DISCORD_TOKEN, TELEGRAM_TOKEN = "test-bot-token", "123456:TEST-token"
MESSAGES = "/channels/{channel}/messages"
USER_DM = AlertTarget("discord", TargetKind.DM, "777")
TG_CHAT = AlertTarget("telegram", TargetKind.CHAT, "4242")
NAMES = {34: "Tritanium"}
ALERT_TEXT = "Tritanium sell at Jita fell below 4.50 ISK: now 4.31 (-4.2%), as of 12:05 UTC"
SHORT_LEASE, IDLE_MS = timedelta(milliseconds=200), 150


class Killed(BaseException):
    """The process died here (not an Exception: nothing catches it)."""


class AlertDiscordFake(DiscordFake):
    """DiscordFake with views of what the bot showed where."""

    def __init__(self) -> None:
        super().__init__(DISCORD_TOKEN)

    def shown(self, channel_id: str | None = None) -> list[Json]:
        """Messages the bot created in channels (a DM's or a guild's), oldest first."""
        return [m for m in self.messages.values() if channel_id is None or m["channel_id"] == channel_id]

    @staticmethod
    def text_of(message: Json) -> str:
        """What a message shows: its embed's description (alerts and notices are embeds), else its content."""
        embeds = message.get("embeds") or []
        return str(embeds[0].get("description", "")) if embeds else str(message.get("content", ""))

    def dm_of(self, user_id: str) -> str:
        """The DM channel id of a user."""
        return str(next(c["id"] for c in self.dm_channels.values() if c["recipients"][0]["id"] == user_id))


@dataclass
class Rig:
    """Postgres, Redis, both fakes with real clients, the dispatcher, and workers made on demand."""

    pool: asyncpg.Pool
    redis: aioredis.Redis
    keys: RedisKeys
    discord_fake: AlertDiscordFake
    discord_client: discord.Client
    telegram_fake: TelegramFake
    telegram_bot: telegram.Bot
    sleeps: list[float] = field(default_factory=list)

    @property
    def dispatcher(self) -> AlertDispatcher:
        return alert_dispatcher(self.pool, self.redis, self.keys)

    def stream(self, platform: str) -> AlertStream:
        return AlertStream(self.redis, self.keys, platform, reclaim_idle_ms=IDLE_MS)

    def worker(self, platform: str, consumer: str = "one", sender: AlertSender | None = None, **options: Any) -> Any:
        senders: dict[str, AlertSender] = {
            "discord": DiscordAlertSender(self.discord_client),
            "telegram": TelegramAlertSender(self.telegram_bot),
        }

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            await asyncio.sleep(seconds)

        options = {"outbox": PgOutbox(self.pool), **options}
        return DeliveryWorker(
            self.stream(platform),
            options.pop("outbox"),
            sender or senders[platform],
            consumer=consumer,
            names=NAMES.get,
            notice_platforms={"discord", "telegram"},
            sleep=sleep,
            **options,
        )

    async def deliver(self, *platforms: str) -> None:
        """Dispatch due rows, then let a worker per platform take everything waiting."""
        await self.dispatcher.dispatch_due()
        for platform in platforms:
            await self.worker(platform).process_once()


@pytest.fixture
async def rig(pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str) -> AsyncIterator[Rig]:
    async with AlertDiscordFake() as discord_fake, TelegramFake(TELEGRAM_TOKEN) as telegram_fake:
        use_endpoints(discord_fake.api_base, discord_fake.gateway_url)
        client = discord.Client(intents=discord.Intents(guilds=True))
        await client.login(DISCORD_TOKEN)
        try:
            async with telegram.Bot(TELEGRAM_TOKEN, base_url=f"{telegram_fake.url}/bot") as bot:
                yield Rig(pg_pool, redis_client, RedisKeys(redis_prefix), discord_fake, client, telegram_fake, bot)
        finally:
            await client.close()
            use_endpoints()


async def test_an_outbox_row_becomes_one_discord_dm_and_one_telegram_message(rig: Rig) -> None:
    account = await new_account(rig.pool)
    dm, chat = await insert_alert(rig.pool, account, USER_DM), await insert_alert(rig.pool, account, TG_CHAT)
    await rig.deliver("discord", "telegram")
    await rig.deliver("discord", "telegram")  # nothing left: a second round sends nothing
    [shown] = rig.discord_fake.shown()
    assert shown["channel_id"] == rig.discord_fake.dm_of("777") and rig.discord_fake.text_of(shown).startswith(
        ALERT_TEXT
    )
    [post] = rig.discord_fake.requests_to(MESSAGES, "POST")
    assert (post.json["nonce"], post.json["enforce_nonce"]) == (nonce_for(dm), True)
    [sent] = rig.telegram_fake.calls_of("sendMessage")
    assert sent.params["chat_id"] == "4242" and f"</b>\n{ALERT_TEXT}" in sent.params["text"]
    rows = [await status_of(rig.pool, row) for row in (dm, chat)]
    assert [(r["status"], r["attempts"]) for r in rows] == [("sent", 1), ("sent", 1)]
    assert rows[0]["delivered_ref"] == shown["id"]
    assert await rig.stream("discord").pending() == await rig.stream("telegram").pending() == 0


PLATFORMS = {"discord": USER_DM, "telegram": TG_CHAT}


def sends(rig: Rig, platform: str) -> list[Any]:
    """What reached a platform: messages shown on Discord, sendMessage calls on Telegram."""
    return rig.discord_fake.shown() if platform == "discord" else rig.telegram_fake.calls_of("sendMessage")


async def test_a_consumer_that_dies_after_reading_leaves_it_to_another_exactly_once(rig: Rig) -> None:
    account = await new_account(rig.pool)
    rows = {platform: await insert_alert(rig.pool, account, target) for platform, target in PLATFORMS.items()}
    await rig.dispatcher.dispatch_due()
    for platform in PLATFORMS:
        stream = rig.stream(platform)
        await stream.ensure_group()
        [read] = await stream.read("dead", block_ms=0)  # read, never handled, never acked: the process died
        assert read.outbox_id == rows[platform]
        assert await rig.worker(platform, "restarted").process_once() == 0  # not idle long enough yet
    await asyncio.sleep(IDLE_MS / 1000 + 0.05)
    for platform in PLATFORMS:
        assert await rig.worker(platform, "restarted").process_once() == 1
    await asyncio.sleep(IDLE_MS / 1000 + 0.05)
    for platform, row in rows.items():
        assert await rig.worker(platform, "third").process_once() == 0
        assert len(sends(rig, platform)) == 1 and (await status_of(rig.pool, row))["status"] == "sent"
        assert await rig.stream(platform).pending() == 0


class AckKilled(AlertStream):
    """A stream whose consumer dies right before acking."""

    async def ack(self, entry_id: str) -> None:
        raise Killed


async def test_a_consumer_that_dies_between_send_and_ack_does_not_send_twice(rig: Rig) -> None:
    account = await new_account(rig.pool)
    rows = {platform: await insert_alert(rig.pool, account, target) for platform, target in PLATFORMS.items()}
    await rig.dispatcher.dispatch_due()
    for platform, row in rows.items():
        dying = rig.worker(platform, "dying")
        dying.queue = AckKilled(rig.redis, rig.keys, platform, reclaim_idle_ms=IDLE_MS)
        with pytest.raises(Killed):
            await dying.process_once()
        assert (await status_of(rig.pool, row))["status"] == "sent"
    await asyncio.sleep(IDLE_MS / 1000 + 0.05)
    for platform in PLATFORMS:
        assert await rig.worker(platform, "restarted").process_once() == 1  # reclaimed, found sent, acked
        assert len(sends(rig, platform)) == 1 and await rig.stream(platform).pending() == 0


class MarkKilled(PgOutbox):
    """An outbox whose deliverer dies after the platform took the message, before it is marked sent."""

    async def mark_sent(self, outbox_id: int, owner: str, ref: str | None) -> bool:
        raise Killed


async def test_a_discord_resend_after_a_crash_before_marking_returns_the_same_message(rig: Rig) -> None:
    row = await insert_alert(rig.pool, await new_account(rig.pool), USER_DM)
    await rig.dispatcher.dispatch_due()
    with pytest.raises(Killed):
        await rig.worker("discord", "dying", outbox=MarkKilled(rig.pool), lease=SHORT_LEASE).process_once()
    await asyncio.sleep(max(IDLE_MS / 1000, SHORT_LEASE.total_seconds()) + 0.05)
    restarted = discord.Client(intents=discord.Intents(guilds=True))  # a new bot process, a new connection
    await restarted.login(DISCORD_TOKEN)
    try:
        worker = rig.worker("discord", "restarted", sender=DiscordAlertSender(restarted))
        assert await worker.process_once() == 1
    finally:
        await restarted.close()
    assert len(rig.discord_fake.requests_to(MESSAGES, "POST")) == 2  # sent again after the crash...
    [shown] = rig.discord_fake.shown()  # ...but Discord enforced the nonce: one message on screen
    stored = await status_of(rig.pool, row)
    assert (stored["status"], stored["attempts"], stored["delivered_ref"]) == ("sent", 2, shown["id"])


async def test_a_blocked_telegram_bot_disables_the_target_and_tells_the_user_on_discord(rig: Rig) -> None:
    account = await new_account(rig.pool)
    await rig.pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id) VALUES ('discord', '777', $1)", account
    )
    rule = await PgAlertRules(rig.pool).add(account, replace(spec(), target=TG_CHAT))
    row = await insert_alert(rig.pool, account, TG_CHAT, rule_id=rule.id)
    rig.telegram_fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", retry_after=None)
    await rig.deliver("telegram")
    stored = await status_of(rig.pool, row)
    assert (stored["status"], stored["last_error"]) == ("disabled", "the bot was blocked by the user")
    assert [r.active for r in await PgAlertRules(rig.pool).list_for(account)] == [False]
    await rig.deliver("discord", "telegram")
    [notice] = rig.discord_fake.shown(rig.discord_fake.dm_of("777"))
    assert rig.discord_fake.text_of(notice).startswith(
        "Alerts to Telegram chat 4242 are paused: the bot was blocked by the user. The alert rules that deliver"
    )
    assert len(rig.telegram_fake.calls_of("sendMessage")) == 1  # the refused one only


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (AlertTarget("discord", TargetKind.DM, "888"), "Discord does not let the bot message you"),
        (AlertTarget("discord", TargetKind.CHANNEL, "123456789"), "the channel no longer exists"),
    ],
)
async def test_discord_50007_or_10003_disables_the_target_and_tells_the_user_on_telegram(
    rig: Rig, target: AlertTarget, reason: str
) -> None:
    account = await new_account(rig.pool)
    await rig.pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id) VALUES ('telegram', '4242', $1)", account
    )
    rig.discord_fake.blocked_dms.add("888")
    row = await insert_alert(rig.pool, account, target)
    await rig.deliver("discord")
    assert (await status_of(rig.pool, row))["status"] == "disabled"
    assert rig.discord_fake.shown() == []
    await rig.deliver("telegram")
    [notice] = rig.telegram_fake.calls_of("sendMessage")
    assert notice.params["chat_id"] == "4242" and f"are paused: {reason}" in notice.params["text"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own RetryAfter
async def test_a_telegram_429_is_retried_after_the_advertised_delay(rig: Rig) -> None:
    row = await insert_alert(rig.pool, await new_account(rig.pool), TG_CHAT)
    rig.telegram_fake.fail_next("sendMessage", 429, retry_after=0.3)
    started = time.monotonic()
    await rig.deliver("telegram")
    assert time.monotonic() - started >= 0.3 and rig.sleeps == [0.3]
    assert len(rig.telegram_fake.calls_of("sendMessage")) == 2
    assert (await status_of(rig.pool, row))["status"] == "sent"


async def test_a_discord_429_is_retried_after_the_advertised_delay(rig: Rig) -> None:
    row = await insert_alert(rig.pool, await new_account(rig.pool), USER_DM)
    rig.discord_fake.fail_next("POST", MESSAGES, 429, retry_after=0.3)
    started = time.monotonic()
    await rig.deliver("discord")
    assert time.monotonic() - started >= 0.3  # discord.py itself waits what the 429 said
    assert [r.status for r in rig.discord_fake.requests_to(MESSAGES, "POST")] == [429, 200]
    assert len(rig.discord_fake.shown()) == 1 and (await status_of(rig.pool, row))["status"] == "sent"


async def test_an_email_alert_reaches_the_smtp_fake(rig: Rig) -> None:
    mailbox = AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")
    row = await insert_alert(rig.pool, await new_account(rig.pool), mailbox)
    async with SmtpFake() as smtp:
        sender = SmtpAlertSender(MailSettings.from_url(smtp.url, "EVE Trader <alerts@evetrader.test>", timeout_s=5))
        await rig.dispatcher.dispatch_due()
        await rig.worker("email", sender=sender).process_once()
        [mail] = smtp.messages
    assert (mail.message["To"], mail.message["Subject"]) == ("pilot@example.org", "EVE Trader alert: Tritanium price")
    assert mail.body.startswith(ALERT_TEXT)
    assert (await status_of(rig.pool, row))["delivered_ref"] == mail.message["Message-ID"]


async def test_the_worker_loop_delivers_until_stopped(rig: Rig) -> None:
    row = await insert_alert(rig.pool, await new_account(rig.pool), TG_CHAT)
    stop = asyncio.Event()
    runner = asyncio.create_task(rig.worker("telegram").run(stop, block_ms=100))
    await rig.dispatcher.dispatch_due()
    await rig.telegram_fake.wait_for("sendMessage", 1, timeout=5)
    stop.set()
    await asyncio.wait_for(runner, 2)
    assert (await status_of(rig.pool, row))["status"] == "sent"


async def test_an_alert_at_a_tracked_structure_names_it_and_an_untracked_one_its_id(rig: Rig) -> None:
    """The bootstrap's worker looks up the structure's name where structure markets are stored."""
    account, tower, gone = await new_account(rig.pool), 1_035_466_617_946, 1_035_466_617_999
    await rig.pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES (90000051, $1, 'Joe', 'h')", account
    )
    info = StructureInfo(tower, "Perimeter - Tranquility Trading Tower", 30000144, None, None)
    market = await PgStructureMarkets(rig.pool).add(info, TokenSubject(90000051, account, "h"))
    assert market is not None
    for location in (tower, gone):
        payload = replace(PRICE, account_id=account, region_id=market.market_id, location_id=location).payload()
        await insert_alert(rig.pool, account, TG_CHAT, payload=payload)
    await rig.dispatcher.dispatch_due()
    sender = TelegramAlertSender(rig.telegram_bot)
    await delivery_worker(rig.pool, rig.redis, rig.keys, sender, {"telegram"}, NAMES.get).process_once()
    texts = sorted(call.params["text"] for call in rig.telegram_fake.calls_of("sendMessage"))
    assert len(texts) == 2
    assert "Tritanium sell at Perimeter - Tranquility Trading Tower fell below 4.50 ISK" in texts[0]
    assert f"Tritanium sell at station {gone} fell below 4.50 ISK" in texts[1]
