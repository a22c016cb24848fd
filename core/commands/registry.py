"""Commands and the registry that holds them, enforcing Discord's application-command rules at registration."""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.commands.model import Caller, Invocation, Reply
from core.commands.params import Param, ParamKind, Resolver, usage

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
MAX_DESCRIPTION, MAX_OPTIONS, MAX_CHOICES, MAX_TOP_LEVEL, MAX_CHARS = 100, 25, 25, 100, 4000
Handler = Callable[..., Awaitable[Reply]]


class RegistryError(ValueError):
    """A command that Discord (or our own rules) would reject; raised at registration."""


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


@dataclass(frozen=True)
class Command:
    """A command ("price") or a group's subcommand ("trade station"), its parameters and async handler."""

    name: str
    description: str
    params: Sequence[Param]
    handler: Handler
    examples: Sequence[str] = ()
    slow: bool = False
    private: bool = False  # every reply is the caller's own data or a secret (see Reply.private)
    needs_account: bool = True  # False: market data only, answered anonymously while the account store is down
    chart: bool = False  # answers with an image (a chart): a platform may show "sending a photo" while it runs
    manage: bool = False  # configures a server or group: offered to its managers only (see Registry.manages)

    @property
    def group(self) -> str | None:
        """The group name of a subcommand, else None."""
        return self.name.split()[0] if " " in self.name else None

    @property
    def usage(self) -> str:
        """The usage line, e.g. "/price <item> [where]"."""
        return usage(self.name, self.params)


class Registry:
    """All commands by name; adapters register them with their platform from `commands()`."""

    def __init__(self, *, builtin_help: bool = True) -> None:
        self._commands: dict[str, Command] = {}
        self._groups: dict[str, str] = {}
        self._private_groups: set[str] = set()
        self._manager_groups: set[str] = set()
        if builtin_help:
            help_param = Param("command", "The command to explain", required=False, autocomplete="commands")
            examples = ["/help price"]
            self.add(Command("help", "List the commands, or explain one", [help_param], self._help, examples,
                             needs_account=False))  # fmt: skip

    def group(self, name: str, description: str, *, private: bool = False, manage: bool = False) -> None:
        """Declare a command group (a Discord command with subcommands) and its description; `private` makes
        every subcommand private; `manage` offers the group to server and group managers only."""
        _check_name(name, "group")
        _check_description(description, f"group {name}")
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
            _check_name(word, "command")
        if command.name in self._commands:
            raise RegistryError(f"command {command.name!r} is already registered")
        if command.group is None and command.name in self._groups:
            raise RegistryError(f"{command.name!r} is already a group")
        _check_command(command)
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
            total = len(command.group) + len(self._groups[command.group]) + sum(map(_chars, [*siblings, command]))
        else:
            self._check_top_level()
            total = _chars(command)
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
        return [self._commands[name] for name in sorted(self._commands)]

    def get(self, name: str) -> Command | None:
        """The command called `name` ("price", "trade station"), or None."""
        return self._commands.get(" ".join(name.lower().lstrip("/").split()))

    def groups(self) -> dict[str, str]:
        """Group names and their descriptions."""
        return dict(self._groups)

    def manages(self, name: str) -> bool:
        """Whether a top-level command or group configures a server or group (Discord: Manage Server; Telegram:
        the group administrators' menu)."""
        command = self._commands.get(name)
        return name in self._manager_groups or (command is not None and command.manage)

    def is_private(self, name: str) -> bool:
        """Whether a top-level command, or every subcommand of a group, answers with the caller's own data."""
        command = self._commands.get(name)
        if command is not None:
            return command.private
        subcommands = self.subcommands(name)
        return name in self._private_groups or (bool(subcommands) and all(c.private for c in subcommands))

    def subcommands(self, group: str) -> list[Command]:
        """The subcommands of a group, sorted by name."""
        return [command for command in self.commands() if command.group == group]

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Registered names close to a mistyped one (prefix matches first)."""
        wanted = " ".join(name.lower().lstrip("/").split())
        names = sorted({*self._commands, *self._groups})
        prefixed = [candidate for candidate in names if wanted and candidate.startswith(wanted)]
        close = difflib.get_close_matches(wanted, names, n=limit, cutoff=0.6)
        return list(dict.fromkeys([*prefixed, *close]))[:limit]

    def _check_top_level(self) -> None:
        top = {name.split()[0] for name in self._commands} | set(self._groups)
        if len(top) >= MAX_TOP_LEVEL:
            raise RegistryError(f"Discord allows at most {MAX_TOP_LEVEL} top-level commands")

    async def _help(self, ctx: CommandContext, command: str | None = None) -> Reply:
        """The built-in /help (rendered in dispatch, imported late to avoid an import cycle)."""
        from core.commands.dispatch import help_reply

        return help_reply(self, command)


def _check_name(name: str, what: str) -> None:
    if not NAME.match(name):
        raise RegistryError(f"{what} name {name!r} must match {NAME.pattern} (lower case, 1-32 characters)")


def _check_description(text: str, what: str) -> None:
    if not 1 <= len(text) <= MAX_DESCRIPTION:
        raise RegistryError(f"{what}: description must be 1-{MAX_DESCRIPTION} characters (has {len(text)})")


def _check_command(command: Command) -> None:
    _check_description(command.description, command.name)
    if not inspect.iscoroutinefunction(command.handler):
        raise RegistryError(f"{command.name}: handler must be an async function")
    if len(command.params) > MAX_OPTIONS:
        raise RegistryError(f"{command.name}: {len(command.params)} options > {MAX_OPTIONS}")
    names = [param.name for param in command.params]
    if len(set(names)) != len(names):
        raise RegistryError(f"{command.name}: option names must be unique")
    seen_optional = False
    for param in command.params:
        _check_param(command.name, param)
        if param.required and seen_optional:
            raise RegistryError(f"{command.name}: required option {param.name!r} follows an optional one")
        seen_optional = seen_optional or not param.required
    signature = inspect.signature(command.handler)
    if not any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        missing = [p.kwarg for p in command.params if p.kwarg not in signature.parameters]
        if missing:
            raise RegistryError(f"{command.name}: handler does not accept {', '.join(missing)}")


def _check_param(command: str, param: Param) -> None:
    _check_name(param.name, f"{command}: option")
    _check_description(param.description, f"{command} {param.name}")
    if param.kind is ParamKind.CHOICE:
        if not 1 <= len(param.choices) <= MAX_CHOICES or len(set(param.choices)) != len(param.choices):
            raise RegistryError(f"{command} {param.name}: 1-{MAX_CHOICES} unique choices required")
        if any(not 1 <= len(choice) <= MAX_DESCRIPTION for choice in param.choices):
            raise RegistryError(f"{command} {param.name}: choices must be 1-{MAX_DESCRIPTION} characters")
        if param.autocomplete:
            raise RegistryError(f"{command} {param.name}: an option cannot have both choices and autocomplete")
    elif param.choices:
        raise RegistryError(f"{command} {param.name}: choices need kind=choice")
    low, high = param.min_value, param.max_value
    if low is not None and high is not None and low > high:
        raise RegistryError(f"{command} {param.name}: min_value > max_value")
    if param.required and param.default is not None:
        raise RegistryError(f"{command} {param.name}: a required option cannot have a default")


def _chars(command: Command) -> int:
    """Characters Discord counts: names, descriptions and choice names/values."""
    own = len(command.name.split()[-1]) + len(command.description)
    return own + sum(len(p.name) + len(p.description) + 2 * sum(map(len, p.choices)) for p in command.params)
