"""The Telegram e2e harness: the real PTB Application over a CommandGateway, talking to the local Bot API fake."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.state import InteractionState
from bot.telegram.adapter import build_application, start, stop
from core.chat.gateway import CommandGateway
from core.chat.model import Button, Caller, Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.default import build_registry
from fakes.telegram import TelegramFake
from tests.core.commands.market_helpers import CATALOG, context, trit_market

TOKEN = "123456:TEST-token"
BOT = "evetrader_test_bot"
USER, OTHER, DM, GROUP = 4242, 5151, 4242, -100777
Json = dict[str, Any]
TLS = ssl.create_default_context()  # one CA-bundle load for every application the tests build
SHORT_ACTION = "price tritanium jita"
LONG_ACTION = 'price "Tritanium" "Jita IV - Moon 4 - Caldari Navy Assembly Plant"'  # over 64 bytes as callback data


def bot_registry(gate: asyncio.Event | None = None, started: asyncio.Event | None = None) -> Registry:
    """The product's commands plus a few made for these tests (several required params, a choice, long tables)."""
    registry = build_registry()

    @registry.command(
        "order",
        "Place a pretend order",
        Param("item", "Item to trade", ParamKind.ITEM),
        Param("side", "Buy or sell", ParamKind.CHOICE, choices=("buy", "sell")),
        Param("quantity", "How many units", ParamKind.INT, min_value=1),
    )
    async def order(ctx: CommandContext, item: Any, side: str, quantity: int) -> Reply:
        return Reply(text=f"{side} {quantity} x {item.name}")

    @registry.command("rows", "A long table", Param("count", "Rows", ParamKind.INT, required=False, default=400))
    async def rows(ctx: CommandContext, count: int = 400) -> Reply:
        table = Table(["#", "item", "price"], [[str(i), f"Item <{i}>", f"{i * 1.5:.2f}"] for i in range(count)], "rlr")
        return Reply(title="Many rows", tables=[table])

    @registry.command("links", "Buttons of every kind")
    async def links(ctx: CommandContext) -> Reply:
        buttons = [Button("Market", url="https://evemarketer.example/?a=1&b=2"), Button("Jita", action=SHORT_ACTION)]
        return Reply(text="Pick one", buttons=[*buttons, Button("Station", action=LONG_ACTION)])

    @registry.command("whoami", "The caller as the gateway sees it")
    async def whoami(ctx: CommandContext) -> Reply:
        caller = ctx.caller
        return Reply(text=f"dm={caller.is_dm} chat={caller.chat_id} roles={','.join(sorted(caller.roles)) or '-'}")

    @registry.command("slow", "Answers once the test lets it")
    async def slow(ctx: CommandContext) -> Reply:
        if started is not None:
            started.set()
        if gate is not None:
            await gate.wait()
        return Reply(text="slow answer")

    return registry


class Harness:
    """A running bot: send as a user, read what the bot sent."""

    def __init__(self, fake: TelegramFake, app: Any, gateway: CommandGateway, callers: list[Caller]) -> None:
        self.fake, self.app, self.gateway, self.callers = fake, app, gateway, callers

    async def ask(
        self,
        text: str,
        *,
        chat_id: int = DM,
        chat_type: str = "private",
        user: int = USER,
        count: int = 1,
        reply_to: int | None = None,
    ) -> list[str]:
        """Send a message; the texts of the next `count` messages the bot sends."""
        before = len(self.fake.calls_of("sendMessage"))
        self.fake.push_message(text, chat_id, user, chat_type, reply_to=reply_to)
        return await self.texts(before, count)

    async def texts(self, before: int, count: int = 1) -> list[str]:
        """The texts of sendMessage calls number before+1 .. before+count (waiting for them)."""
        calls = await self.fake.wait_for("sendMessage", before + count, timeout=5)
        return [call.params["text"] for call in calls[before : before + count]]

    def last_sent(self, chat_id: int = DM) -> Json:
        """The bot's latest message in a chat, as the fake stores it (after edits)."""
        sent = [m for (chat, _), m in self.fake.api.messages.items() if chat == chat_id and m["from"]["is_bot"]]
        return sent[-1]


@asynccontextmanager
async def running(
    registry: Registry | None = None,
    *,
    state: InteractionState,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    fake: TelegramFake | None = None,
    gateway: CommandGateway | None = None,
    **options: Any,
) -> AsyncIterator[Harness]:
    """Start a fake (unless given) and the bot on `state` (polling, or webhook when `webhook_url` is given), over
    `gateway` (default: the test registry on the Tritanium market); `options` go to build_application."""
    market, callers = trit_market(), []

    async def context_for(caller: Caller) -> CommandContext:
        callers.append(caller)
        return context(market)

    gateway = gateway or CommandGateway(registry or bot_registry(), context_for, completer=CATALOG)
    own = fake is None
    fake = fake or await TelegramFake(TOKEN, bot_username=BOT).start()
    try:
        app = build_application(
            TOKEN, gateway, state, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot", tls=TLS, **options
        )
        await start(app, webhook_url=webhook_url, webhook_secret=webhook_secret, poll_timeout=1.0)
        try:
            yield Harness(fake, app, gateway, callers)
        finally:
            await stop(app)
    finally:
        if own:
            await fake.stop()
