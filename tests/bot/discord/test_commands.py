"""Registry -> application command payloads, and interaction data -> Invocation."""

from __future__ import annotations

from bot.discord.commands import command_payloads, focused_of, invocation_of, value_text
from bot.discord.pastes import file_option
from core.chat.model import Caller, Invocation
from core.chat.params import ParamKind
from core.commands.default import build_registry
from fakes.discord.payloads import command_errors

CALLER = Caller("discord", "1", "Pilot")


def test_the_real_registry_becomes_valid_commands():
    registry = build_registry()
    payloads = command_payloads(registry)
    assert command_errors(payloads) == []
    by_name = {payload["name"]: payload for payload in payloads}
    top = {c.name.split()[0] for c in registry.commands()}
    assert set(by_name) == top and len(payloads) <= 100
    trade = by_name["trade"]
    assert {option["name"] for option in trade["options"]} == {c.name.split()[1] for c in registry.subcommands("trade")}
    assert all(option["type"] == 1 for option in trade["options"])
    for command in registry.commands():
        options = (
            by_name[command.name]
            if command.group is None
            else next(o for o in by_name[command.group]["options"] if o["name"] == command.name.split()[1])
        )
        pastes = any(param.kind is ParamKind.PASTE for param in command.params)
        if pastes:  # a paste command also takes a .txt file; its text is optional (a modal asks for it)
            assert options["options"][-1] == file_option()
        for param, option in zip(command.params, options["options"][: len(options["options"]) - pastes], strict=True):
            expected = {ParamKind.INT: 4, ParamKind.FLOAT: 10}.get(param.kind, 3)
            required = param.required and param.kind is not ParamKind.PASTE
            assert (option["name"], option["type"], option["required"]) == (param.name, expected, required)
            assert option.get("autocomplete", False) == bool(param.autocomplete)
            assert [c["value"] for c in option.get("choices", [])] == list(param.choices)
            if param.min_value is not None:
                assert option["min_value"] == param.min_value
    price = by_name["price"]["options"]
    assert price[0]["autocomplete"] is True


def test_interaction_data_becomes_an_invocation_with_text_values():
    data = {
        "name": "trade",
        "options": [
            {
                "type": 1,
                "name": "station",
                "options": [
                    {"type": 10, "name": "budget", "value": 1.5e9},
                    {"type": 4, "name": "count", "value": 3},
                    {"type": 10, "name": "margin", "value": 0.0000001},
                ],
            }
        ],
    }
    invocation = invocation_of(data, CALLER)
    assert invocation == Invocation(
        "trade station", {"budget": "1500000000", "count": "3", "margin": "0.0000001"}, CALLER
    )
    assert invocation_of({"name": "help"}, CALLER) == Invocation("help", {}, CALLER)


def test_the_focused_option_of_an_autocomplete():
    data = {"name": "price", "options": [{"type": 3, "name": "item", "value": "trit", "focused": True}]}
    assert focused_of(data) == ("price", "item", "trit")
    assert focused_of({"name": "price", "options": []}) is None


def test_value_text():
    assert [value_text(v) for v in (5.0, 2.5, 7, "Jita", True, None)] == ["5", "2.5", "7", "Jita", "true", ""]
