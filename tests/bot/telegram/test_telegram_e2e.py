"""The real python-telegram-bot Application, polling a local Bot API fake, answering through the CommandGateway."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator

import pytest

from bot.state import InteractionState
from bot.telegram.adapter import bot_commands, build_application, start, stop
from bot.telegram.send import send_reply
from core.chat.gateway import CommandGateway
from core.chat.model import Caller, Image, Reply
from core.commands.default import build_registry
from fakes.telegram import TelegramFake
from tests.bot.telegram.harness import BOT, DM, GROUP, TLS, TOKEN, USER, Harness, bot_registry, running
from tests.core.commands.market_helpers import context, trit_market

pytestmark = pytest.mark.e2e


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state) as bot:
        yield bot


async def test_price_in_a_private_chat(harness: Harness):
    [text] = await harness.ask("/price tritanium jita")
    assert "<b>Sell</b>: 4.90 (5 orders, 200,000 units)" in text
    assert "<b>Buy</b>: 4.50 (4 orders, 100,000 units)" in text
    assert text.startswith("<b>Tritanium — Jita IV - Moon 4 - Caldari Navy Assembly Plant</b>")
    call = harness.fake.calls_of("sendMessage")[-1]
    assert call.params["parse_mode"] == "HTML" and int(call.params["chat_id"]) == DM
    [caller] = harness.callers
    assert caller == Caller("telegram", str(USER), f"Pilot {USER}", chat_id=str(DM), is_dm=True)
    assert harness.fake.calls_of("getChatMember") == []  # a private chat has no administrators to ask about


async def test_price_addressed_to_the_bot_in_a_group(harness: Harness):
    harness.fake.push_message("/price@some_other_bot tritanium jita", GROUP, USER, "group")  # not for us: ignored
    [text] = await harness.ask(f"/price@{BOT} tritanium jita", chat_id=GROUP, chat_type="group")
    assert "<b>Sell</b>: 4.90" in text and "<b>Buy</b>: 4.50" in text
    assert int(harness.fake.calls_of("sendMessage")[-1].params["chat_id"]) == GROUP
    assert len(harness.fake.calls_of("sendMessage")) == 1
    assert len(harness.callers) == 1 and harness.callers[-1].is_dm is False


async def test_start_answers_with_the_command_list(harness: Harness):
    [text] = await harness.ask("/start")
    assert "/price" in text and "/alert" in text


async def test_help_lists_the_commands(harness: Harness):
    [text] = await harness.ask("/help")
    assert text.startswith("<b>Commands</b>")
    for name in ("/price", "/compare", "/history", "/trade station", "/trade haul", "/appraise"):
        assert f"<code>{name}" in text


async def test_group_subcommand_reaches_the_gateway(harness: Harness):
    [text] = await harness.ask("/trade bogus")
    assert "unknown subcommand &#x27;bogus&#x27;" in text or "unknown subcommand 'bogus'" in text


async def test_command_menu_is_set_from_the_registry(harness: Harness):
    call = (await harness.fake.wait_for("setMyCommands"))[0]  # the default scope's menu comes first
    assert "scope" not in call.params or call.params["scope"]["type"] == "default"
    sent = {entry["command"]: entry["description"] for entry in call.params["commands"]}
    assert sent == {command.command: command.description for command in bot_commands(harness.gateway.registry)}
    assert {"help", "price", "compare", "history", "trade", "appraise", "cancel"} <= set(sent)
    assert all(1 <= len(description) <= 256 for description in sent.values())


async def test_unknown_item_suggests_without_a_traceback(harness: Harness):
    [text] = await harness.ask("/price trtnm")
    assert "did you mean Tritanium?" in text and "usage: /price &lt;item&gt; [where]" in text
    assert "Traceback" not in text and 'File "' not in text


# PTB's own RetryAfter.__init__ reads its deprecated int-valued retry_after (PTB 22.2+), not ours
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limited_send_is_retried_once_after_the_wait(harness: Harness):
    harness.fake.fail_next("sendMessage", 429, retry_after=0.3)
    started = asyncio.get_running_loop().time()
    texts = await harness.ask("/price tritanium jita", count=2)
    assert asyncio.get_running_loop().time() - started >= 0.3
    assert texts[0] == texts[1] and "<b>Sell</b>: 4.90" in texts[1]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_photos_follow_the_text_and_a_429_on_the_photo_is_retried(harness: Harness):
    harness.fake.fail_next("sendPhoto", 429, retry_after=0.05)
    reply = Reply(title="Chart", images=[Image(b"\x89PNG fake", "Tritanium price, 30 days", "trit.png")])
    await send_reply(harness.app.bot, DM, reply)
    failed, photo = await harness.fake.wait_for("sendPhoto", 2)
    assert failed.files["photo"] == photo.files["photo"]  # the same upload, sent again after the wait
    assert photo.files["photo"] == b"\x89PNG fake" and photo.params["caption"] == "Tritanium price, 30 days"
    assert harness.fake.calls_of("sendMessage")[-1].params["text"] == "<b>Chart</b>"
    assert harness.last_sent()["photo"][0]["file_size"] == len(b"\x89PNG fake")


async def test_stop_lets_a_reply_in_flight_finish(interaction_state: InteractionState):
    gate, started = asyncio.Event(), asyncio.Event()
    async with TelegramFake(TOKEN, bot_username=BOT) as fake:
        async with running(bot_registry(gate, started), state=interaction_state, fake=fake) as bot:
            fake.push_message("/slow", DM, USER)
            await asyncio.wait_for(started.wait(), 5)
            stopping = asyncio.create_task(stop(bot.app))
            await asyncio.sleep(0.05)
            assert not stopping.done()  # stop waits for the handler
            gate.set()
            await stopping
        [call] = fake.calls_of("sendMessage")
        assert call.params["text"] == "slow answer"


async def test_clean_shutdown_leaves_no_pending_tasks(interaction_state: InteractionState):
    before = asyncio.all_tasks()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with TelegramFake(TOKEN, bot_username=BOT) as fake:

            async def context_for(caller: Caller):
                return context(trit_market())

            gateway = CommandGateway(build_registry(), context_for)
            app = build_application(TOKEN, gateway, interaction_state, base_url=f"{fake.url}/bot", tls=TLS)
            await start(app, poll_interval=0.0, poll_timeout=1.0)
            fake.push_message("/help", DM, USER)
            await fake.wait_for("sendMessage")
            await stop(app)
            assert not app.running and not (app.updater and app.updater.running)
        await asyncio.sleep(0)
        gc.collect()
    leftover = [t for t in asyncio.all_tasks() - before if not t.done()]
    assert leftover == []
    assert [str(w.message) for w in caught] == []
