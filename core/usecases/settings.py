"""Settings use cases: a server's or group's settings (managers change them) and a person's own default hub."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.preferences import MANAGER_ROLES, GuildSettings, PreferencesStore
from core.catalog import Location
from core.chat.model import Caller
from core.chat.params import ArgumentError


class SettingsRefused(ArgumentError):
    """The caller may not change this setting here (not a server or group, not a manager, or no account yet)."""


@dataclass(frozen=True)
class PersonalSettings:
    """A person's own settings, which apply outside a server or group."""

    default_hub: str | None  # None: evetrader's default

    def as_data(self) -> dict[str, object]:
        """The machine-readable form of /settings show in a private chat."""
        return {"default_hub": self.default_hub}


def guild_data(settings: GuildSettings) -> dict[str, object]:
    """The machine-readable form of a server's or group's settings."""
    return {
        "default_hub": settings.default_hub,
        "ai_enabled": settings.ai_enabled,
        "alert_channel_id": settings.alert_channel_id,
    }


def _managed_guild(caller: Caller, what: str) -> str:
    """The caller's server or group when they may manage it; SettingsRefused otherwise."""
    if caller.is_dm or not caller.guild_id:
        raise SettingsRefused(f"{what} is a server or group setting: use it in the server or group")
    if not caller.roles & MANAGER_ROLES:
        raise SettingsRefused(f"only members who can manage this server or group may change {what}")
    return caller.guild_id


async def show_settings(store: PreferencesStore, caller: Caller) -> PersonalSettings | GuildSettings:
    """The settings that apply where the caller is: the server's or group's, or their own in a private chat."""
    if caller.is_dm or not caller.guild_id:
        hub = await store.account_hub(caller.account_id) if caller.account_id is not None else None
        return PersonalSettings(hub)
    return await store.guild(caller.platform, caller.guild_id)


async def set_default_hub(store: PreferencesStore, caller: Caller, hub: Location) -> PersonalSettings | GuildSettings:
    """Set the default hub: the server's (managers only) or, in a private chat, the caller's own."""
    if hub.hub is None or hub.kind != "hub":
        raise ArgumentError(f"hub: {hub.name} is not a trade hub (Jita, Amarr, Dodixie, Rens or Hek)")
    name = hub.hub.name
    if caller.is_dm or not caller.guild_id:
        if caller.account_id is None:
            raise SettingsRefused("your account is not available right now; try again shortly")
        await store.set_account_hub(caller.account_id, name)
        return PersonalSettings(name)
    guild = _managed_guild(caller, "the default hub")
    return await store.update_guild(caller.platform, guild, caller.account_id, default_hub=name)


async def set_ai_analysis(store: PreferencesStore, caller: Caller, enabled: bool) -> GuildSettings:
    """Turn AI analysis on or off for the caller's server or group (managers only)."""
    guild = _managed_guild(caller, "AI analysis")
    return await store.update_guild(caller.platform, guild, caller.account_id, ai_enabled=enabled)


async def set_alert_channel(store: PreferencesStore, caller: Caller, enabled: bool) -> GuildSettings:
    """Send the server's channel alerts to the caller's channel (enabled), or stop channel alerts (managers only)."""
    guild = _managed_guild(caller, "the alert channel")
    channel = caller.chat_id if enabled else None
    return await store.update_guild(caller.platform, guild, caller.account_id, alert_channel_id=channel)
