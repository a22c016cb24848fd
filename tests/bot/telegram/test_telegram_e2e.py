"""The real python-telegram-bot Application, polling a local Bot API fake, answering /price from in-memory books."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.telegram import bot_commands, build_application, start, stop
from core.commands.default import build_registry
from core.commands.model import Caller, Image, Reply
from core.commands.registry import CommandContext, Registry
from fakes.telegram import TelegramFake
from tests.core.commands.market_helpers import context, trit_market

pytestmark = pytest.mark.e2e

TOKEN = "123456:TEST-token"
BOT = "evetrader_test_bot"
USER, DM, GROUP = 4242, 4242, -100777


class Harness:
    def __init__(self, fake: TelegramFake, app: Any, registry: Registry) -> None:
        self.fake, self.app, self.registry = fake, app, registry

    async def ask(self, text: str, *, chat_id: int = DM, chat_type: str = "private", count: int = 1) -> list[str]:
        before = len(self.fake.calls_of("sendMessage"))
        self.fake.push_message(text, chat_id, USER, chat_type)
        calls = await self.fake.wait_for("sendMessage", before + count, timeout=5)
        return [call.params["text"] for call in calls[before:]]


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    registry = build_registry()
    market = trit_market()
    callers: list[Caller] = []

    def factory(caller: Caller) -> CommandContext:
        callers.append(caller)
        return context(market)

    async with TelegramFake(TOKEN, bot_username=BOT) as fake:
        app = build_application(
            TOKEN, registry, factory, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot"
        )
        app.bot_data["callers"] = callers
        await start(app, registry, poll_interval=0.0, poll_timeout=1.0)
        try:
            yield Harness(fake, app, registry)
        finally:
            await stop(app)


async def test_price_in_a_private_chat(harness: Harness):
    [text] = await harness.ask("/price tritanium jita")
    assert "<b>Sell</b>: 4.90 (5 orders, 200,000 units)" in text
    assert "<b>Buy</b>: 4.50 (4 orders, 100,000 units)" in text
    assert text.startswith("<b>Tritanium — Jita IV - Moon 4 - Caldari Navy Assembly Plant</b>")
    call = harness.fake.calls_of("sendMessage")[-1]
    assert call.params["parse_mode"] == "HTML" and int(call.params["chat_id"]) == DM
    [caller] = harness.app.bot_data["callers"]
    assert caller == Caller("telegram", str(USER), f"Pilot {USER}", chat_id=str(DM), is_dm=True)


async def test_price_addressed_to_the_bot_in_a_group(harness: Harness):
    harness.fake.push_message("/price@some_other_bot tritanium jita", GROUP, USER, "group")  # not for us: ignored
    [text] = await harness.ask(f"/price@{BOT} tritanium jita", chat_id=GROUP, chat_type="group")
    assert "<b>Sell</b>: 4.90" in text and "<b>Buy</b>: 4.50" in text
    assert int(harness.fake.calls_of("sendMessage")[-1].params["chat_id"]) == GROUP
    assert len(harness.fake.calls_of("sendMessage")) == 1
    assert harness.app.bot_data["callers"][-1].is_dm is False


async def test_help_lists_the_commands(harness: Harness):
    [text] = await harness.ask("/help")
    assert text.startswith("<b>Commands</b>")
    for name in ("/price", "/compare", "/history", "/trade station", "/trade haul", "/appraise"):
        assert f"<code>{name}" in text


async def test_group_subcommand_reaches_dispatch(harness: Harness):
    [text] = await harness.ask("/trade bogus")
    assert "unknown subcommand &#x27;bogus&#x27;" in text or "unknown subcommand 'bogus'" in text


async def test_command_menu_is_set_from_the_registry(harness: Harness):
    [call] = await harness.fake.wait_for("setMyCommands")
    sent = {entry["command"]: entry["description"] for entry in call.params["commands"]}
    assert sent == {command.command: command.description for command in bot_commands(harness.registry)}
    assert {"help", "price", "compare", "history", "trade", "appraise"} <= set(sent)
    assert all(1 <= len(description) <= 256 for description in sent.values())


async def test_unknown_item_suggests_without_a_traceback(harness: Harness):
    [text] = await harness.ask("/price trtnm")
    assert "did you mean Tritanium?" in text and "usage: /price &lt;item&gt; [where]" in text
    assert "Traceback" not in text and 'File "' not in text


# PTB's own RetryAfter.__init__ reads its deprecated int-valued retry_after (PTB 22.2+), not ours
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limited_send_is_retried_once(harness: Harness):
    harness.fake.fail_next("sendMessage", 429, retry_after=1)
    texts = await harness.ask("/price tritanium jita", count=2)
    assert texts[0] == texts[1] and "<b>Sell</b>: 4.90" in texts[1]


async def test_photos_follow_the_text(harness: Harness):
    from bot.telegram import send_reply

    reply = Reply(title="Chart", images=[Image(b"\x89PNG fake", "Tritanium price, 30 days", "trit.png")])
    await send_reply(harness.app.bot, DM, reply)
    [photo] = await harness.fake.wait_for("sendPhoto")
    assert photo.files["photo"] == b"\x89PNG fake" and photo.params["caption"] == "Tritanium price, 30 days"
    assert harness.fake.calls_of("sendMessage")[-1].params["text"] == "<b>Chart</b>"


async def test_clean_shutdown_leaves_no_pending_tasks():
    registry = build_registry()
    before = asyncio.all_tasks()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with TelegramFake(TOKEN, bot_username=BOT) as fake:
            app = build_application(TOKEN, registry, lambda caller: context(trit_market()), base_url=f"{fake.url}/bot")
            await start(app, registry, poll_interval=0.0, poll_timeout=1.0)
            fake.push_message("/help", DM, USER)
            await fake.wait_for("sendMessage")
            await stop(app)
            assert not app.running and not (app.updater and app.updater.running)
        await asyncio.sleep(0)
        gc.collect()
    leftover = [t for t in asyncio.all_tasks() - before if not t.done()]
    assert leftover == []
    assert [str(w.message) for w in caught] == []
