"""A command (name, parameters, async handler) and the rules Discord (and we) check when one is registered."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from core.chat.model import Reply
from core.chat.params import Param, ParamKind, usage

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
MAX_DESCRIPTION, MAX_OPTIONS, MAX_CHOICES, MAX_TOP_LEVEL, MAX_CHARS = 100, 25, 25, 100, 4000
Handler = Callable[..., Awaitable[Reply]]


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


class RegistryError(ValueError):
    """A command that Discord (or our own rules) would reject; raised at registration."""


def check_name(name: str, what: str) -> None:
    if not NAME.match(name):
        raise RegistryError(f"{what} name {name!r} must match {NAME.pattern} (lower case, 1-32 characters)")


def check_description(text: str, what: str) -> None:
    if not 1 <= len(text) <= MAX_DESCRIPTION:
        raise RegistryError(f"{what}: description must be 1-{MAX_DESCRIPTION} characters (has {len(text)})")


def check_command(command: Command) -> None:
    check_description(command.description, command.name)
    if not inspect.iscoroutinefunction(command.handler):
        raise RegistryError(f"{command.name}: handler must be an async function")
    if len(command.params) > MAX_OPTIONS:
        raise RegistryError(f"{command.name}: {len(command.params)} options > {MAX_OPTIONS}")
    names = [param.name for param in command.params]
    if len(set(names)) != len(names):
        raise RegistryError(f"{command.name}: option names must be unique")
    seen_optional = False
    for param in command.params:
        check_param(command.name, param)
        if param.required and seen_optional:
            raise RegistryError(f"{command.name}: required option {param.name!r} follows an optional one")
        seen_optional = seen_optional or not param.required
    signature = inspect.signature(command.handler)
    if not any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        missing = [p.kwarg for p in command.params if p.kwarg not in signature.parameters]
        if missing:
            raise RegistryError(f"{command.name}: handler does not accept {', '.join(missing)}")


def check_param(command: str, param: Param) -> None:
    check_name(param.name, f"{command}: option")
    check_description(param.description, f"{command} {param.name}")
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


def chars(command: Command) -> int:
    """Characters Discord counts: names, descriptions and choice names/values."""
    own = len(command.name.split()[-1]) + len(command.description)
    return own + sum(len(p.name) + len(p.description) + 2 * sum(map(len, p.choices)) for p in command.params)
