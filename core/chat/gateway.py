"""The one door every chat adapter uses: identity, rate limit, dispatch and metrics around a command call."""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from core.chat.dispatch import dispatch, temporarily_unavailable
from core.chat.model import Caller, Invocation, Reply
from core.chat.params import ArgumentError, Resolver
from core.chat.registry import Command, CommandContext, Registry
from core.ports import StoreUnavailable

logger = logging.getLogger(__name__)
ContextFactory = Callable[[Caller], Awaitable[CommandContext]]
# Completes an admitted invocation (a paste file downloaded into its arguments); ArgumentError refuses it.
ArgsLoader = Callable[[Invocation], Awaitable[Invocation]]


class Completer(Protocol):
    """Autocomplete by source name (core.catalog.Catalog)."""

    def complete(self, source: str, prefix: str, limit: int = 25) -> list[str]:
        """Suggestions for a partly typed value; KeyError for an unknown source."""
        ...


class IdentityStore(Protocol):
    """Maps a platform identity to a core account (created on first use)."""

    async def account_for(self, caller: Caller) -> int:
        """The account id of this platform identity; a new account on first sight."""
        ...


class RateLimiter(Protocol):
    """A per-key budget of calls (Redis in production)."""

    async def wait_time(self, key: str) -> float:
        """Take one call from `key`'s budget: 0 when allowed, else seconds until one is available."""
        ...


class CommandObserver(Protocol):
    """Receives one record per command call (Prometheus in production)."""

    def observe(self, platform: str, command: str, outcome: str, seconds: float) -> None:
        """Record a finished call: outcome is ok, user_error, error or rate_limited."""
        ...


class CommandGateway:
    """Runs invocations for adapters: who the caller is, whether they may, the answer, and the record of it."""

    def __init__(
        self,
        registry: Registry,
        context_for: ContextFactory,
        *,
        completer: Completer | None = None,
        identities: IdentityStore | None = None,
        limiter: RateLimiter | None = None,
        observer: CommandObserver | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.registry = registry
        self._context_for = context_for
        self._completer = completer
        self._identities = identities
        self._limiter = limiter
        self._observer = observer
        self._clock = clock

    def command_for(self, invocation: Invocation) -> Command | None:
        """The command an invocation will run (a group's subcommand from its first raw word), or None."""
        command = self.registry.get(invocation.command)
        if command is None and invocation.command in self.registry.groups() and isinstance(invocation.args, str):
            first = invocation.args.split(maxsplit=1)
            command = self.registry.get(f"{invocation.command} {first[0]}") if first else None
        return command

    async def run(self, invocation: Invocation, *, load: ArgsLoader | None = None) -> Reply:
        """Answer one invocation; never raises (a broken store or limiter becomes an error Reply). `load`, when
        given, completes the invocation only once the caller is identified and within their rate limit (a file is
        fetched for an admitted caller alone); its ArgumentError is answered like a bad argument."""
        started = self._clock()
        command = self.command_for(invocation)
        name = command.name if command else "unknown"  # metric labels stay bounded whatever users type
        outcome, reply = "error", Reply.error(f"Something went wrong running /{invocation.command}.")
        try:
            try:
                caller = await self._identify(invocation.caller)
            except StoreUnavailable:
                if command is not None and command.needs_account:
                    raise
                caller = invocation.caller  # market data needs no account: answered anonymously, default settings
            wait = await self._limiter.wait_time(_limit_key(caller)) if self._limiter else 0.0
            if wait > 0:
                outcome, reply = "rate_limited", rate_limited(wait)
            else:
                bound = dataclasses.replace(invocation, caller=caller)
                bound = await load(bound) if load else bound
                reply = await dispatch(self.registry, bound, await self._context_for(caller))
                outcome = ("error" if _failed(reply) else "user_error") if reply.is_error else "ok"
        except ArgumentError as exc:  # only `load` raises it: dispatch answers bad arguments itself
            outcome, reply = "user_error", Reply.error(str(exc), command.usage if command else None)
        except StoreUnavailable as exc:
            reply = temporarily_unavailable(name, exc)
        except Exception:
            caller = invocation.caller
            logger.exception("command gateway failed for /%s (%s user %s)", name, caller.platform, caller.user_id)
        finally:
            if self._observer is not None:
                self._observer.observe(invocation.caller.platform, name, outcome, self._clock() - started)
        return reply

    async def resolver(self, caller: Caller) -> Resolver | None:
        """What the caller's item and place arguments resolve against (their context's catalog; None: none)."""
        return (await self._context_for(caller)).catalog

    def complete(self, source: str, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete suggestions from a named source ("items", "locations", "commands")."""
        if source == "commands":
            names = sorted({c.name.split()[0] for c in self.registry.commands()} | set(self.registry.groups()))
            return [name for name in names if name.startswith(prefix.strip().lower().lstrip("/"))][:limit]
        if self._completer is None:
            return []
        try:
            return self._completer.complete(source, prefix, limit)
        except KeyError:
            return []

    async def _identify(self, caller: Caller) -> Caller:
        if self._identities is None or caller.account_id is not None:
            return caller
        return dataclasses.replace(caller, account_id=await self._identities.account_for(caller))


def rate_limited(wait: float) -> Reply:
    """The friendly answer to a caller who is going too fast."""
    seconds = max(1, math.ceil(wait))
    reply = Reply.error(f"Easy there, you are sending commands faster than I can answer: try again in {seconds} s.")
    return dataclasses.replace(reply, data=reply.data | {"retry_after": seconds})


def _failed(reply: Reply) -> bool:
    """Whether an error reply is our failure (an incident, a store that is down) rather than the user's."""
    return "incident" in reply.data or bool(reply.data.get("unavailable"))


def _limit_key(caller: Caller) -> str:
    return f"{caller.platform}:{caller.user_id}"
