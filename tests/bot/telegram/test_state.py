"""The adapter's state without Telegram: open questions and keyboards in the real Redis, the role cache in memory,
the missing-parameter rule, callback data and choice keys."""

from __future__ import annotations

import asyncio

import pytest
from telegram import InlineKeyboardButton

from bot.state import InteractionState
from bot.telegram.callers import TtlMap
from bot.telegram.keyboards import Keyboards, Paged, choice_markup, page_markup, parse_callback
from bot.telegram.prompts import Conversations, prompt, with_answer
from bot.telegram.render import render_html
from core.catalog import Location
from core.chat.model import Button, Reply
from core.chat.params import Param, ParamKind, Resolver, missing_values, parse_raw, runs_on
from core.chat.registry import Command, CommandContext, Registry
from core.commands.default import build_registry
from tests.bot.telegram.harness import bot_registry
from tests.core.commands.sample_catalog import sample_catalog

REGISTRY = build_registry()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ttl_map_forgets_after_ttl_and_keeps_at_most_max_entries():
    clock = Clock()
    entries: TtlMap[str, int] = TtlMap(10, max_entries=2, clock=clock)
    entries.set("a", 1)
    clock.now += 9.9
    assert entries.get("a") == 1
    clock.now += 0.1
    assert entries.get("a") is None
    entries.set("a", 1)
    entries.set("b", 2)
    entries.set("c", 3)
    assert (entries.get("a"), entries.get("b"), entries.get("c")) == (None, 2, 3)


def missing_params(command: Command, raw: str, resolver: Resolver | None = None) -> list[Param]:
    return list(missing_values(command.params, raw, resolver).missing)


def command(name: str, registry: Registry = REGISTRY) -> Command:
    found = registry.get(name)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("name", "raw", "missing"),
    [
        ("price", "", ["item"]),
        ("price", "tritanium", []),
        ("price", "large skill injector amarr", []),
        ("trade haul", "", ["source", "destination"]),
        ("trade haul", "jita", ["destination"]),
        ("trade haul", "accounting=5 jita", ["destination"]),
        ("appraise", "", ["paste"]),
        ("help", "", []),
    ],
)
def test_missing_params_follow_the_raw_parser(name: str, raw: str, missing: list[str]):
    assert [p.name for p in missing_params(command(name), raw)] == missing


@pytest.mark.parametrize(
    ("raw", "missing", "kept"),
    [
        ("jita group=combat drones", ["destination"], 'jita group="combat drones"'),  # "drones" is no place
        ("group=combat drones", ["source", "destination"], 'group="combat drones"'),
        ("jita amarr group=combat drones", [], 'jita amarr group="combat drones"'),
        ("jita group=frigates amarr", [], "jita group=frigates amarr"),  # the one-word reading fits: it wins
        ("jita group=frigates", ["destination"], "jita group=frigates"),
    ],
)
def test_missing_params_read_a_run_on_name_value_as_the_parser_does(raw: str, missing: list[str], kept: str):
    """An unquoted name= value runs on over the words after it when the one-word reading does not fit, so those
    words are not positional values; the text kept for the answers quotes it, so answers added after stay apart."""
    haul = command("trade haul")
    reading = missing_values(haul.params, raw, sample_catalog())
    assert [p.name for p in reading.missing] == missing and reading.raw == kept
    assert runs_on(haul.params, raw) == ("group=frigates amarr" in raw or "drones" in raw)
    answered = reading.raw
    for place in ("jita", "amarr")[2 - len(missing) :]:
        answered = with_answer(answered, place)
    parsed = parse_raw(haul.params, answered, sample_catalog())
    destination = parsed["destination"]
    assert isinstance(destination, Location) and destination.name.startswith("Amarr")
    assert parsed["group"] in ("combat drones", "frigates")


def test_answers_stay_one_value():
    assert with_answer("", "tritanium") == "tritanium"
    assert with_answer("jita", "  amarr  viii ") == 'jita "amarr viii"'
    assert with_answer("", "10x Tritanium\n5 Pyerite") == "10x Tritanium\n5 Pyerite"
    item, where = Param("item", "i", ParamKind.STRING), Param("where", "w", ParamKind.STRING, required=False)
    assert parse_raw([item, where], with_answer("", "two words"), None) == {"item": "two words", "where": None}


async def test_conversation_asks_in_turn_then_finishes(interaction_state: InteractionState):
    talks = Conversations(interaction_state, REGISTRY, 60)
    haul = command("trade haul")
    pending = await talks.begin((1, 2), haul, "", missing_params(haul, ""))
    assert pending is not None
    text, markup = prompt(pending)
    assert "<b>source</b>" in text and markup.to_dict()["force_reply"] is True
    step = await talks.answer((1, 2), "jita")
    assert step is not None and step.asking.name == "destination" and step.command is haul
    done = await talks.answer((1, 2), "amarr")
    assert done is not None and done.raw == "jita amarr" and not done.missing
    assert await talks.answer((1, 2), "dodixie") is None  # finished: nothing open any more


async def test_an_open_question_expires(interaction_state: InteractionState):
    talks = Conversations(interaction_state, REGISTRY, 0.05)
    await talks.begin((1, 2), command("price"), "", missing_params(command("price"), ""))
    await asyncio.sleep(0.15)
    assert await talks.answer((1, 2), "tritanium") is None


async def test_a_question_is_rebuilt_from_another_registry_on_the_same_state(interaction_state: InteractionState):
    order = command("order", bot_registry())
    await Conversations(interaction_state, bot_registry()).begin((1, 2), order, "tritanium", list(order.params[1:]))
    after_deploy = bot_registry()
    step = await Conversations(interaction_state, after_deploy).answer((1, 2), "sell")
    assert step is not None and step.command is command("order", after_deploy) and step.command is not order
    assert step.raw == "tritanium sell" and [p.name for p in step.missing] == ["quantity"]
    assert step.asking is command("order", after_deploy).params[2]


async def test_a_question_whose_command_or_parameter_went_away_is_gone(interaction_state: InteractionState):
    haul = command("trade haul")
    await Conversations(interaction_state, REGISTRY).begin((1, 2), haul, "", missing_params(haul, ""))
    assert await Conversations(interaction_state, Registry()).answer((1, 2), "jita") is None
    order = command("order", bot_registry())
    await Conversations(interaction_state, REGISTRY).begin((1, 2), order, "", list(order.params))
    renamed = Registry()

    item, direction = Param("item", "Item", ParamKind.STRING), Param("direction", "Way", ParamKind.STRING)

    @renamed.command("order", "Place an order", item, direction)
    async def new_order(ctx: CommandContext, **values: str) -> Reply:
        return Reply(text=str(values))

    assert await Conversations(interaction_state, renamed).answer((1, 2), "trit") is None
    assert await Conversations(interaction_state, bot_registry()).cancel((1, 2)) is None  # dropped, not kept


@pytest.mark.parametrize("name", ["price", "trade haul"])
async def test_concurrent_answers_take_each_step_once(interaction_state: InteractionState, name: str):
    talks = Conversations(interaction_state, REGISTRY)
    asked = command(name)
    for user in range(5):
        await talks.begin((1, user), asked, "", missing_params(asked, ""))
        steps = await asyncio.gather(*(talks.answer((1, user), f"hub{n}") for n in range(8)))
        taken = sorted((step for step in steps if step is not None), key=lambda step: len(step.raw))
        asking = len(missing_params(asked, ""))
        assert [len(step.missing) for step in taken] == list(range(asking - 1, -1, -1))[: len(taken)]
        assert taken and taken[-1].raw.count("hub") == len(taken)  # each step saw exactly one answer


async def test_a_choice_answers_only_a_choice_question(interaction_state: InteractionState):
    registry = bot_registry()
    talks = Conversations(interaction_state, registry)
    order = command("order", registry)
    await talks.begin((1, 2), order, "tritanium", list(order.params[1:]))
    assert await talks.choose((1, 2), 2) is None  # side has two choices
    step = await talks.choose((1, 2), 1)
    assert step is not None and step.raw == "tritanium sell"
    assert await talks.choose((1, 2), 0) is None  # quantity is not a choice ...
    done = await talks.answer((1, 2), "5")  # ... and stays open for its answer
    assert done is not None and done.raw == "tritanium sell 5"


def test_choice_prompts_are_buttons():
    mode = Param("mode", "How", ParamKind.CHOICE, choices=("immediate", "order"))
    markup = choice_markup(mode.choices).to_dict()
    assert [[k["callback_data"] for k in row] for row in markup["inline_keyboard"]] == [["a:0", "a:1"]]


async def test_callback_data_fits_in_64_bytes(interaction_state: InteractionState):
    keys = Keyboards(interaction_state)
    assert await keys.action_data("price trit") == "c:price trit"
    long_action = "price " + "x" * 80
    data = await keys.action_data(long_action)
    assert data is not None and len(data.encode()) <= 64 and await keys.action_of(*parse_callback(data)) == long_action
    assert await Keyboards(interaction_state).action_of(*parse_callback(data)) == long_action  # another replica
    assert await keys.action_of("k", "unknown") is None and parse_callback("p:abc:2") == ("p", "abc:2")


async def test_paged_replies_keep_their_pages_and_buttons(interaction_state: InteractionState):
    keys = Keyboards(interaction_state)
    buttons = [Button("Market", url="https://evemarketer.example/?a=1"), Button("Station", action="x" * 80)]
    rows = await keys.rows(buttons)
    key = await keys.add_pages(Paged(["<b>one</b>", "two"], rows))
    assert key is not None
    paged = await Keyboards(interaction_state).paged(key)
    assert paged is not None and paged.pages == ["<b>one</b>", "two"]
    assert [[k.to_dict() for k in row] for row in paged.rows] == [[k.to_dict() for k in row] for row in rows]
    assert isinstance(paged.rows[0][0], InlineKeyboardButton) and str(paged.rows[0][1].callback_data).startswith("k:")
    assert len(str(page_markup(key, 0, paged).inline_keyboard[0][1].callback_data).encode()) <= 64
    assert await keys.paged("unknown") is None


async def test_keyboard_state_expires(interaction_state: InteractionState):
    keys = Keyboards(interaction_state, 0.05)
    key, data = await keys.add_pages(Paged(["a", "b"], [])), await keys.action_data("price " + "x" * 80)
    assert key is not None and data is not None
    await asyncio.sleep(0.15)
    assert await keys.paged(key) is None and await keys.action_of(*parse_callback(data)) is None


def test_page_markup_offers_only_the_possible_turns():
    paged = Paged(["a", "b", "c"], [])
    assert [k.text for k in page_markup("id", 0, paged).inline_keyboard[0]] == ["1/3", "Next ▶"]
    assert [k.callback_data for k in page_markup("id", 2, paged).inline_keyboard[0]] == ["p:id:1", "x"]


def test_keyboard_buttons_are_not_repeated_as_text():
    reply = Reply(text="hi", buttons=[Button("Amarr", action="price trit amarr")])
    assert render_html(reply, buttons_as_text=False) == ["hi"]
    assert "/price trit amarr" in render_html(reply)[0]
