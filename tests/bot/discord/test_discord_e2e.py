"""The real discord.py client against DiscordFake: sync, commands, autocomplete, deferral, files, DMs, buttons."""

from __future__ import annotations

import asyncio
import gc
import time
import warnings
from collections.abc import AsyncIterator

import pytest

from bot.discord.client import send_dm, stop
from bot.discord.commands import command_payloads
from bot.state import InteractionState
from core.chat.model import Caller, Reply
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from fakes.discord import MANAGE_GUILD, MEMBER_PERMISSIONS
from tests.bot.discord.support import GUILD, PNG, Harness, Refuse, make_gateway, running
from tests.core.commands.market_helpers import context, trit_market

pytestmark = pytest.mark.e2e
CALLBACK, FOLLOW_UP = "/interactions/{id}/{token}/callback", "/webhooks/{app}/{token}"
ORIGINAL = "/webhooks/{app}/{token}/messages/{message}"


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    callers: list[Caller] = []
    async with running(make_gateway(callers), callers, interaction_state) as started:
        yield started


async def test_commands_are_synced_to_the_guild(harness: Harness):
    synced = harness.fake.guild_commands[GUILD]
    assert harness.fake.global_commands == []
    registry = harness.client.gateway.registry
    expected = command_payloads(registry)
    assert [
        {k: v for k, v in c.items() if k not in ("id", "application_id", "version", "guild_id")} for c in synced
    ] == [dict(e, type=1) for e in expected]
    by_name = {command["name"]: command for command in synced}
    assert by_name["price"]["options"][0] == {
        "type": 3,
        "name": "item",
        "description": "The item",
        "required": True,
        "autocomplete": True,
    }
    [station] = by_name["trade"]["options"]
    assert station["type"] == 1 and station["name"] == "station"
    budget, count, sort = station["options"]
    assert (budget["type"], budget["min_value"], budget["required"]) == (10, 0, True)
    assert (count["type"], count["min_value"], count["max_value"], count["required"]) == (4, 1, 20, False)
    assert sort["choices"] == [{"name": "profit", "value": "profit"}, {"name": "volume", "value": "volume"}]


async def test_price_is_answered_with_an_embed_and_buttons(harness: Harness):
    pushed = await harness.fake.command("price", {"item": "Tritanium", "where": "Amarr"})
    [answer] = await harness.answers(pushed)
    assert answer.route == CALLBACK and answer.query == {"with_response": "1"} and answer.json["type"] == 4
    data = answer.json["data"]
    assert not (data.get("flags") or 0) & 64
    [embed] = data["embeds"]
    assert embed["title"] == "Tritanium — Amarr"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("Sell", "4.90 (5 orders)"),
        ("Buy", "4.50 (4 orders)"),
    ]
    assert embed["footer"]["text"].startswith("ESI market snapshot · data as of 11:30 UTC")
    assert embed["timestamp"].startswith("2025-05-20T11:30:00")
    [row] = data["components"]
    action, link = row["components"]
    assert (action["label"], action["custom_id"], action["style"]) == ("Amarr", "evt:a:price Tritanium amarr", 2)
    assert (link["style"], link["url"]) == (5, "https://example.org/trit")
    assert harness.fake.original(pushed)["embeds"] == data["embeds"]
    [caller] = harness.callers
    channel = harness.fake.guild_channels[GUILD]
    assert caller == Caller("discord", "4242", "Pilot Jones", guild_id=GUILD, chat_id=channel, is_dm=False)


async def test_autocomplete_answers_at_most_25_matching_choices(harness: Harness):
    pushed = await harness.fake.command("price", {"item": "tri"}, focused="item")
    [answer] = await harness.answers(pushed)
    assert answer.json["type"] == 8
    choices = answer.json["data"]["choices"]
    assert len(choices) == 25
    assert choices[:3] == [{"name": n, "value": n} for n in ("Tritanium", "Tritanium Ore", "Tritanium Bar")]
    assert all(choice["name"].lower().startswith("tri") for choice in choices)
    other = await harness.fake.command("price", {"item": "Tritanium", "where": "am"}, focused="where")
    [answer] = await harness.answers(other)
    assert answer.json == {"type": 8, "data": {"choices": []}}  # no completion source on "where"


async def test_a_slow_command_defers_then_follows_up(harness: Harness):
    pushed = await harness.fake.command("report", {"item": "Veldspar"})
    defer, follow_up = await harness.answers(pushed, 2)
    assert defer.route == CALLBACK and defer.json == {"type": 5}
    assert follow_up.route == FOLLOW_UP and follow_up.method == "POST"
    assert follow_up.json["embeds"][0]["title"] == "Report on Veldspar"
    original = harness.fake.original(pushed)
    assert original["embeds"][0]["description"] == "All quiet." and not original["flags"] & 128


async def test_a_fast_command_defers_only_when_its_answer_is_late(harness: Harness):
    quick = await harness.fake.command("ponder", {"seconds": 0.0})
    [answer] = await harness.answers(quick)
    assert answer.json["type"] == 4 and answer.json["data"]["embeds"][0]["description"] == "pondered 0 s"
    late = await harness.fake.command("ponder", {"seconds": 0.4})
    defer, follow_up = await harness.answers(late, 2)
    assert defer.json == {"type": 5} and follow_up.json["embeds"][0]["description"] == "pondered 0.4 s"


async def test_an_image_arrives_as_an_attachment_shown_in_the_embed(harness: Harness):
    pushed = await harness.fake.command("chart", {"item": "Tritanium"})
    [answer] = await harness.answers(pushed)
    assert answer.files == {"history_chart.png": PNG}
    [embed] = answer.json["data"]["embeds"]
    assert embed["image"]["url"] == "attachment://history_chart.png"
    assert answer.json["data"]["attachments"][0]["description"] == "Tritanium price, 30 days"
    [attachment] = harness.fake.original(pushed)["attachments"]
    assert attachment["filename"] == "history_chart.png" and attachment["size"] == len(PNG)


async def test_a_dm_command_is_from_a_dm_caller_and_never_ephemeral(harness: Harness):
    pushed = await harness.fake.command("whoami", dm=True, user_id="777", display_name="Dee Em")
    [answer] = await harness.answers(pushed)
    assert answer.json["data"]["embeds"][0]["description"] == "you are Dee Em"
    assert not (answer.json["data"].get("flags") or 0) & 64
    [caller] = harness.callers
    assert caller == Caller("discord", "777", "Dee Em", guild_id=None, chat_id="7777", is_dm=True)


async def test_ephemeral_replies_and_manage_guild_in_a_guild(harness: Harness):
    member = await harness.fake.command("whoami")
    admin = await harness.fake.command("whoami", user_id="99", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
    [first] = await harness.answers(member)
    [second] = await harness.answers(admin)
    assert first.json["data"]["flags"] & 64 and second.json["data"]["flags"] & 64
    assert [caller.roles for caller in harness.callers] == [frozenset(), frozenset({"manage_guild"})]


async def test_a_button_click_runs_its_action(harness: Harness):
    pushed = await harness.fake.command("price", {"item": "Tritanium"})
    await harness.answers(pushed)
    click = await harness.fake.click(
        pushed.message_id, "evt:a:price Tritanium amarr", user_id="55", display_name="Clicker"
    )
    [answer] = await harness.answers(click)
    assert answer.json["type"] == 4
    assert answer.json["data"]["embeds"][0]["title"] == "Tritanium — amarr"
    assert harness.callers[-1].user_id == "55" and harness.callers[-1].display_name == "Clicker"


async def test_long_replies_page_with_prev_and_next(harness: Harness):
    pushed = await harness.fake.command("long", {"rows": 400})
    [answer] = await harness.answers(pushed)
    first = answer.json["data"]
    prev, marker, nxt = first["components"][0]["components"]
    assert prev["disabled"] and not nxt["disabled"] and marker["label"].startswith("1/")
    pages = int(marker["label"].split("/")[1])
    assert pages >= 3 and "Item number 0 " in first["embeds"][0]["description"]
    assert first["embeds"][-1]["footer"]["text"].endswith(f"page 1/{pages}")
    click = await harness.fake.click(pushed.message_id, nxt["custom_id"])
    [turn] = await harness.answers(click)
    assert turn.json["type"] == 7
    second = turn.json["data"]
    assert second["embeds"][-1]["footer"]["text"].endswith(f"page 2/{pages}")
    assert "Item number 0 " not in second["embeds"][0]["description"]
    assert second["embeds"][0]["description"].startswith("```\n#")  # headers repeat on every page
    assert harness.fake.original(click)["embeds"] == second["embeds"]
    stale = await harness.fake.click(pushed.message_id, "evt:p:gone:1")
    [expired] = await harness.answers(stale)
    assert (
        expired.json["data"]["content"].startswith("These pages have expired") and expired.json["data"]["flags"] == 64
    )


async def test_subcommand_options_arrive_typed_and_as_text(harness: Harness):
    pushed = await harness.fake.command("trade station", {"budget": 1_500_000_000.0, "count": 3, "sort": "volume"})
    [answer] = await harness.answers(pushed)
    assert answer.json["data"]["embeds"][0]["description"] == "budget=1.5e+09 count=3 sort=volume"
    sub = pushed.payload["data"]["options"][0]
    assert [o["type"] for o in sub["options"]] == [10, 4, 3]


async def test_an_error_from_a_slow_command_replaces_the_public_thinking_message(harness: Harness):
    pushed = await harness.fake.command("report", {"item": "fail"})
    defer, delete, follow_up = await harness.answers(pushed, 3)
    assert defer.json == {"type": 5}
    assert (delete.method, delete.route) == ("DELETE", ORIGINAL)
    assert follow_up.json["flags"] & 64 and follow_up.json["embeds"][0]["description"].startswith("⚠️ no report")


async def test_a_refusing_rate_limiter_gets_the_wait_reply(interaction_state: InteractionState):
    callers: list[Caller] = []
    limiter = Refuse(12.0)
    async with running(make_gateway(callers, limiter=limiter), callers, interaction_state) as harness:
        pushed = await harness.fake.command("price", {"item": "Tritanium"})
        [answer] = await harness.answers(pushed)
    data = answer.json["data"]
    assert data["flags"] & 64 and "try again in 12 s" in data["embeds"][0]["description"]
    assert limiter.keys == ["discord:4242"] and callers == []


async def test_a_429_is_waited_out_and_retried(harness: Harness):
    harness.fake.fail_next("POST", CALLBACK, 429, retry_after=0.3)
    started = time.monotonic()
    pushed = await harness.fake.command("price", {"item": "Tritanium"})
    limited, answer = await harness.answers(pushed, 2)
    elapsed = time.monotonic() - started
    assert (limited.status, answer.status) == (429, 200) and elapsed >= 0.3
    assert answer.json["data"]["embeds"][0]["title"] == "Tritanium — Jita"
    assert harness.fake.original(pushed)["embeds"] == answer.json["data"]["embeds"]


async def test_stop_lets_an_in_flight_reply_finish(harness: Harness):
    pushed = await harness.fake.command("ponder", {"seconds": 0.5})
    await harness.fake.wait_for(harness.fake.about(pushed))  # deferred: the handler is still running
    await stop(harness.client, grace=3)
    assert [r.route for r in harness.fake.requests if pushed.token in r.path] == [CALLBACK, FOLLOW_UP]
    assert harness.client.is_closed()


async def test_alerts_reach_a_users_dms(harness: Harness):
    message = await send_dm(harness.client, "4242", Reply(title="Alert", text="Tritanium fell below 4.00"))
    [opened] = harness.fake.requests_to("/users/@me/channels")
    [sent] = harness.fake.requests_to("/channels/{channel}/messages")
    assert opened.json == {"recipient_id": 4242} or opened.json == {"recipient_id": "4242"}
    assert sent.path == f"/channels/{message.channel.id}/messages"
    assert sent.json["embeds"][0]["title"] == "Alert"


async def test_price_from_the_real_registry_carries_real_numbers(interaction_state: InteractionState):
    callers: list[Caller] = []
    market = trit_market()

    async def market_context(caller: Caller) -> CommandContext:
        callers.append(caller)
        return context(market)

    gateway = make_gateway(callers, registry=build_registry(), context_for=market_context)
    async with running(gateway, callers, interaction_state) as harness:
        pushed = await harness.fake.command("price", {"item": "tritanium", "where": "jita"})
        [answer] = await harness.answers(pushed)
        assert {c["name"] for c in harness.fake.guild_commands[GUILD]} >= {"price", "trade", "appraise", "help"}
    [embed] = answer.json["data"]["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Tritanium — Jita IV - Moon 4 - Caldari Navy Assembly Plant"
    assert fields["Sell"] == "4.90 (5 orders, 200,000 units)" and fields["Buy"] == "4.50 (4 orders, 100,000 units)"
    assert callers[0].platform == "discord"


async def test_clean_shutdown_leaves_no_tasks_or_warnings(interaction_state: InteractionState):
    before = asyncio.all_tasks()
    callers: list[Caller] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with running(make_gateway(callers), callers, interaction_state) as harness:
            pushed = await harness.fake.command("whoami")
            await harness.answers(pushed)
        await asyncio.sleep(0)
        gc.collect()
    assert [t for t in asyncio.all_tasks() - before if not t.done()] == []
    assert [str(w.message) for w in caught] == []
