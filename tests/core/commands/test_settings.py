"""/settings: managers change their server's settings; anyone sets their own hub in a private chat."""

from __future__ import annotations

import dataclasses

from core.accounts.preferences import GuildSettings
from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.commands.default import build_registry
from tests.core.commands.sample_catalog import sample_catalog

REGISTRY = build_registry()
MEMBER = Caller("discord", "5", "Member", guild_id="g1", chat_id="c9", account_id=1)
MANAGER = dataclasses.replace(MEMBER, user_id="6", roles=frozenset({"manage_guild"}), account_id=2)
DM = Caller("telegram", "5", "Member", chat_id="5", is_dm=True, account_id=1)


class MemoryPreferences:
    """The PreferencesStore port in memory."""

    def __init__(self) -> None:
        self.guilds: dict[tuple[str, str], GuildSettings] = {}
        self.hubs: dict[int, str | None] = {}

    async def guild(self, platform: str, guild_id: str) -> GuildSettings:
        return self.guilds.get((platform, guild_id), GuildSettings(platform, guild_id))

    async def update_guild(self, platform: str, guild_id: str, account_id: int | None, **changes: object):
        updated = dataclasses.replace(await self.guild(platform, guild_id), **changes)  # type: ignore[arg-type]
        self.guilds[(platform, guild_id)] = updated
        return updated

    async def account_hub(self, account_id: int) -> str | None:
        return self.hubs.get(account_id)

    async def set_account_hub(self, account_id: int, hub: str | None) -> None:
        self.hubs[account_id] = hub


async def _run(text: str, caller: Caller, prefs: MemoryPreferences) -> Reply:
    ctx = CommandContext(catalog=sample_catalog(), preferences=prefs)
    return await dispatch(REGISTRY, Invocation.from_text(text, caller), ctx)


async def test_only_managers_change_server_settings():
    prefs = MemoryPreferences()
    refused = await _run("/settings hub amarr", MEMBER, prefs)
    assert refused.is_error and "manage" in refused.text and prefs.guilds == {}
    done = await _run("/settings hub amarr", MANAGER, prefs)
    assert not done.is_error and done.data["default_hub"] == "Amarr"
    await _run("/settings ai off", MANAGER, prefs)
    await _run("/settings alerts on", MANAGER, prefs)
    assert prefs.guilds[("discord", "g1")] == GuildSettings("discord", "g1", "Amarr", False, "c9")
    shown = await _run("/settings show", MEMBER, prefs)  # anyone may look
    assert shown.data == {"default_hub": "Amarr", "ai_enabled": False, "alert_channel_id": "c9"}


async def test_private_chat_sets_the_callers_own_hub_and_refuses_server_switches():
    prefs = MemoryPreferences()
    assert not (await _run("/settings hub dodixie", DM, prefs)).is_error
    assert prefs.hubs == {1: "Dodixie"}
    assert (await _run("/settings show", DM, prefs)).data == {"default_hub": "Dodixie"}
    refused = await _run("/settings ai off", DM, prefs)
    assert refused.is_error and "server or group" in refused.text


async def test_bad_hub_is_refused_with_a_clear_message_and_changes_nothing():
    prefs = MemoryPreferences()
    reply = await _run("/settings hub the forge", MANAGER, prefs)
    assert reply.is_error and "not a trade hub" in reply.text and prefs.guilds == {}
    without_accounts = await dispatch(
        REGISTRY, Invocation.from_text("/settings show", MEMBER), CommandContext(catalog=sample_catalog())
    )
    assert without_accounts.is_error and "not available" in without_accounts.text


def test_commands_without_a_place_use_the_contexts_hub():
    from core.usecases.market_services import place_or_default

    amarr = place_or_default(CommandContext(catalog=sample_catalog(), default_hub="Amarr"), None)
    jita = place_or_default(CommandContext(catalog=sample_catalog()), None)
    assert (amarr.hub and amarr.hub.name, jita.hub and jita.hub.name) == ("Amarr", "Jita")
