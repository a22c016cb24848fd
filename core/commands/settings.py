"""/settings: a server's or group's settings (managers only) and, in a private chat, the caller's own default hub."""

from __future__ import annotations

from core.accounts.preferences import MANAGER_ROLES, GuildSettings, PreferencesStore
from core.catalog import Location
from core.chat.model import Field, Reply
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry

HUB = Param("hub", "Trade hub for commands that name no place", ParamKind.LOCATION, autocomplete="locations")
SWITCH = Param("enabled", "on or off", ParamKind.CHOICE, choices=("on", "off"))


def _store(ctx: CommandContext) -> PreferencesStore:
    if ctx.preferences is None:
        raise ArgumentError("settings are not available here (this evetrader runs without accounts)")
    store: PreferencesStore = ctx.preferences
    return store


def _guild_or_error(ctx: CommandContext, what: str) -> str:
    """The guild id when the caller may manage it; ArgumentError otherwise."""
    caller = ctx.caller
    if caller.is_dm or not caller.guild_id:
        raise ArgumentError(f"{what} is a server or group setting: use it in the server or group")
    if not caller.roles & MANAGER_ROLES:
        raise ArgumentError(f"only members who can manage this server or group may change {what}")
    return caller.guild_id


def _settings_reply(settings: GuildSettings, changed: str | None = None) -> Reply:
    fields = [
        Field("Default hub", settings.default_hub or "(evetrader default)"),
        Field("AI analysis", "on" if settings.ai_enabled else "off"),
        Field("Alert channel", f"<#{settings.alert_channel_id}>" if settings.alert_channel_id else "(not set)"),
    ]
    data = {
        "default_hub": settings.default_hub,
        "ai_enabled": settings.ai_enabled,
        "alert_channel_id": settings.alert_channel_id,
    }
    return Reply(title="Server settings", text=changed or "", fields=fields, data=data, ephemeral=True)


async def settings_show(ctx: CommandContext) -> Reply:
    """Show this server's settings, or the caller's own default hub in a private chat."""
    store, caller = _store(ctx), ctx.caller
    if caller.is_dm or not caller.guild_id:
        hub = await store.account_hub(caller.account_id) if caller.account_id is not None else None
        text = f"Your default hub: {hub or '(evetrader default)'}"
        return Reply(title="Your settings", text=text, data={"default_hub": hub})
    return _settings_reply(await store.guild(caller.platform, caller.guild_id))


async def settings_hub(ctx: CommandContext, hub: Location) -> Reply:
    """Set the default hub: the server's (managers only) or, in a private chat, the caller's own."""
    if hub.hub is None or hub.kind != "hub":
        raise ArgumentError(f"hub: {hub.name} is not a trade hub (Jita, Amarr, Dodixie, Rens or Hek)")
    store, caller = _store(ctx), ctx.caller
    if caller.is_dm or not caller.guild_id:
        if caller.account_id is None:
            raise ArgumentError("your account is not available right now; try again shortly")
        await store.set_account_hub(caller.account_id, hub.hub.name)
        return Reply(title="Your settings", text=f"Your default hub is now {hub.hub.name}.")
    guild = _guild_or_error(ctx, "the default hub")
    settings = await store.update_guild(caller.platform, guild, caller.account_id, default_hub=hub.hub.name)
    return _settings_reply(settings, f"Default hub set to {hub.hub.name}.")


async def settings_ai(ctx: CommandContext, enabled: str) -> Reply:
    """Turn AI analysis on or off for this server (managers only)."""
    guild = _guild_or_error(ctx, "AI analysis")
    caller = ctx.caller
    settings = await _store(ctx).update_guild(caller.platform, guild, caller.account_id, ai_enabled=enabled == "on")
    return _settings_reply(settings, f"AI analysis turned {enabled}.")


async def settings_alerts(ctx: CommandContext, enabled: str) -> Reply:
    """Send this server's channel alerts to the current channel (on), or stop channel alerts (off)."""
    guild = _guild_or_error(ctx, "the alert channel")
    caller = ctx.caller
    channel = caller.chat_id if enabled == "on" else None
    settings = await _store(ctx).update_guild(caller.platform, guild, caller.account_id, alert_channel_id=channel)
    return _settings_reply(settings, "Alerts go to this channel." if channel else "Channel alerts are off.")


def register_settings_commands(registry: Registry) -> None:
    """Add /settings show|hub|ai|alerts."""
    registry.group("settings", "This server's settings (managers), or your own in a private chat", manage=True)
    # private: outside a server (a private chat, a Telegram group) these show and set the caller's own hub
    registry.command("settings show", "Show the settings that apply here", private=True)(settings_show)
    example = ["/settings hub amarr"]
    registry.command("settings hub", "Set the default trade hub", HUB, examples=example, private=True)(settings_hub)
    registry.command("settings ai", "Turn AI analysis on or off for this server", SWITCH)(settings_ai)
    alerts = Param(
        "enabled", "on: alerts go to this channel; off: no channel alerts", ParamKind.CHOICE, choices=("on", "off")
    )
    registry.command("settings alerts", "Send this server's alerts to this channel", alerts)(settings_alerts)
