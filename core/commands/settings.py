"""/settings: a server's or group's settings (managers only) and, in a private chat, the caller's own default hub."""

from __future__ import annotations

from core.accounts.preferences import GuildSettings, PreferencesStore
from core.catalog import Location
from core.chat.model import Field, Reply
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.usecases import settings as usecases
from core.usecases.settings import PersonalSettings

HUB = Param("hub", "Trade hub for commands that name no place", ParamKind.LOCATION, autocomplete="locations")
SWITCH = Param("enabled", "on or off", ParamKind.CHOICE, choices=("on", "off"))


def _store(ctx: CommandContext) -> PreferencesStore:
    if ctx.preferences is None:
        raise ArgumentError("settings are not available here (this evetrader runs without accounts)")
    store: PreferencesStore = ctx.preferences
    return store


def _settings_reply(settings: GuildSettings, changed: str | None = None) -> Reply:
    fields = [
        Field("Default hub", settings.default_hub or "(evetrader default)"),
        Field("AI analysis", "on" if settings.ai_enabled else "off"),
        Field("Alert channel", f"<#{settings.alert_channel_id}>" if settings.alert_channel_id else "(not set)"),
    ]
    data = usecases.guild_data(settings)
    return Reply(title="Server settings", text=changed or "", fields=fields, data=data, ephemeral=True)


async def settings_show(ctx: CommandContext) -> Reply:
    """Show this server's settings, or the caller's own default hub in a private chat."""
    shown = await usecases.show_settings(_store(ctx), ctx.caller)
    if isinstance(shown, PersonalSettings):
        text = f"Your default hub: {shown.default_hub or '(evetrader default)'}"
        return Reply(title="Your settings", text=text, data=shown.as_data())
    return _settings_reply(shown)


async def settings_hub(ctx: CommandContext, hub: Location) -> Reply:
    """Set the default hub: the server's (managers only) or, in a private chat, the caller's own."""
    changed = await usecases.set_default_hub(_store(ctx), ctx.caller, hub)
    if isinstance(changed, PersonalSettings):
        return Reply(title="Your settings", text=f"Your default hub is now {changed.default_hub}.")
    return _settings_reply(changed, f"Default hub set to {changed.default_hub}.")


async def settings_ai(ctx: CommandContext, enabled: str) -> Reply:
    """Turn AI analysis on or off for this server (managers only)."""
    changed = await usecases.set_ai_analysis(_store(ctx), ctx.caller, enabled == "on")
    return _settings_reply(changed, f"AI analysis turned {enabled}.")


async def settings_alerts(ctx: CommandContext, enabled: str) -> Reply:
    """Send this server's channel alerts to the current channel (on), or stop channel alerts (off)."""
    changed = await usecases.set_alert_channel(_store(ctx), ctx.caller, enabled == "on")
    text = "Alerts go to this channel." if changed.alert_channel_id else "Channel alerts are off."
    return _settings_reply(changed, text)


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
