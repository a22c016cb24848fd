"""A Discord alert is an embed with snooze / pause / remove buttons: the rule's owner acts from it, a stranger's
click changes nothing, and every click is answered, stale ones too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from bot.discord.deliver import DiscordAlertSender
from bot.state import InteractionState
from core.alerts.delivery import Delivered
from core.alerts.model import AlertRule, AlertTarget, TargetKind
from core.chat.model import Caller
from tests.bot.alert_buttons import LABELS, alerts_gateway, fired_text, owned_rule, rule_state
from tests.bot.discord.support import GUILD, Harness, running

pytestmark = pytest.mark.e2e
OWNER_ID, STRANGER_ID = "4242", "5151"
OWNER = Caller("discord", OWNER_ID, "Pilot Jones")
EPHEMERAL = 1 << 6


@pytest.fixture
async def harness(pg_pool: asyncpg.Pool, interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(alerts_gateway(pg_pool), [], interaction_state) as started:
        yield started


async def deliver(harness: Harness, rule: AlertRule) -> dict[str, Any]:
    """Send the rule's fired alert as delivery does; the message as Discord keeps it."""
    outcome = await DiscordAlertSender(harness.client).send(rule.spec.target, fired_text(rule))
    assert isinstance(outcome, Delivered) and outcome.ref is not None, outcome
    return harness.fake.messages[outcome.ref]


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Label -> custom_id of a message's buttons."""
    return {b["label"]: b["custom_id"] for row in message.get("components") or [] for b in row["components"]}


async def click(harness: Harness, message: dict[str, Any], label: str, user_id: str, **where: Any) -> str:
    """Click a button of the alert; the text of the answer (every click gets one)."""
    pushed = await harness.fake.click(message["id"], buttons(message)[label], user_id=user_id, **where)
    [answer] = await harness.answers(pushed)
    data = answer.json.get("data") or answer.json
    if "guild_id" in where:
        assert data.get("flags", 0) & EPHEMERAL  # in a channel the answer is the clicker's alone
    return " ".join(str(embed.get("description", "")) for embed in data.get("embeds") or []) + str(
        data.get("content") or ""
    )


async def test_the_owner_acts_from_the_alert_in_their_dm(harness: Harness, pg_pool: asyncpg.Pool):
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("discord", TargetKind.DM, OWNER_ID))
    message = await deliver(harness, rule)
    [embed] = message["embeds"]
    assert embed["title"] == "EVE Trader alert: Tritanium price"
    assert embed["description"].startswith("Tritanium sell at Jita fell below 4.50 ISK")
    assert list(buttons(message)) == LABELS
    assert f"Alert #{rule.id} snoozed until" in await click(harness, message, "Snooze 1 h", OWNER_ID, dm=True)
    assert await rule_state(pg_pool, rule.id) == (True, True)
    assert f"Alert #{rule.id} paused" in await click(harness, message, "Pause rule", OWNER_ID, dm=True)
    assert await rule_state(pg_pool, rule.id) == (False, True)
    assert f"Alert #{rule.id} removed" in await click(harness, message, "Remove rule", OWNER_ID, dm=True)
    assert await rule_state(pg_pool, rule.id) is None
    stale = await click(harness, message, "Pause rule", OWNER_ID, dm=True)  # the rule is gone: still answered
    assert f"you have no alert #{rule.id}" in stale


async def test_a_stranger_clicking_in_the_channel_changes_nothing(harness: Harness, pg_pool: asyncpg.Pool):
    channel = harness.fake.guild_channels[GUILD]
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("discord", TargetKind.CHANNEL, channel))
    message = await deliver(harness, rule)
    for label in LABELS:
        answer = await click(harness, message, label, STRANGER_ID, guild_id=GUILD)
        assert f"you have no alert #{rule.id}" in answer
        assert await rule_state(pg_pool, rule.id) == (True, False)
