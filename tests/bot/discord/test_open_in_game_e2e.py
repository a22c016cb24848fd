"""A Discord alert about an item carries "Open in game" when the owner's account has a character allowed to open
windows: the owner's click opens the market window in their character's client (ESI fake), a stranger's click runs
as the stranger and opens nothing in the owner's client, an expired login is told to sign in again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from adapters.postgres.profile import PgCharacterProfiles
from bot.discord.deliver import DiscordAlertSender
from bot.state import InteractionState
from core.alerts.delivery import Delivered
from core.alerts.model import AlertRule, AlertTarget, TargetKind
from core.trading.windows import NO_CHARACTER, can_open_windows
from tests.bot.alert_buttons import LABELS, alerts_gateway, fired_text, owned_rule
from tests.bot.discord.support import GUILD, Harness, running
from tests.bot.discord.test_alert_buttons_e2e import OWNER, OWNER_ID, STRANGER_ID, buttons, click
from tests.bot.open_in_game import BOB, JOE, READ_SCOPES, WINDOW_SCOPES, GameWorld, game_world

pytestmark = pytest.mark.e2e
OPEN, TRITANIUM = "Open in game", 34
STRANGER = OWNER.__class__("discord", STRANGER_ID, "Someone Else")


@pytest.fixture
async def world(pg_pool: asyncpg.Pool) -> AsyncIterator[GameWorld]:
    async with game_world(pg_pool) as started:
        yield started


@pytest.fixture
async def harness(
    pg_pool: asyncpg.Pool, interaction_state: InteractionState, world: GameWorld
) -> AsyncIterator[Harness]:
    async with running(alerts_gateway(pg_pool, world.accounts()), [], interaction_state) as started:
        yield started


async def deliver(harness: Harness, pool: asyncpg.Pool, rule: AlertRule) -> dict[str, Any]:
    """Send the rule's fired alert as the delivery worker does (the button when the account can use it)."""
    can_open = await can_open_windows(PgCharacterProfiles(pool), rule.account_id)
    outcome = await DiscordAlertSender(harness.client).send(rule.spec.target, fired_text(rule, can_open))
    assert isinstance(outcome, Delivered) and outcome.ref is not None, outcome
    return harness.fake.messages[outcome.ref]


async def test_the_owner_opens_the_item_in_their_client(harness: Harness, world: GameWorld, pg_pool: asyncpg.Pool):
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("discord", TargetKind.DM, OWNER_ID))
    message = await deliver(harness, pg_pool, rule)
    assert list(buttons(message)) == [*LABELS, OPEN]
    assert "Opened Tritanium in Joe Trader's client" in await click(harness, message, OPEN, OWNER_ID, dm=True)
    assert world.opened() == [(JOE, TRITANIUM)]
    world.expire_logins()  # EVE ends the login: refreshing is refused and ESI takes no token handed out before
    world.esi_refuses_tokens()
    expired = await click(harness, message, OPEN, OWNER_ID, dm=True)
    assert "sign in again: Joe Trader's EVE login has expired" in expired
    assert world.opened() == [(JOE, TRITANIUM)]


async def test_a_stranger_clicking_in_the_channel_opens_nothing_in_the_owners_client(
    harness: Harness, world: GameWorld, pg_pool: asyncpg.Pool
):
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    channel = harness.fake.guild_channels[GUILD]
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("discord", TargetKind.CHANNEL, channel))
    message = await deliver(harness, pg_pool, rule)
    assert NO_CHARACTER in await click(harness, message, OPEN, STRANGER_ID, guild_id=GUILD)
    await world.link(STRANGER, BOB, WINDOW_SCOPES)  # a stranger with a character of their own: their client
    assert "Opened Tritanium in Bob Reader's client" in await click(harness, message, OPEN, STRANGER_ID, guild_id=GUILD)
    assert world.opened() == [(BOB, TRITANIUM)]


async def test_no_button_without_a_character_allowed_to_open_windows(
    harness: Harness, world: GameWorld, pg_pool: asyncpg.Pool
):
    await world.link(OWNER, JOE, READ_SCOPES)
    rule = await owned_rule(pg_pool, OWNER, AlertTarget("discord", TargetKind.DM, OWNER_ID))
    assert list(buttons(await deliver(harness, pg_pool, rule))) == LABELS
