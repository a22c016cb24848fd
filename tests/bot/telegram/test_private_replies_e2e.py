"""Secrets and account data never reach a group: a private command's answer goes to the caller's private chat, or,
when Telegram refuses that chat (403), the group only learns to start a private chat first."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.crypto import TokenCipher
from adapters.postgres.accounts import PgIdentityStore
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.characters import PgCharacterStore
from adapters.postgres.watchlist import PgWatchlist
from adapters.redis.keys import RedisKeys
from adapters.redis.link_codes import RedisLinkCodes
from bot.state import InteractionState
from core.accounts.sso import CharacterToken
from core.chat.gateway import CommandGateway
from core.chat.model import Button, Caller, Reply, Table
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from core.usecases.accounts import AccountServices
from core.usecases.alerts import AlertServices
from fakes.telegram import TelegramFake
from tests.bot.telegram.harness import BOT, DM, GROUP, USER, Harness, bot_registry, running
from tests.core.commands.market_helpers import CATALOG, context, trit_market

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.reliability,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]
PANEL = "https://panel.example"
NAME = "Pilot 4242"  # how the fake's user shows to the bot
CHARACTER = CharacterToken(90000001, "Hidden Trader", "owner-a", ("a.v1",), datetime(2030, 1, 1, tzinfo=UTC), "x")
# each private command and a piece of the caller's data its answer shows
PRIVATE = {"/link": f"{PANEL}/link/", "/characters": "Hidden Trader", "/alert list": "sell below 4.50"}


@dataclass
class World:
    """The running bot with real account, link-code and alert stores behind it."""

    bot: Harness

    @property
    def fake(self) -> TelegramFake:
        """The Bot API fake."""
        return self.bot.fake

    def sent_to(self, chat_id: int) -> list[str]:
        """Everything the bot sent (or tried to send) to a chat: texts, captions and keyboards, as sent."""
        calls = [c for c in self.fake.calls if c.method in ("sendMessage", "sendPhoto", "editMessageText")]
        return [json.dumps(c.params) for c in calls if int(c.params.get("chat_id") or 0) == chat_id]

    async def wait_sent(self, chat_id: int, count: int = 1) -> list[str]:
        """Wait until `count` messages went to the chat; what was sent there."""
        async with asyncio.timeout(5), self.fake.api.changed:
            await self.fake.api.changed.wait_for(lambda: len(self.sent_to(chat_id)) >= count)
        return self.sent_to(chat_id)

    async def in_group(self, text: str) -> None:
        """A member types `text` (as /command@bot) in the supergroup."""
        command, _, rest = text.partition(" ")
        self.fake.push_message(f"{command}@{BOT} {rest}".strip(), GROUP, USER, "supergroup")


@pytest.fixture
async def world(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str, interaction_state: InteractionState
) -> AsyncIterator[World]:
    identities = PgIdentityStore(pg_pool)
    characters = PgCharacterStore(pg_pool, TokenCipher.from_setting(TokenCipher.new_key_entry("k1")))
    accounts = AccountServices(RedisLinkCodes(redis_client, RedisKeys(redis_prefix)), characters, PANEL)
    alerts = AlertServices(PgAlertRules(pg_pool), PgWatchlist(pg_pool), CATALOG)
    market = trit_market()

    async def context_for(caller: Caller) -> CommandContext:
        return dataclasses.replace(context(market), accounts=accounts, alerts=alerts)

    gateway = CommandGateway(build_registry(), context_for, completer=CATALOG, identities=identities)
    account = await identities.account_for(Caller("telegram", str(USER), NAME))
    await characters.link(CHARACTER, "refresh-1", browser_account=account)
    async with running(state=interaction_state, gateway=gateway) as bot:
        world = World(bot)
        [created] = await bot.ask("/alert add tritanium sell below 4.5 jita")  # in the private chat
        assert "Alert #" in created, created
        yield world


@pytest.mark.parametrize("command", list(PRIVATE))
async def test_a_private_answer_asked_for_in_a_group_goes_to_the_private_chat(world: World, command: str):
    before = len(world.sent_to(DM))
    await world.in_group(command)
    private = (await world.wait_sent(DM, before + 1))[before:]
    [notice] = await world.wait_sent(GROUP)
    assert PRIVATE[command] in " ".join(private), private
    assert PRIVATE[command] not in notice and "private chat" in notice
    if command == "/link":
        [url] = [word for word in json.loads(private[0])["text"].split() if word.startswith(f"{PANEL}/link/")]
        code = url.rsplit("/", 1)[1]
        assert code not in " ".join(world.sent_to(GROUP))


@pytest.mark.parametrize("blocked", [False, True])
@pytest.mark.parametrize("command", list(PRIVATE))
async def test_when_the_private_chat_is_refused_the_group_is_told_to_start_one(
    world: World, command: str, blocked: bool
):
    world.fake.refuse_private_chat(USER, blocked=blocked)
    before = len(world.sent_to(DM))
    await world.in_group(command)
    [notice] = await world.wait_sent(GROUP)
    await asyncio.sleep(0.2)  # anything else the bot would still send to the group
    assert len(world.sent_to(DM)) == before + 1  # the one attempt Telegram refused
    assert PRIVATE[command] not in " ".join(world.sent_to(GROUP))
    sent = json.loads(notice)
    assert "private chat" in sent["text"]
    [[button]] = sent["reply_markup"]["inline_keyboard"]
    assert button["url"].startswith(f"https://t.me/{BOT}?start=")


async def test_in_the_private_chat_the_answer_comes_once_as_before(world: World):
    before = len(world.sent_to(DM))
    [text] = await world.bot.ask("/characters")
    await asyncio.sleep(0.2)
    assert "Hidden Trader" in text and len(world.sent_to(DM)) == before + 1 and world.sent_to(GROUP) == []


async def test_a_private_paged_answer_pages_and_runs_its_buttons_in_the_private_chat(
    interaction_state: InteractionState,
):
    registry = bot_registry()

    @registry.command("mine", "Many private rows with a button", private=True)
    async def mine(ctx: CommandContext) -> Reply:
        table = Table(["#", "secret"], [[str(i), f"secret-{i}"] for i in range(400)])
        return Reply(title="Yours", tables=[table], buttons=[Button("Jita", action="price tritanium jita")])

    async with running(registry, state=interaction_state) as bot:
        bot.fake.push_message(f"/mine@{BOT}", GROUP, USER, "supergroup")
        await bot.fake.wait_for("sendMessage", 2)
        message_id = bot.last_sent(DM)["message_id"]
        assert "secret-0" in bot.last_sent(DM)["text"] and "secret-" not in bot.last_sent(GROUP)["text"]
        labels = [button["text"] for button in bot.fake.buttons(DM, message_id)]
        assert "Next ▶" in labels and "Jita" in labels
        bot.fake.press(DM, message_id, "Next ▶", USER)
        await bot.fake.wait_for("editMessageText")
        assert "secret-0" not in bot.fake.message(DM, message_id)["text"]
        before = len(bot.fake.calls_of("sendMessage"))
        bot.fake.press(DM, message_id, "Jita", USER)
        [price] = await bot.texts(before)
        assert "Tritanium" in price and bot.fake.calls_of("sendMessage")[-1].params["chat_id"] == str(DM)
