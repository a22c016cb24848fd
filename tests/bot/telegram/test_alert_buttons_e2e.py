"""A Telegram alert is a formatted message with snooze / pause / remove buttons: the rule's owner acts from it, a
stranger's press changes nothing, and every press is answered, stale ones too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from bot.state import InteractionState
from bot.telegram.deliver import TelegramAlertSender
from core.alerts.delivery import Delivered
from core.alerts.model import AlertRule, AlertTarget, TargetKind
from core.chat.model import Caller
from tests.bot.alert_buttons import LABELS, alerts_gateway, fired_text, owned_rule, rule_state
from tests.bot.telegram.harness import DM, GROUP, OTHER, USER, Harness, running

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]
OWNER = Caller("telegram", str(USER), f"Pilot {USER}")


@pytest.fixture
async def bot(pg_pool: asyncpg.Pool, interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state, gateway=alerts_gateway(pg_pool)) as harness:
        yield harness


async def deliver(bot: Harness, rule: AlertRule) -> int:
    """Send the rule's fired alert as delivery does; the message id."""
    outcome = await TelegramAlertSender(bot.app.bot).send(rule.spec.target, fired_text(rule))
    assert isinstance(outcome, Delivered) and outcome.ref is not None, outcome
    return int(outcome.ref)


async def press(bot: Harness, chat_id: int, message_id: int, label: str, user: int, replies: int = 1) -> list[str]:
    """Press a button of the alert; the texts of the `replies` messages the press causes (the query answered)."""
    before, answered = len(bot.fake.calls_of("sendMessage")), len(bot.fake.calls_of("answerCallbackQuery"))
    bot.fake.press(chat_id, message_id, label, user)
    await bot.fake.wait_for("answerCallbackQuery", answered + 1)
    return await bot.texts(before, replies)


async def test_the_owner_snoozes_pauses_and_removes_from_the_alert(bot: Harness, pg_pool: asyncpg.Pool):
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("telegram", TargetKind.DM, str(USER)))
    message_id = await deliver(bot, rule)
    sent = bot.fake.message(DM, message_id)
    assert sent["text"].startswith("<b>EVE Trader alert: Tritanium price</b>\nTritanium sell at Jita fell below")
    assert bot.fake.calls_of("sendMessage")[-1].params["parse_mode"] == "HTML"
    assert [button["text"] for button in bot.fake.buttons(DM, message_id)] == LABELS
    [snoozed] = await press(bot, DM, message_id, "Snooze 1 h", USER)
    assert f"Alert #{rule.id} snoozed until" in snoozed and await rule_state(pg_pool, rule.id) == (True, True)
    [paused] = await press(bot, DM, message_id, "Pause rule", USER)
    assert f"Alert #{rule.id} paused" in paused and await rule_state(pg_pool, rule.id) == (False, True)
    [removed] = await press(bot, DM, message_id, "Remove rule", USER)
    assert f"Alert #{rule.id} removed" in removed and await rule_state(pg_pool, rule.id) is None
    [stale] = await press(bot, DM, message_id, "Pause rule", USER)  # the rule is gone: still answered
    assert f"you have no alert #{rule.id}" in stale
    assert bot.fake.api.open_queries == set()


async def test_a_stranger_pressing_the_buttons_in_a_group_changes_nothing(bot: Harness, pg_pool: asyncpg.Pool):
    bot.fake.push_message("hello", GROUP, USER, "supergroup")  # the group exists
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("telegram", TargetKind.CHAT, str(GROUP)))
    message_id = await deliver(bot, rule)
    assert [button["text"] for button in bot.fake.buttons(GROUP, message_id)] == LABELS
    for label in LABELS:
        private, notice = await press(bot, GROUP, message_id, label, OTHER, replies=2)
        assert f"you have no alert #{rule.id}" in private and "private chat" in notice
        assert await rule_state(pg_pool, rule.id) == (True, False)
    calls = bot.fake.calls_of("sendMessage")[-6:]
    assert {int(call.params["chat_id"]) for call in calls} == {OTHER, GROUP}  # the owner's chat heard nothing
    assert bot.fake.api.open_queries == set()
