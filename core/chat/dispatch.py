"""The one entry point adapters call: find the command, parse its arguments, run it, never leak a traceback."""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
from collections.abc import Mapping

from core.catalog import UnknownItem
from core.chat.model import Invocation, Reply
from core.chat.params import ArgumentError, parse_named, parse_raw
from core.chat.registry import Command, CommandContext, Registry
from core.market.hubs import UnknownLocation
from core.outage import Throttle
from core.ports import StoreUnavailable

logger = logging.getLogger(__name__)
USER_ERRORS = (ArgumentError, UnknownItem, UnknownLocation)
_UNAVAILABLE_WARNING = Throttle()


async def dispatch(registry: Registry, invocation: Invocation, ctx: CommandContext) -> Reply:
    """Answer one invocation; unknown commands, bad arguments and crashes all become error Replies; every reply
    of a private command (its errors too: they may name the caller's data) is marked private."""
    found = _resolve(registry, invocation)
    if isinstance(found, Reply):
        return found
    reply = await _run(found[0], found[1], invocation, registry, ctx)
    return dataclasses.replace(reply, private=True) if found[0].private else reply


async def _run(
    command: Command, args: Mapping[str, str] | str, invocation: Invocation, registry: Registry, ctx: CommandContext
) -> Reply:
    try:
        if isinstance(args, str):
            values = parse_raw(command.params, args, ctx.catalog)
        else:
            values = parse_named(command.params, args, ctx.catalog)
        reply = await command.handler(ctx.bind(invocation, registry), **values)
        if not isinstance(reply, Reply):
            raise TypeError(f"handler of /{command.name} returned {type(reply).__name__}, not Reply")
    except USER_ERRORS as exc:
        return Reply.error(str(exc), command.usage)
    except StoreUnavailable as exc:
        return temporarily_unavailable(command.name, exc)
    except Exception:
        incident = secrets.token_hex(4)
        caller = invocation.caller
        logger.exception(
            "command /%s failed (incident %s, %s user %s)", command.name, incident, caller.platform, caller.user_id
        )
        reply = Reply.error(f"Something went wrong running /{command.name}. Incident id: {incident}")
        return dataclasses.replace(reply, data=reply.data | {"incident": incident})
    return reply


def temporarily_unavailable(command: str, exc: StoreUnavailable) -> Reply:
    """The answer when the account or market store cannot be reached right now (no incident: nothing is broken);
    logged once a minute however many commands meet the outage."""
    if _UNAVAILABLE_WARNING.ready():
        logger.warning("commands answer 'temporarily unavailable' (e.g. /%s): %s", command, exc)
    reply = Reply.error("This is temporarily unavailable, try again in a minute.")
    return dataclasses.replace(reply, data=reply.data | {"unavailable": True})


def _resolve(registry: Registry, invocation: Invocation) -> tuple[Command, Mapping[str, str] | str] | Reply:
    """The command an invocation names (a group's first raw word picks the subcommand), or an error Reply."""
    name = " ".join(invocation.command.lower().lstrip("/").split())
    command = registry.get(name)
    if command is not None:
        return command, invocation.args
    if name in registry.groups():
        subs = [sub.name.split()[1] for sub in registry.subcommands(name)]
        group_usage = f"/{name} <{'|'.join(subs)}> ..."
        if isinstance(invocation.args, str) and invocation.args.strip():
            sub, *rest = re.split(r"\s+", invocation.args.strip(), maxsplit=1)
            command = registry.get(f"{name} {sub}")
            if command is not None:
                return command, rest[0] if rest else ""
            return Reply.error(f"unknown subcommand {sub!r} of /{name}; try one of: {', '.join(subs)}", group_usage)
        return Reply.error(f"/{name} needs a subcommand: {', '.join(subs)}", group_usage)
    close = registry.suggest(name)
    hint = f"did you mean {' or '.join('/' + c for c in close)}? " if close else ""
    return Reply.error(f"unknown command /{name}; {hint}(/help lists every command)")
