"""Per command, from the registry: Manage Server for the server-managing ones, where each may be used (server, the
bot's DMs, private channels) and the description localizations, as Discord receives them at registration."""

from __future__ import annotations

import pytest

from bot.state import InteractionState
from core.commands.default import build_registry
from fakes.discord.payloads import command_errors
from tests.bot.discord.support import GUILD, make_gateway, running

pytestmark = pytest.mark.e2e


async def test_registered_commands_declare_permissions_contexts_and_localizations(
    interaction_state: InteractionState,
):
    async with running(make_gateway([], registry=build_registry()), [], interaction_state) as harness:
        [put] = harness.fake.requests_to("/applications/{app}/guilds/{guild}/commands", "PUT")
        registered = {command["name"]: command for command in harness.fake.guild_commands[GUILD]}
    assert command_errors(put.json) == []
    settings = registered["settings"]
    assert (settings["default_member_permissions"], settings["contexts"]) == (str(1 << 5), [0, 1])
    for name in ("link", "characters", "alert", "price", "history"):
        assert registered[name]["default_member_permissions"] is None  # everyone
        assert registered[name]["contexts"] == [0, 1, 2]  # servers, the bot's DMs, private channels
    for command in registered.values():
        assert command["description_localizations"]["en-US"] == command["description"]
        assert command["description_localizations"]["en-GB"] == command["description"]
