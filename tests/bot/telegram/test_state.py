"""The adapter's in-memory state without Telegram: TTL map, missing-parameter rule, callback data, choice keys."""

from __future__ import annotations

import pytest

from bot.telegram.keyboards import Keyboards, Paged, choice_markup, page_markup, parse_callback
from bot.telegram.prompts import Conversations, missing_params, prompt, with_answer
from bot.telegram.render import render_html
from bot.telegram.ttl import TtlMap
from core.commands.default import build_registry
from core.commands.model import Button, Reply
from core.commands.params import Param, ParamKind, parse_raw
from core.commands.registry import Command

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
    assert entries.get("a") is None and len(entries) == 0
    entries.set("a", 1)
    entries.set("b", 2)
    entries.set("c", 3)
    assert (entries.get("a"), entries.get("b"), entries.get("c")) == (None, 2, 3)
    assert entries.pop("b") == 2 and entries.pop("b") is None


def command(name: str) -> Command:
    found = REGISTRY.get(name)
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


def test_answers_stay_one_value():
    assert with_answer("", "tritanium") == "tritanium"
    assert with_answer("jita", "  amarr  viii ") == 'jita "amarr viii"'
    assert with_answer("", "10x Tritanium\n5 Pyerite") == "10x Tritanium\n5 Pyerite"
    item, where = Param("item", "i", ParamKind.STRING), Param("where", "w", ParamKind.STRING, required=False)
    assert parse_raw([item, where], with_answer("", "two words"), None) == {"item": "two words", "where": None}


def test_conversation_asks_in_turn_then_finishes():
    clock = Clock()
    talks = Conversations(60, clock=clock)
    haul = command("trade haul")
    talks.begin((1, 2), haul, "", missing_params(haul, ""))
    text, markup = prompt(talks.get((1, 2)))  # type: ignore[arg-type]
    assert "<b>source</b>" in text and markup.to_dict()["force_reply"] is True
    step = talks.answer((1, 2), "jita")
    assert step is not None and step.asking.name == "destination" and talks.get((1, 2)) == step
    done = talks.answer((1, 2), "amarr")
    assert done is not None and done.raw == "jita amarr" and not done.missing and talks.get((1, 2)) is None
    talks.begin((1, 2), haul, "", missing_params(haul, ""))
    clock.now += 61
    assert talks.answer((1, 2), "jita") is None  # the question expired


def test_choice_prompts_are_buttons():
    mode = Param("mode", "How", ParamKind.CHOICE, choices=("immediate", "order"))
    markup = choice_markup(mode.choices).to_dict()
    assert [[k["callback_data"] for k in row] for row in markup["inline_keyboard"]] == [["a:0", "a:1"]]


def test_callback_data_fits_in_64_bytes():
    keys = Keyboards()
    assert keys.action_data("price trit") == "c:price trit"
    long_action = "price " + "x" * 80
    data = keys.action_data(long_action)
    assert len(data.encode()) <= 64 and keys.action_of(*parse_callback(data)) == long_action
    assert keys.action_of("k", "unknown") is None and parse_callback("p:abc:2") == ("p", "abc:2")


def test_page_markup_offers_only_the_possible_turns():
    paged = Paged(["a", "b", "c"], [])
    assert [k.text for k in page_markup("id", 0, paged).inline_keyboard[0]] == ["1/3", "Next ▶"]
    assert [k.callback_data for k in page_markup("id", 2, paged).inline_keyboard[0]] == ["p:id:1", "x"]


def test_keyboard_buttons_are_not_repeated_as_text():
    reply = Reply(text="hi", buttons=[Button("Amarr", action="price trit amarr")])
    assert render_html(reply, buttons_as_text=False) == ["hi"]
    assert "/price trit amarr" in render_html(reply)[0]
