"""The chat command framework: the Invocation/Reply model, typed parameters, the registry, dispatch and gateway."""

from core.chat.dispatch import dispatch
from core.chat.model import Button, Caller, Field, Footer, Image, Invocation, Reply, SourceAge, Table
from core.chat.params import ArgumentError, Param, ParamKind, parse_number
from core.chat.registry import Command, CommandContext, Registry, RegistryError

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
