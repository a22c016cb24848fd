"""Pages and long button actions live in Redis: they survive a client restart, and unknown keys say so."""

from __future__ import annotations

import pytest

from bot.state import InteractionState
from core.chat.model import Caller
from fakes.discord import DiscordFake
from tests.bot.discord.support import GUILD, TOKEN, Harness, connected, make_gateway, running

pytestmark = pytest.mark.e2e
LONG_ITEM = "Tritanium" * 12  # "price <item> amarr" is too long for a custom_id: the action is stored


async def test_pages_and_long_actions_work_after_a_restart(interaction_state: InteractionState):
    callers: list[Caller] = []
    async with DiscordFake(TOKEN, guild_ids=(GUILD,)) as fake:
        async with connected(fake, make_gateway(callers), interaction_state) as before:
            paged, priced = await fake.command("long", {"rows": 400}), await fake.command("price", {"item": LONG_ITEM})
            [first], [price] = [await Harness(fake, before).answers(pushed) for pushed in (paged, priced)]
        assert before.is_closed()
        prev, marker, nxt = first.json["data"]["components"][0]["components"]
        pages = int(marker["label"].split("/")[1])
        [action, _] = price.json["data"]["components"][0]["components"]
        assert action["custom_id"].startswith("evt:k:") and len(action["custom_id"]) == len("evt:k:") + 12
        async with connected(fake, make_gateway(callers), interaction_state) as after:
            harness = Harness(fake, after, callers)
            [turn] = await harness.answers(await fake.click(paged.message_id, nxt["custom_id"]))
            [rerun] = await harness.answers(await fake.click(priced.message_id, action["custom_id"]))
    assert turn.json["type"] == 7
    second = turn.json["data"]
    assert second["embeds"][-1]["footer"]["text"].endswith(f"page 2/{pages}")
    assert second["components"][0]["components"][0]["custom_id"] == prev["custom_id"]  # the same stored key
    assert fake.original(paged)["embeds"] == second["embeds"]
    assert rerun.json["type"] == 4 and rerun.json["data"]["embeds"][0]["title"] == f"{LONG_ITEM} — amarr"


@pytest.mark.parametrize("custom_id", ["evt:p:nosuchkey123:1", "evt:k:nosuchkey123"])
async def test_an_unknown_key_answers_that_the_pages_expired(interaction_state: InteractionState, custom_id: str):
    callers: list[Caller] = []
    async with running(make_gateway(callers), callers, interaction_state) as harness:
        pushed = await harness.fake.command("price", {"item": "Tritanium"})
        await harness.answers(pushed)
        [answer] = await harness.answers(await harness.fake.click(pushed.message_id, custom_id))
    assert answer.json["type"] == 4 and answer.json["data"]["flags"] == 64
    assert answer.json["data"]["content"] == "These pages have expired: run the command again."
    assert len(callers) == 1  # only the command ran, not the click


async def test_a_page_past_the_end_answers_that_the_pages_expired(interaction_state: InteractionState):
    callers: list[Caller] = []
    async with running(make_gateway(callers), callers, interaction_state) as harness:
        pushed = await harness.fake.command("long", {"rows": 400})
        [answer] = await harness.answers(pushed)
        key = answer.json["data"]["components"][0]["components"][0]["custom_id"].split(":")[2]
        [late] = await harness.answers(await harness.fake.click(pushed.message_id, f"evt:p:{key}:99"))
    assert late.json["data"]["content"].startswith("These pages have expired") and late.json["data"]["flags"] == 64


async def test_without_the_state_the_first_page_comes_without_a_pager(unreachable_state: InteractionState):
    callers: list[Caller] = []
    async with running(make_gateway(callers), callers, unreachable_state) as harness:
        paged = await harness.fake.command("long", {"rows": 400})
        [first] = await harness.answers(paged)
        priced = await harness.fake.command("price", {"item": LONG_ITEM})
        [price] = await harness.answers(priced)
    assert first.json["type"] == 4 and first.json["data"]["embeds"]  # the reply itself still goes out
    assert not first.json["data"].get("components")  # no pager: its pages could not be kept
    labels = [c.get("label") for row in price.json["data"].get("components", []) for c in row["components"]]
    assert labels == ["Wiki"]  # the long action ("Amarr") could not be kept and is left out; the link stays
    assert price.json["data"]["embeds"][0]["title"] == f"{LONG_ITEM} — Jita"


FORGED = ["", "evt", "evt:", "evt:p:", "evt:p:x:²", "evt:p:x:" + "9" * 90, "evt:a:", "evt:k:", "evt:z:1", "other:1"]


async def test_forged_custom_ids_are_answered_and_run_nothing(interaction_state: InteractionState):
    callers: list[Caller] = []
    async with running(make_gateway(callers), callers, interaction_state) as harness:
        pushed = await harness.fake.command("price", {"item": "Tritanium"})
        await harness.answers(pushed)
        answers = [(await harness.answers(await harness.fake.click(pushed.message_id, cid)))[0] for cid in FORGED]
    assert all(a.json["type"] == 4 and a.json["data"]["flags"] == 64 for a in answers)  # ephemeral "expired"
    assert {a.json["data"]["content"] for a in answers} == {"These pages have expired: run the command again."}
    assert len(callers) == 1  # only the command ran
