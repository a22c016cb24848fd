"""While a slow command runs the chat shows "typing…" (or "sending a photo" for a chart), repeated until the answer;
which commands are slow comes from the registry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.state import InteractionState
from bot.telegram.send import chat_action_of
from core.chat.model import Reply
from core.chat.registry import CommandContext, Registry
from core.commands.default import build_registry
from tests.bot.telegram.harness import DM, GROUP, USER, Harness, running

pytestmark = pytest.mark.e2e
EVERY = 0.1  # seconds between two chat actions in these tests (4.5 in production)


class Gated:
    """A registry with two slow commands that answer only once the test opens the gate."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.registry: Registry = build_registry()

        @self.registry.command("crunch", "Takes a while", slow=True)
        async def crunch(ctx: CommandContext) -> Reply:
            await self.gate.wait()
            return Reply(text="crunched")

        @self.registry.command("plot", "Draws a chart", slow=True, chart=True)
        async def plot(ctx: CommandContext) -> Reply:
            await self.gate.wait()
            return Reply(text="plotted")


@pytest.fixture
async def gated(interaction_state: InteractionState) -> AsyncIterator[tuple[Harness, Gated]]:
    commands = Gated()
    async with running(commands.registry, state=interaction_state, action_every=EVERY) as bot:
        yield bot, commands


def actions(harness: Harness) -> list[tuple[int, str]]:
    """(chat id, action) of every sendChatAction call, in order."""
    return [(int(c.params["chat_id"]), str(c.params["action"])) for c in harness.fake.calls_of("sendChatAction")]


async def test_a_slow_command_shows_typing_until_its_answer(gated: tuple[Harness, Gated]):
    harness, commands = gated
    harness.fake.push_message("/crunch", GROUP, USER, "group")
    await harness.fake.wait_for("sendChatAction", 3)  # sent at once, then repeated while the command runs
    assert harness.fake.calls_of("sendMessage") == []
    commands.gate.set()
    [reply] = await harness.fake.wait_for("sendMessage")
    assert reply.params["text"] == "crunched" and int(reply.params["chat_id"]) == GROUP
    await asyncio.sleep(5 * EVERY)  # long enough for several more actions, had they not stopped
    methods = [call.method for call in harness.fake.calls if call.method in ("sendChatAction", "sendMessage")]
    assert methods.count("sendChatAction") >= 3 and methods[-1] == "sendMessage"  # none after the answer
    assert set(actions(harness)) == {(GROUP, "typing")}


async def test_a_chart_shows_sending_a_photo(gated: tuple[Harness, Gated]):
    harness, commands = gated
    harness.fake.push_message("/plot", DM, USER)
    await harness.fake.wait_for("sendChatAction")
    commands.gate.set()
    await harness.fake.wait_for("sendMessage")
    assert set(actions(harness)) == {(DM, "upload_photo")}


async def test_a_quick_command_shows_nothing(interaction_state: InteractionState):
    async with running(state=interaction_state, action_every=EVERY) as harness:
        await harness.ask("/price tritanium jita")
        assert actions(harness) == []


def test_the_registry_says_which_commands_are_slow():
    registry = build_registry()
    wanted: dict[str, str | None] = {
        "history": "upload_photo",
        "trade station": "typing",
        "trade haul": "typing",
        "appraise": "typing",
    }
    wanted |= {"analyze": "typing", "ask": "typing", "price": None, "compare": None, "help": None}
    assert {name: chat_action_of(registry.get(name)) for name in wanted} == wanted
