"""Platform-neutral commands: the Invocation/Reply model, typed parameters, the registry and dispatch."""

from core.commands.dispatch import dispatch
from core.commands.model import Button, Caller, Field, Footer, Image, Invocation, Reply, SourceAge, Table
from core.commands.params import ArgumentError, Param, ParamKind, parse_number
from core.commands.registry import Command, CommandContext, Registry, RegistryError

__all__ = [
    "ArgumentError",
    "Button",
    "Caller",
    "Command",
    "CommandContext",
    "Field",
    "Footer",
    "Image",
    "Invocation",
    "Param",
    "ParamKind",
    "Registry",
    "RegistryError",
    "Reply",
    "SourceAge",
    "Table",
    "dispatch",
    "parse_number",
]
