"""A Telegram alert about an item carries "Open in game" when the owner's account has a character allowed to open
windows: the owner's press opens the market window in their character's client (ESI fake), a stranger's press in
a group runs as the stranger and opens nothing in the owner's client, an expired login is told to sign in again.
A sales notice carries one for what sold, likewise only when the account can open windows."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from adapters.postgres.profile import PgCharacterProfiles
from bot.state import InteractionState
from bot.telegram.deliver import TelegramAlertSender
from core.alerts.delivery import Delivered
from core.alerts.model import AlertRule, AlertTarget, TargetKind
from core.trading.windows import NO_CHARACTER, can_open_windows
from tests.bot.alert_buttons import LABELS, alerts_gateway, fired_text, owned_rule
from tests.bot.open_in_game import JOE, READ_SCOPES, WINDOW_SCOPES, GameWorld, game_world, sales_notice
from tests.bot.telegram.harness import DM, GROUP, OTHER, USER, Harness, running
from tests.bot.telegram.test_alert_buttons_e2e import OWNER, press

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]
OPEN, TRITANIUM = "Open in game", 34


@pytest.fixture
async def world(pg_pool: asyncpg.Pool) -> AsyncIterator[GameWorld]:
    async with game_world(pg_pool) as started:
        yield started


@pytest.fixture
async def bot(pg_pool: asyncpg.Pool, interaction_state: InteractionState, world: GameWorld) -> AsyncIterator[Harness]:
    async with running(state=interaction_state, gateway=alerts_gateway(pg_pool, world.accounts())) as harness:
        yield harness


async def deliver(bot: Harness, pool: asyncpg.Pool, rule: AlertRule) -> int:
    """Send the rule's fired alert as the delivery worker does (the button when the account can use it)."""
    can_open = await can_open_windows(PgCharacterProfiles(pool), rule.account_id)
    outcome = await TelegramAlertSender(bot.app.bot).send(rule.spec.target, fired_text(rule, can_open))
    assert isinstance(outcome, Delivered) and outcome.ref is not None, outcome
    return int(outcome.ref)


async def test_the_owner_opens_the_item_in_their_client(bot: Harness, world: GameWorld, pg_pool: asyncpg.Pool):
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("telegram", TargetKind.DM, str(USER)))
    message_id = await deliver(bot, pg_pool, rule)
    assert [button["text"] for button in bot.fake.buttons(DM, message_id)] == [*LABELS, OPEN]
    [opened] = await press(bot, DM, message_id, OPEN, USER)
    assert "Opened Tritanium in Joe Trader's client" in opened and world.opened() == [(JOE, TRITANIUM)]
    world.expire_logins()  # EVE ends the login: refreshing is refused and ESI takes no token handed out before
    world.esi_refuses_tokens()
    [expired] = await press(bot, DM, message_id, OPEN, USER)
    assert "sign in again: Joe Trader's EVE login has expired" in expired
    assert world.opened() == [(JOE, TRITANIUM)] and bot.fake.api.open_queries == set()


async def test_a_stranger_pressing_in_a_group_opens_nothing_in_the_owners_client(
    bot: Harness, world: GameWorld, pg_pool: asyncpg.Pool
):
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    bot.fake.push_message("hello", GROUP, USER, "supergroup")  # the group exists
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("telegram", TargetKind.CHAT, str(GROUP)))
    message_id = await deliver(bot, pg_pool, rule)
    private, notice = await press(bot, GROUP, message_id, OPEN, OTHER, replies=2)
    assert NO_CHARACTER in private and "private chat" in notice
    assert world.opened() == [] and bot.fake.api.open_queries == set()


async def test_no_button_without_a_character_allowed_to_open_windows(
    bot: Harness, world: GameWorld, pg_pool: asyncpg.Pool
):
    await world.link(OWNER, JOE, READ_SCOPES)
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("telegram", TargetKind.DM, str(USER)))
    assert [button["text"] for button in bot.fake.buttons(DM, await deliver(bot, pg_pool, rule))] == LABELS


async def send_sales(bot: Harness, pool: asyncpg.Pool, account_id: int, type_ids: list[int] | None) -> int:
    """Send a sales notice about `type_ids` to the owner's DM as the delivery worker does; its message id."""
    target = AlertTarget("telegram", TargetKind.DM, str(USER))
    can_open = await can_open_windows(PgCharacterProfiles(pool), account_id)
    outcome = await TelegramAlertSender(bot.app.bot).send(target, sales_notice(account_id, target, type_ids, can_open))
    assert isinstance(outcome, Delivered) and outcome.ref is not None, outcome
    return int(outcome.ref)


async def test_a_sales_notice_opens_what_sold(bot: Harness, world: GameWorld, pg_pool: asyncpg.Pool):
    account = await world.link(OWNER, JOE, WINDOW_SCOPES)
    message_id = await send_sales(bot, pg_pool, account, [TRITANIUM])
    assert [button["text"] for button in bot.fake.buttons(DM, message_id)] == [OPEN]
    [opened] = await press(bot, DM, message_id, OPEN, USER)
    assert "Opened Tritanium in Joe Trader's client" in opened and world.opened() == [(JOE, TRITANIUM)]
    several = await send_sales(bot, pg_pool, account, [TRITANIUM, 35])
    assert [button["text"] for button in bot.fake.buttons(DM, several)] == ["Open Tritanium", "Open Pyerite"]
    old = await send_sales(bot, pg_pool, account, None)  # a row written before notices named their items
    assert bot.fake.buttons(DM, old) == []


async def test_no_sales_notice_button_without_a_character_allowed_to_open_windows(
    bot: Harness, world: GameWorld, pg_pool: asyncpg.Pool
):
    account = await world.link(OWNER, JOE, READ_SCOPES)
    assert bot.fake.buttons(DM, await send_sales(bot, pg_pool, account, [TRITANIUM])) == []
