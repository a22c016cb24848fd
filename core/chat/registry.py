"""The registry of commands by name and group, with the built-in /help that describes them."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from core.chat.command import (
    MAX_CHARS,
    MAX_OPTIONS,
    MAX_TOP_LEVEL,
    Command,
    Handler,
    RegistryError,
    chars,
    check_command,
    check_description,
    check_name,
)
from core.chat.model import Caller, Field, Invocation, Reply
from core.chat.params import Param, Resolver
from core.gc_pause import cyclic_gc_paused

__all__ = ["Command", "CommandContext", "Registry", "RegistryError", "help_reply"]


@dataclass(frozen=True)
class CommandContext:
    """What handlers get besides their arguments: the caller, the catalog and the app's services."""

    catalog: Resolver | None = None
    services: Any = None
    invocation: Invocation | None = None
    registry: Registry | None = None
    preferences: Any = None  # core.accounts.preferences.PreferencesStore when accounts are wired
    accounts: Any = None  # core.commands.accounts.AccountServices when the panel and SSO are configured
    default_hub: str | None = None  # the caller's guild or personal hub (None: the catalog's default)
    alerts: Any = None  # core.commands.alerts.AlertServices when alert rules and watchlists are wired

    @property
    def caller(self) -> Caller:
        """The caller of the invocation being handled."""
        if self.invocation is None:
            raise RuntimeError("context is not bound to an invocation")
        return self.invocation.caller

    def bind(self, invocation: Invocation, registry: Registry) -> CommandContext:
        """A copy of this context for one invocation."""
        return dataclasses.replace(self, invocation=invocation, registry=registry)


class Registry:
    """All commands by name; adapters register them with their platform from `commands()`."""

    def __init__(self, *, builtin_help: bool = True) -> None:
        self._commands: dict[str, Command] = {}
        self._groups: dict[str, str] = {}
        self._private_groups: set[str] = set()
        self._manager_groups: set[str] = set()
        self._pending: list[tuple[frozenset[str], Callable[[Registry], None]]] = []  # families not registered yet
        if builtin_help:
            help_param = Param("command", "The command to explain", required=False, autocomplete="commands")
            examples = ["/help price"]
            self.add(Command("help", "List the commands, or explain one", [help_param], self._help, examples,
                             needs_account=False))  # fmt: skip

    def family(self, names: Collection[str], register: Callable[[Registry], None]) -> None:
        """Declare a family of commands that `register` adds on first use: `names` are the top-level commands and
        groups it adds to. Looking up one of them registers it (with the families sharing a name, in declaration
        order), listing the commands registers every family: a one-shot command imports its own family only."""
        self._pending.append((frozenset(names), register))

    def _load(self, name: str | None = None) -> None:
        """Register the pending families that add to top-level `name` (and those sharing a name with them), or
        all of them (None)."""
        wanted = {name} if name is not None else set().union(*(names for names, _ in self._pending))
        chosen: set[int] = set()
        while grown := {i for i, (names, _) in enumerate(self._pending) if i not in chosen and names & wanted}:
            chosen |= grown
            wanted = wanted.union(*(self._pending[i][0] for i in grown))
        if not chosen:
            return
        families = [register for i, (_, register) in enumerate(self._pending) if i in chosen]
        self._pending = [entry for i, entry in enumerate(self._pending) if i not in chosen]
        with cyclic_gc_paused():  # a family's modules live as long as the process
            for register in families:
                register(self)

    def group(self, name: str, description: str, *, private: bool = False, manage: bool = False) -> None:
        """Declare a command group (a Discord command with subcommands) and its description; `private` makes
        every subcommand private; `manage` offers the group to server and group managers only."""
        check_name(name, "group")
        check_description(description, f"group {name}")
        if name in self._commands or name in self._groups:
            raise RegistryError(f"{name!r} is already registered")
        self._check_top_level()
        self._groups[name] = description
        if private:
            self._private_groups.add(name)
        if manage:
            self._manager_groups.add(name)

    def add(self, command: Command) -> Command:
        """Validate and register a command; raise RegistryError if any rule is broken."""
        words = command.name.split(" ")
        if len(words) > 2:
            raise RegistryError(f"{command.name!r}: at most one level of subcommands")
        for word in words:
            check_name(word, "command")
        if command.name in self._commands:
            raise RegistryError(f"command {command.name!r} is already registered")
        if command.group is None and command.name in self._groups:
            raise RegistryError(f"{command.name!r} is already a group")
        check_command(command)
        if command.group in self._private_groups:
            command = dataclasses.replace(command, private=True)
        if command.group is not None:
            if command.group in self._commands:
                raise RegistryError(f"{command.group!r} is already a command, not a group")
            if command.group not in self._groups:
                self.group(command.group, f"{command.group.capitalize()} commands")
            siblings = self.subcommands(command.group)
            if len(siblings) >= MAX_OPTIONS:
                raise RegistryError(f"group {command.group!r} has {MAX_OPTIONS} subcommands already")
            total = len(command.group) + len(self._groups[command.group]) + sum(map(chars, [*siblings, command]))
        else:
            self._check_top_level()
            total = chars(command)
        if total > MAX_CHARS:
            raise RegistryError(
                f"{command.name!r}: {total} characters in names, descriptions and choices > {MAX_CHARS}"
            )
        self._commands[command.name] = command
        return command

    def command(
        self,
        name: str,
        description: str,
        *params: Param,
        examples: Sequence[str] = (),
        slow: bool = False,
        private: bool = False,
        needs_account: bool = True,
        chart: bool = False,
        manage: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Decorator form of `add`."""

        def register(handler: Handler) -> Handler:
            flags = {"needs_account": needs_account, "chart": chart, "manage": manage}
            self.add(Command(name, description, params, handler, examples, slow, private, **flags))
            return handler

        return register

    def commands(self) -> list[Command]:
        """Every command and subcommand, sorted by name."""
        self._load()
        return [self._commands[name] for name in sorted(self._commands)]

    def get(self, name: str) -> Command | None:
        """The command called `name` ("price", "trade station"), or None."""
        wanted = " ".join(name.lower().lstrip("/").split())
        if self._pending and wanted:
            self._load(wanted.split()[0])
        return self._commands.get(wanted)

    def groups(self) -> dict[str, str]:
        """Group names and their descriptions."""
        self._load()
        return dict(self._groups)

    def manages(self, name: str) -> bool:
        """Whether a top-level command or group configures a server or group (Discord: Manage Server; Telegram:
        the group administrators' menu)."""
        self._load(name)
        command = self._commands.get(name)
        return name in self._manager_groups or (command is not None and command.manage)

    def is_private(self, name: str) -> bool:
        """Whether a top-level command, or every subcommand of a group, answers with the caller's own data."""
        self._load(name)
        command = self._commands.get(name)
        if command is not None:
            return command.private
        subcommands = self.subcommands(name)
        return name in self._private_groups or (bool(subcommands) and all(c.private for c in subcommands))

    def subcommands(self, group: str) -> list[Command]:
        """The subcommands of a group, sorted by name."""
        self._load(group)
        return [self._commands[name] for name in sorted(self._commands) if self._commands[name].group == group]

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Registered names close to a mistyped one (prefix matches first)."""
        wanted = " ".join(name.lower().lstrip("/").split())
        self._load()
        names = sorted({*self._commands, *self._groups})
        prefixed = [candidate for candidate in names if wanted and candidate.startswith(wanted)]
        close = difflib.get_close_matches(wanted, names, n=limit, cutoff=0.6)
        return list(dict.fromkeys([*prefixed, *close]))[:limit]

    def _check_top_level(self) -> None:
        top = {name.split()[0] for name in self._commands} | set(self._groups)
        if len(top) >= MAX_TOP_LEVEL:
            raise RegistryError(f"Discord allows at most {MAX_TOP_LEVEL} top-level commands")

    async def _help(self, ctx: CommandContext, command: str | None = None) -> Reply:
        """The built-in /help."""
        return help_reply(self, command)


SEVERAL_WORDS = (
    'A value of several words goes in quotes (group="combat drones") or last on the line (group=combat drones); '
    "on Discord each option is its own field."
)


def help_reply(registry: Registry, name: str | None = None) -> Reply:
    """The /help answer: every command's usage and description, or one command (or group) in detail."""
    wanted = " ".join((name or "").lower().lstrip("/").split())
    if not wanted:
        commands = registry.commands()
        lines = [f"`{command.usage}` - {command.description}" for command in commands]
        data = {"commands": [{"name": c.name, "usage": c.usage, "description": c.description} for c in commands]}
        return Reply(title="Commands", text="\n".join(lines), data=data, ephemeral=True)
    command = registry.get(wanted)
    if command is None and wanted in registry.groups():
        subs = registry.subcommands(wanted)
        fields = [Field(f"`{sub.usage}`", sub.description, inline=False) for sub in subs]
        return Reply(title=f"/{wanted}", text=registry.groups()[wanted], fields=fields, ephemeral=True)
    if command is None:
        close = registry.suggest(wanted)
        hint = f"; did you mean {' or '.join('/' + c for c in close)}?" if close else ""
        return Reply.error(f"no command /{wanted}{hint}", "/help [command]")
    fields = [Field("Usage", f"`{command.usage}`", inline=False)]
    fields += [Field(param.token, _describe(param), inline=False) for param in command.params]
    if any(not param.positional for param in command.params):
        fields.append(Field("name=…", SEVERAL_WORDS, inline=False))
    if command.examples:
        fields.append(Field("Examples", "\n".join(f"`{example}`" for example in command.examples), inline=False))
    details: dict[str, object] = {
        "command": command.name,
        "usage": command.usage,
        "params": [p.name for p in command.params],
    }
    return Reply(title=f"/{command.name}", text=command.description, fields=fields, data=details, ephemeral=True)


def _describe(param: Param) -> str:
    """One parameter's description with its kind, choices, bounds and default."""
    facts = [str(param.kind)]
    if param.choices:
        facts.append("one of " + ", ".join(param.choices))
    if param.min_value is not None:
        facts.append(f"min {param.min_value:g}")
    if param.max_value is not None:
        facts.append(f"max {param.max_value:g}")
    if not param.required and param.default is not None:
        facts.append(f"default {param.default}")
    return f"{param.description} ({'; '.join(facts)})"
