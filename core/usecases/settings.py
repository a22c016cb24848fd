"""Settings use cases: a server's or group's settings (managers), a person's default hub and fee skills."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from core.accounts.preferences import MANAGER_ROLES, GuildSettings, PreferencesStore
from core.catalog import Location
from core.chat.model import Caller
from core.chat.params import ArgumentError
from core.digits import whole_number
from core.market.fees import MAX_SKILL_LEVEL, MAX_STANDING, AccountSettings, TradeSkills
from core.market.hubs import HUBS, UnknownLocation, find_hub, hub_names

SKILL_FIELDS = ("accounting", "broker_relations", "advanced_broker_relations")
STANDING_FIELDS = ("faction_standing", "corp_standing")
LABELS = {
    "default_hub": "Default hub",
    "accounting": "Accounting",
    "broker_relations": "Broker Relations",
    "advanced_broker_relations": "Advanced Broker Relations",
    "faction_standing": "Faction standing",
    "corp_standing": "Corporation standing",
}


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


class SettingsInvalid(ValueError):
    """Some fields are invalid: `errors` maps each field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{LABELS.get(name, name)}: {message}" for name, message in errors.items()))


class AccountSettingsStore(Protocol):
    """Where an account's default hub and fee skills/standings are saved."""

    async def save_settings(self, account_id: int, settings: AccountSettings) -> None:
        """Replace the account's default hub and skills/standings in one transaction."""
        ...


def _level(value: object) -> int:
    if isinstance(value, str):
        value = whole_number(value.strip(), max_digits=2)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SKILL_LEVEL:
        raise ValueError(f"must be a whole number from 0 to {MAX_SKILL_LEVEL}")
    return value


def _standing(value: object) -> float:
    number: float | None = None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number) or not -MAX_STANDING <= number <= MAX_STANDING:
        raise ValueError(f"must be a number from -{MAX_STANDING:g} to {MAX_STANDING:g}")
    return round(number, 2)


def _hub(value: object, *, strict: bool = False) -> str | None:
    """A hub name from a form (blank: none; any spelling find_hub knows) or, strict, from JSON (a name or null)."""
    if strict and value is not None and value not in {hub.name for hub in HUBS}:
        raise ValueError(f"must be one of {hub_names()} or null")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be one of {hub_names()}")
    try:
        return find_hub(value).name
    except UnknownLocation:
        raise ValueError(f"must be one of {hub_names()}") from None


def parse_settings(hub: object, skills: Mapping[str, object], *, strict: bool = False) -> AccountSettings:
    """Settings from raw values (form strings or JSON); missing skills take defaults; SettingsInvalid lists errors."""
    errors: dict[str, str] = {}
    if strict:
        for name in sorted(set(skills) - set(SKILL_FIELDS) - set(STANDING_FIELDS)):
            errors[name] = "is not a setting"
    defaults = TradeSkills()
    values: dict[str, object] = {}
    for name in (*SKILL_FIELDS, *STANDING_FIELDS):
        raw = skills.get(name, getattr(defaults, name))
        try:
            values[name] = _level(raw) if name in SKILL_FIELDS else _standing(raw)
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        default_hub = _hub(hub, strict=strict)
    except ValueError as exc:
        errors["default_hub"] = str(exc)
    if errors:
        raise SettingsInvalid(errors)
    return AccountSettings(default_hub, TradeSkills(**values))  # type: ignore[arg-type]


async def save_account_settings(
    store: AccountSettingsStore, account_id: int, hub: object, skills: Mapping[str, object], *, strict: bool = False
) -> AccountSettings:
    """Validate a default hub with fee skills/standings and save them together; SettingsInvalid saves nothing.

    `strict` is the JSON API's reading (exact hub names or null, no unknown fields); otherwise a form's.
    """
    settings = parse_settings(hub, skills, strict=strict)
    await store.save_settings(account_id, settings)
    return settings
