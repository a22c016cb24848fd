"""Nothing the bot sends pings anyone (allowed_mentions parses nothing), and private replies are ephemeral from the
first deferral on: the real discord.py client against DiscordFake, reading what the fake recorded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.discord.client import send_dm
from bot.discord.deliver import DiscordAlertSender
from bot.state import InteractionState
from core.alerts.delivery import AlertText, Delivered
from core.alerts.model import AlertTarget, TargetKind
from core.chat.model import Caller, Reply, Table
from core.chat.registry import CommandContext, Registry
from fakes.discord.records import RecordedRequest
from tests.bot.discord.support import GUILD, Harness, make_gateway, running

pytestmark = pytest.mark.e2e
MENTIONS = "@everyone @here <@&5550001> <@7770001> look"
NOTHING: dict[str, list[str]] = {"parse": []}
CALLBACK, FOLLOW_UP = "/interactions/{id}/{token}/callback", "/webhooks/{app}/{token}"
ORIGINAL, MESSAGES = "/webhooks/{app}/{token}/messages/{message}", "/channels/{channel}/messages"
EPHEMERAL = 64


def shouting() -> Registry:
    """Replies full of mentions: paged, slow (deferred), private and slow."""
    registry = Registry()
    reply = Reply(title=MENTIONS, text=MENTIONS, tables=[Table(["who"], [[MENTIONS]] * 200)])

    @registry.command("shout", "Mentions, many pages")
    async def shout(ctx: CommandContext) -> Reply:
        return reply

    @registry.command("yell", "Mentions, after a deferral", slow=True)
    async def yell(ctx: CommandContext) -> Reply:
        await asyncio.sleep(0.05)
        return Reply(text=MENTIONS)

    @registry.command("secret", "Mine alone, after a deferral", slow=True, private=True)
    async def secret(ctx: CommandContext) -> Reply:
        await asyncio.sleep(0.05)
        return Reply(text=f"your code {MENTIONS}")

    return registry


def mentions_of(request: RecordedRequest) -> Any:
    """allowed_mentions as sent: in the callback's data, or at the top of a message body."""
    body = request.json or {}
    return (
        (body.get("data") or {}).get("allowed_mentions") if request.route == CALLBACK else body.get("allowed_mentions")
    )


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    callers: list[Caller] = []
    async with running(make_gateway(callers, registry=shouting()), callers, interaction_state) as started:
        yield started


async def test_responses_follow_ups_and_page_turns_ping_nobody(harness: Harness):
    paged = await harness.fake.command("shout")
    [first] = await harness.answers(paged)
    nxt = first.json["data"]["components"][0]["components"][2]["custom_id"]
    [turn] = await harness.answers(await harness.fake.click(paged.message_id, nxt))
    deferred = await harness.fake.command("yell")
    _, follow_up = await harness.answers(deferred, 2)
    assert (first.json["type"], turn.json["type"], follow_up.route) == (4, 7, FOLLOW_UP)
    assert MENTIONS in str(first.json) and MENTIONS in str(turn.json) and MENTIONS in str(follow_up.json)
    for request in (first, turn, follow_up):
        assert mentions_of(request) == NOTHING, request.json


async def test_dms_and_alert_deliveries_ping_nobody(harness: Harness):
    await send_dm(harness.client, "7770001", Reply(text=MENTIONS))
    channel = AlertTarget("discord", TargetKind.CHANNEL, harness.fake.guild_channels[GUILD])
    sender = DiscordAlertSender(harness.client)
    for target in (channel, AlertTarget("discord", TargetKind.DM, "7770002")):
        outcome = await sender.send(
            target, AlertText("alert", f"Tritanium fell {MENTIONS}", f"evt-alert-{target.kind}")
        )
        assert isinstance(outcome, Delivered), outcome
    sent = harness.fake.requests_to(MESSAGES, "POST")
    assert len(sent) == 3 and all(MENTIONS in str(request.json) for request in sent)
    assert [mentions_of(request) for request in sent] == [NOTHING] * 3


async def test_a_private_reply_is_ephemeral_from_the_deferral_on(harness: Harness):
    pushed = await harness.fake.command("secret")
    defer, follow_up = await harness.answers(pushed, 2)
    assert defer.json == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert follow_up.route == FOLLOW_UP and follow_up.json["flags"] & EPHEMERAL
    assert mentions_of(follow_up) == NOTHING
    assert harness.fake.requests_to(ORIGINAL, "DELETE") == []  # no public "thinking" message to take back
