"""Dispatch: routing, argument errors with usage, crash handling with an incident id, and the built-in /help."""

from __future__ import annotations

import logging

import pytest

from core.catalog import CatalogItem, Location
from core.chat import Caller, Command, CommandContext, Invocation, Param, ParamKind, Registry, Reply, dispatch
from tests.core.commands.sample_catalog import sample_catalog

CALLER = Caller("console", "u1", "Tester")
K = ParamKind


async def price(ctx: CommandContext, item: CatalogItem, where: Location | None = None) -> Reply:
    place = where.name if where else "default"
    return Reply(text=f"{item.name} @ {place} for {ctx.caller.display_name}", data={"type_id": item.type_id})


async def station(ctx: CommandContext, where: Location | None, budget: float | None) -> Reply:
    return Reply(data={"where": where.name if where else None, "budget": budget})


async def boom(ctx: CommandContext) -> Reply:
    raise KeyError("secret internals")


@pytest.fixture(scope="module")
def registry() -> Registry:
    registry = Registry()
    item, where = Param("item", "Item name", K.ITEM, autocomplete="items"), Param("where", "Hub", K.LOCATION, False)
    registry.add(Command("price", "Best buy and sell prices", [item, where], price, ["/price trit jita"]))
    budget = Param("budget", "ISK to invest", K.FLOAT, required=False, min_value=1)
    registry.group("trade", "Trade finders")
    registry.add(Command("trade station", "Station trading picks", [where, budget], station, slow=True))
    registry.add(Command("boom", "Always fails", [], boom))
    return registry


@pytest.fixture(scope="module")
def ctx() -> CommandContext:
    return CommandContext(catalog=sample_catalog())


async def test_raw_and_named_invocations(registry: Registry, ctx: CommandContext):
    reply = await dispatch(registry, Invocation.from_text("/price large skill injector amarr", CALLER), ctx)
    assert not reply.is_error and reply.text.startswith("Large Skill Injector @ Amarr VIII")
    assert reply.text.endswith("for Tester")
    reply = await dispatch(registry, Invocation("price", {"item": "PLEX"}, CALLER), ctx)
    assert reply.data == {"type_id": 44992}


async def test_group_subcommands(registry: Registry, ctx: CommandContext):
    reply = await dispatch(registry, Invocation.from_text("/trade station jita 1.5b", CALLER), ctx)
    assert reply.data["budget"] == 1.5e9 and reply.data["where"].startswith("Jita IV")
    reply = await dispatch(registry, Invocation("trade station", {"budget": "2m"}, CALLER), ctx)
    assert reply.data == {"where": None, "budget": 2e6}
    reply = await dispatch(registry, Invocation.from_text("/trade", CALLER), ctx)
    assert reply.is_error and "needs a subcommand: station" in reply.text
    reply = await dispatch(registry, Invocation.from_text("/trade stat", CALLER), ctx)
    assert reply.is_error and "unknown subcommand 'stat'" in reply.text


async def test_unknown_command_suggests(registry: Registry, ctx: CommandContext):
    reply = await dispatch(registry, Invocation.from_text("/prcie trit", CALLER), ctx)
    assert reply.is_error and reply.ephemeral
    assert "unknown command /prcie; did you mean /price?" in reply.text
    reply = await dispatch(registry, Invocation.from_text("/zzz", CALLER), ctx)
    assert "did you mean" not in reply.text and "/help" in reply.text


async def test_bad_arguments_show_usage(registry: Registry, ctx: CommandContext):
    reply = await dispatch(registry, Invocation.from_text("/price", CALLER), ctx)
    assert reply.is_error and reply.text == "missing <item>\nusage: /price <item> [where]"
    assert reply.data == {"error": "missing <item>", "usage": "/price <item> [where]"}
    reply = await dispatch(registry, Invocation.from_text("/trade station jita lots", CALLER), ctx)
    assert "budget: 'lots' is not a number" in reply.text and "usage: /trade station [where] [budget]" in reply.text
    reply = await dispatch(registry, Invocation.from_text("/price qqqqxxxx", CALLER), ctx)
    assert reply.is_error and "unknown item 'qqqqxxxx'" in reply.text


async def test_handler_crash_hides_traceback(registry: Registry, ctx: CommandContext, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.ERROR, logger="core.chat.dispatch"):
        reply = await dispatch(registry, Invocation.from_text("/boom", CALLER), ctx)
    assert reply.is_error and "Incident id:" in reply.text
    incident = reply.text.rsplit(" ", 1)[-1]
    assert len(incident) == 8
    assert "secret" not in reply.text and "Traceback" not in reply.text and "KeyError" not in reply.text
    record = caplog.records[-1]
    assert incident in record.getMessage() and record.exc_info is not None


async def test_handler_returning_non_reply_is_an_incident(ctx: CommandContext):
    async def wrong(ctx: CommandContext) -> Reply:
        return "text"  # type: ignore[return-value]

    registry = Registry()
    registry.add(Command("wrong", "Returns a string", [], wrong))
    reply = await dispatch(registry, Invocation("wrong", "", CALLER), ctx)
    assert reply.is_error and "Incident id" in reply.text


async def test_help(registry: Registry, ctx: CommandContext):
    reply = await dispatch(registry, Invocation.from_text("/help", CALLER), ctx)
    assert reply.title == "Commands" and "`/price <item> [where]` - Best buy and sell prices" in reply.text
    assert "/trade station [where] [budget]" in reply.text
    assert {c["name"] for c in reply.data["commands"]} == {"help", "price", "trade station", "boom"}
    reply = await dispatch(registry, Invocation.from_text("/help price", CALLER), ctx)
    assert reply.title == "/price" and reply.text == "Best buy and sell prices"
    fields = {field.name: field.value for field in reply.fields}
    assert fields["Usage"] == "`/price <item> [where]`"
    assert fields["<item>"] == "Item name (item)" and fields["Examples"] == "`/price trit jita`"
    reply = await dispatch(registry, Invocation.from_text("/help trade station", CALLER), ctx)
    assert reply.title == "/trade station" and "min 1" in reply.fields[2].value
    reply = await dispatch(registry, Invocation("help", {"command": "trade"}, CALLER), ctx)
    assert reply.title == "/trade" and len(reply.fields) == 1
    reply = await dispatch(registry, Invocation.from_text("/help pirce", CALLER), ctx)
    assert reply.is_error and "did you mean /price?" in reply.text


def test_context_without_invocation():
    with pytest.raises(RuntimeError):
        _ = CommandContext().caller
