"""Flood control through PTB's rate limiter: a 429 is waited out and the message arrives once, alert bursts share
the pacing, a group's burst is spread out, and a wait longer than we sit out goes back to the caller."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from telegram.ext import ExtBot

from bot.state import InteractionState
from bot.telegram.deliver import TelegramAlertSender
from bot.telegram.pacing import Pacing
from core.alerts.delivery import AlertText, Delivered, RateLimited
from core.alerts.model import AlertTarget, TargetKind
from fakes.telegram import TelegramFake
from tests.bot.telegram.harness import BOT, DM, GROUP, TOKEN, USER, Harness, running

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state) as bot:
        yield bot


def delivered(fake: TelegramFake, chat_id: int, text: str) -> int:
    """How many messages of the bot in the chat show `text` (alone, or as an alert's body under its title)."""
    shows = (text, f"</b>\n{text}")
    found = [m for (chat, _), m in fake.api.messages.items() if chat == chat_id and str(m.get("text")).endswith(shows)]
    return len(found)


async def test_a_reply_hit_by_a_429_arrives_once_after_the_wait(harness: Harness):
    harness.fake.fail_next("sendMessage", 429, retry_after=1)
    harness.fake.push_message("/price tritanium jita", DM, USER)
    refused, sent = await harness.fake.wait_for("sendMessage", 2)
    assert refused.params == sent.params and "4.90" in sent.params["text"]
    assert delivered(harness.fake, DM, sent.params["text"]) == 1


async def test_an_alert_burst_to_a_group_goes_through_the_same_pacing(harness: Harness):
    sender = TelegramAlertSender(harness.app.bot)
    target = AlertTarget("telegram", TargetKind.CHAT, str(GROUP))
    harness.fake.fail_next("sendMessage", 429, retry_after=1)
    texts = [AlertText("alert", f"Tritanium alert {n}", f"n{n}") for n in range(3)]
    outcomes = await asyncio.gather(*(sender.send(target, text) for text in texts))
    assert all(isinstance(outcome, Delivered) for outcome in outcomes)
    assert [delivered(harness.fake, GROUP, text.body) for text in texts] == [1, 1, 1]
    assert len(harness.fake.calls_of("sendMessage")) == 4  # one refused, each alert sent once


async def test_a_wait_longer_than_we_sit_out_is_handed_to_delivery(harness: Harness):
    sender = TelegramAlertSender(harness.app.bot)
    harness.fake.fail_next("sendMessage", 429, retry_after=3600)
    async with asyncio.timeout(10):  # not an hour
        outcome = await sender.send(AlertTarget("telegram", TargetKind.DM, str(USER)), AlertText("a", "later", "n"))
    assert outcome == RateLimited(3600.0, "Telegram flood control")
    assert delivered(harness.fake, USER, "later") == 0


async def test_a_burst_to_one_group_is_spread_out():
    pacing = Pacing(group_max_rate=2, group_time_period=1)
    async with (
        TelegramFake(TOKEN, bot_username=BOT) as fake,
        ExtBot(TOKEN, base_url=f"{fake.url}/bot", rate_limiter=pacing) as bot,
    ):
        started = time.monotonic()
        await asyncio.gather(*(bot.send_message(chat_id=GROUP, text=f"burst {n}") for n in range(6)))
        elapsed = time.monotonic() - started
    assert elapsed >= 1.5  # 2 a second: the last four wait their turn (a lower bound: a slow machine only adds)
    assert [delivered(fake, GROUP, f"burst {n}") for n in range(6)] == [1] * 6
