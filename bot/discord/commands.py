"""Slash commands from the registry, and interaction data back into neutral Invocations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import discord

from bot.discord.pastes import file_option
from core.chat.model import Caller, Invocation
from core.chat.params import Param, ParamKind
from core.chat.registry import Command, Registry

STRING, INTEGER, NUMBER, SUB_COMMAND, SUB_COMMAND_GROUP = 3, 4, 10, 1, 2
OPTION_TYPES = {ParamKind.INT: INTEGER, ParamKind.FLOAT: NUMBER}
MANAGE_GUILD = "manage_guild"
MANAGE_GUILD_BIT = 1 << 5  # Discord's Manage Server permission
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2  # interaction contexts
# Description translations by Discord locale; English is the registry's own text (others are added here).
TRANSLATIONS: dict[str, dict[str, str]] = {
    str(discord.Locale.american_english): {},
    str(discord.Locale.british_english): {},
}
Json = dict[str, Any]


def command_payloads(registry: Registry) -> list[Json]:
    """The application commands (bulk overwrite body): one per top-level command, groups with subcommands."""
    payloads: list[Json] = []
    groups = registry.groups()
    for command in registry.commands():
        if command.group is None:
            payloads.append(
                {
                    "type": 1,
                    "name": command.name,
                    "description": command.description,
                    "options": options_of(command.params),
                }
                | placement(registry, command.name, command.description)
            )
    for group, description in groups.items():
        subcommands = [_subcommand(command) for command in registry.subcommands(group)]
        payload = {"type": 1, "name": group, "description": description, "options": subcommands}
        payloads.append(payload | placement(registry, group, description))
    return sorted(payloads, key=lambda payload: payload["name"])


def placement(registry: Registry, name: str, description: str) -> Json:
    """Who sees a top-level command and where: server-managing ones need Manage Server (members without it do not
    see them) and work in servers and the bot's DMs; the others also in private channels. Plus the description's
    localizations."""
    manages = registry.manages(name)
    return {
        "default_member_permissions": str(MANAGE_GUILD_BIT) if manages else None,
        "contexts": [GUILD, BOT_DM] if manages else [GUILD, BOT_DM, PRIVATE_CHANNEL],
        "description_localizations": localized(description),
    }


def localized(text: str) -> dict[str, str]:
    """A description by Discord locale, from TRANSLATIONS (English locales fall back to the text itself)."""
    return {locale: table.get(text, text) for locale, table in TRANSLATIONS.items() if table.get(text, text)}


def options_of(params: Sequence[Param]) -> list[Json]:
    """Typed options: numbers as integer/number with bounds, choices, autocomplete, everything else string; a
    paste is optional and comes with a .txt file option."""
    options = []
    for param in params:
        kind = OPTION_TYPES.get(param.kind, STRING)
        option: Json = {"type": kind, "name": param.name, "description": param.description, "required": param.required}
        if param.choices:
            option["choices"] = [{"name": choice, "value": choice} for choice in param.choices]
        if param.autocomplete:
            option["autocomplete"] = True
        for key in ("min_value", "max_value"):
            bound = getattr(param, key)
            if bound is not None:
                option[key] = int(bound) if kind == INTEGER else bound
        if param.kind is ParamKind.PASTE:
            option["required"] = False  # left out: a modal asks for it, or the file option brings it
        options.append(option)
    if any(param.kind is ParamKind.PASTE for param in params):
        options.append(file_option())
    return options


def invocation_of(data: Mapping[str, Any], caller: Caller) -> Invocation:
    """An application command interaction's data as an Invocation ("trade station" with named string args)."""
    name, options = _path(data)
    args = {str(option["name"]): value_text(option.get("value")) for option in options}
    return Invocation(name, args, caller)


def focused_of(data: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(command name, option name, typed text) of an autocomplete interaction, or None."""
    name, options = _path(data)
    for option in options:
        if option.get("focused"):
            return name, str(option["name"]), str(option.get("value") or "")
    return None


def param_of(command: Command | None, option: str) -> Param | None:
    """The parameter behind an option name."""
    return next((param for param in command.params if param.name == option), None) if command else None


def caller_of(interaction: discord.Interaction[Any]) -> Caller:
    """Who is calling: the user, their guild and channel, and manage_guild when they may manage the server."""
    in_guild = interaction.guild_id is not None
    permissions = interaction.permissions
    manages = in_guild and (permissions.manage_guild or permissions.administrator)
    return Caller(
        platform="discord",
        user_id=str(interaction.user.id),
        display_name=interaction.user.display_name,
        guild_id=str(interaction.guild_id) if in_guild else None,
        chat_id=str(interaction.channel_id) if interaction.channel_id else None,
        is_dm=not in_guild,
        roles=frozenset({MANAGE_GUILD}) if manages else frozenset(),
    )


def value_text(value: Any) -> str:
    """An option value as the text our parameters parse: 5.0 -> "5", 1e-07 -> "0.0000001", strings as given."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def _subcommand(command: Command) -> Json:
    return {
        "type": SUB_COMMAND,
        "name": command.name.split()[-1],
        "description": command.description,
        "options": options_of(command.params),
    }


def _path(data: Mapping[str, Any]) -> tuple[str, list[Mapping[str, Any]]]:
    """The full command name and the options of the leaf (sub)command."""
    words = [str(data.get("name", ""))]
    options: list[Mapping[str, Any]] = list(data.get("options") or [])
    while len(options) == 1 and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        words.append(str(options[0]["name"]))
        options = list(options[0].get("options") or [])
    return " ".join(words), options
