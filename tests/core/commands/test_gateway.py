"""The command gateway: identity, rate limit, dispatch and metrics around every adapter's command call."""

from __future__ import annotations

import pytest

from core.chat import Caller, CommandContext, Invocation, Reply
from core.chat.gateway import CommandGateway
from core.chat.params import ArgumentError
from core.chat.registry import Registry
from core.ports import StoreUnavailable
from tests.core.commands.sample_catalog import sample_catalog

CALLER = Caller("discord", "42", "Trader")


class Identities:
    def __init__(self, broken: bool = False) -> None:
        self.seen: list[Caller] = []
        self.broken = broken

    async def account_for(self, caller: Caller) -> int:
        if self.broken:
            raise ConnectionError("database down")
        self.seen.append(caller)
        return 7


class Limiter:
    def __init__(self, waits: list[float]) -> None:
        self.waits = waits
        self.keys: list[str] = []

    async def wait_time(self, key: str) -> float:
        self.keys.append(key)
        return self.waits.pop(0)


class Observer:
    def __init__(self) -> None:
        self.records: list[tuple[str, str, str]] = []

    def observe(self, platform: str, command: str, outcome: str, seconds: float) -> None:
        assert seconds >= 0
        self.records.append((platform, command, outcome))


def _registry() -> Registry:
    registry = Registry()

    @registry.command("whoami", "Who the handler sees")
    async def whoami(ctx: CommandContext) -> Reply:
        return Reply(text=f"account {ctx.caller.account_id}")

    @registry.command("boom", "Crashes")
    async def boom(ctx: CommandContext) -> Reply:
        raise RuntimeError("secret internals")

    @registry.command("trade station", "A slow subcommand", slow=True)
    async def station(ctx: CommandContext) -> Reply:
        return Reply(text="scan")

    return registry


async def _context(caller: Caller) -> CommandContext:
    return CommandContext(catalog=sample_catalog())


@pytest.fixture
def observer() -> Observer:
    return Observer()


async def test_identity_reaches_the_handler_and_metrics_record_outcomes(observer: Observer):
    identities = Identities()
    gateway = CommandGateway(_registry(), _context, identities=identities, observer=observer)
    assert (await gateway.run(Invocation("whoami", "", CALLER))).text == "account 7"
    assert identities.seen == [CALLER]
    crashed = await gateway.run(Invocation("boom", "", CALLER))
    assert crashed.is_error and "secret internals" not in crashed.text and "Incident id" in crashed.text
    await gateway.run(Invocation("price", "x", CALLER))  # unknown command: the user's mistake
    assert observer.records == [
        ("discord", "whoami", "ok"),
        ("discord", "boom", "error"),
        ("discord", "unknown", "user_error"),
    ]


async def test_rate_limited_callers_get_a_friendly_wait_and_the_handler_does_not_run(observer: Observer):
    limiter = Limiter([0.0, 2.2])
    gateway = CommandGateway(_registry(), _context, identities=Identities(), limiter=limiter, observer=observer)
    assert not (await gateway.run(Invocation("whoami", "", CALLER))).is_error
    wait = await gateway.run(Invocation("whoami", "", CALLER))
    assert wait.is_error and wait.ephemeral and "try again in 3 s" in wait.text and wait.data["retry_after"] == 3
    assert limiter.keys == ["discord:42", "discord:42"]
    assert observer.records[-1] == ("discord", "whoami", "rate_limited")


async def test_a_loader_runs_only_for_an_admitted_caller_and_its_argument_error_is_the_users(observer: Observer):
    loaded: list[Caller] = []

    async def load(admitted: Invocation) -> Invocation:
        loaded.append(admitted.caller)
        if len(loaded) > 1:
            raise ArgumentError("paste: the file is not UTF-8 text")
        return admitted

    gateway = CommandGateway(_registry(), _context, identities=Identities(), limiter=Limiter([0.0, 0.0, 5.0]),
                             observer=observer)  # fmt: skip
    assert (await gateway.run(Invocation("whoami", "", CALLER), load=load)).text == "account 7"
    refused = await gateway.run(Invocation("whoami", "", CALLER), load=load)
    assert refused.is_error and "not UTF-8" in refused.text
    assert "try again in 5 s" in (await gateway.run(Invocation("whoami", "", CALLER), load=load)).text
    assert [caller.account_id for caller in loaded] == [7, 7]  # identified first; never for the limited call
    assert [outcome for *_, outcome in observer.records] == ["ok", "user_error", "rate_limited"]


async def test_a_broken_identity_store_is_an_error_reply_not_an_exception(observer: Observer):
    gateway = CommandGateway(_registry(), _context, identities=Identities(broken=True), observer=observer)
    reply = await gateway.run(Invocation("whoami", "", CALLER))
    assert reply.is_error and "database" not in reply.text
    assert observer.records == [("discord", "whoami", "error")]


def test_command_for_finds_group_subcommands_and_completion_sources():
    gateway = CommandGateway(_registry(), _context, completer=sample_catalog())
    station = gateway.command_for(Invocation("trade", "station jita", CALLER))
    assert station is not None and station.slow
    assert gateway.command_for(Invocation("trade station", {}, CALLER)) is station
    assert gateway.command_for(Invocation("nope", "", CALLER)) is None
    assert gateway.complete("commands", "/wh") == ["whoami"]
    assert "Tritanium" in gateway.complete("items", "trit")
    assert gateway.complete("locations", "ama")[0] == "Amarr"
    assert gateway.complete("no-such-source", "x") == []


class DownIdentities:
    async def account_for(self, caller: Caller) -> int:
        raise StoreUnavailable("PostgreSQL unavailable (timed out)")


async def test_while_the_account_store_is_down_market_data_answers_anonymously(observer: Observer):
    registry = _registry()

    @registry.command("quote", "Market data only", needs_account=False)
    async def quote(ctx: CommandContext) -> Reply:
        return Reply(text=f"quote for account {ctx.caller.account_id}")

    @registry.command("history", "Reads a store that is down too", needs_account=False)
    async def history(ctx: CommandContext) -> Reply:
        raise StoreUnavailable("PostgreSQL unavailable (ConnectionRefusedError)")

    gateway = CommandGateway(registry, _context, identities=DownIdentities(), observer=observer)
    assert (await gateway.run(Invocation("quote", "", CALLER))).text == "quote for account None"
    for name in ("whoami", "history"):  # needs an account / its own read fails: "try again", never an incident
        reply = await gateway.run(Invocation(name, "", CALLER))
        assert reply.is_error and "temporarily unavailable" in reply.text, reply.text
        assert "incident" not in reply.data and "PostgreSQL" not in reply.text
    assert observer.records == [
        ("discord", "quote", "ok"),
        ("discord", "whoami", "error"),
        ("discord", "history", "error"),
    ]
