"""Which replies are private (a secret or the caller's own data), declared once by the command and kept by dispatch."""

from __future__ import annotations

from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.chat.params import ArgumentError, Param
from core.chat.registry import Registry
from core.commands.default import build_registry

CALLER = Caller("telegram", "7", "Pilot", chat_id="-100", account_id=1)


def test_the_products_private_commands_are_the_ones_showing_account_data_or_secrets():
    private = {command.name for command in build_registry().commands() if command.private}
    assert {"link", "characters", "unlink", "alert list", "alert add", "watch list", "settings show"} <= private
    assert {"settings hub", "alert quiet", "watch digest"} <= private
    public = {"price", "compare", "history", "help", "trade station", "trade haul", "appraise", "settings ai"}
    assert not private & public


async def test_every_reply_of_a_private_command_is_private_errors_included():
    registry = Registry()
    registry.group("mine", "Private things", private=True)

    @registry.command("mine list", "Yours", Param("fail", "Fail with your data", required=False))
    async def mine(ctx: CommandContext, fail: str | None = None) -> Reply:
        if fail:
            raise ArgumentError("not one of yours (yours: Hidden Trader)")
        return Reply(text="Hidden Trader")

    @registry.command("secret", "A secret", private=True)
    async def secret(ctx: CommandContext) -> Reply:
        return Reply(text="code")

    @registry.command("open", "Public")
    async def public(ctx: CommandContext) -> Reply:
        return Reply(text="for all")

    for text in ("/mine list", "/mine list yes", "/secret"):
        reply = await dispatch(registry, Invocation.from_text(text, CALLER), CommandContext())
        assert reply.private and reply.ephemeral, text
    shown = await dispatch(registry, Invocation.from_text("/open", CALLER), CommandContext())
    assert not shown.private and not shown.ephemeral
    unknown = await dispatch(registry, Invocation.from_text("/mine nothing", CALLER), CommandContext())
    assert unknown.is_error and not unknown.private  # names no data of the caller's


def test_a_private_reply_is_ephemeral():
    assert Reply(text="x", private=True).ephemeral
