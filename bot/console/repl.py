"""The console chat: one command line (`evetrader chat -c`) or an interactive loop with history and completion."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

from bot.console.json_output import dumps, reply_to_json
from bot.console.render import render_text, save_images
from core.chat import Caller, Invocation, Param, ParamKind, Reply
from core.chat.gateway import CommandGateway

logger = logging.getLogger(__name__)
PROMPT = "evetrader> "
QUIT = frozenset({"quit", "exit"})
HISTORY_LENGTH = 1000
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Completions(Protocol):
    """Autocomplete by source name ("items", "locations"): core.catalog.Catalog satisfies it."""

    def complete(self, source: str, prefix: str) -> Sequence[str]:
        """Names for a partly typed value."""
        ...


def os_user() -> str:
    """The name of the OS user running this process ("console" when the OS cannot say)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "console"


def console_caller(user: str | None = None, *, named: str | None = None) -> Caller:
    """The Caller for the local console user: platform "console", always a direct conversation.

    Its identity (external id) is the OS user's name; `named` (`chat --as NAME`) picks a separate identity of that
    OS user, "user:NAME", so one OS user cannot take another's account. ValueError for a malformed name.
    """
    user = user or os_user()
    if named is None:
        return Caller("console", user_id=user, display_name=user, is_dm=True)
    if not NAME.match(named):
        raise ValueError(f"--as: {named!r} is not a name (letters, digits, '.', '_' or '-', at most 64)")
    return Caller("console", user_id=f"{user}:{named}", display_name=named, is_dm=True)


class ConsoleChat:
    """Turns console lines into Invocations, runs them through the command gateway (the caller's account, the rate
    limit, metrics) and renders the Replies as text or JSON."""

    def __init__(
        self,
        gateway: CommandGateway,
        caller: Caller | None = None,
        completer_catalog: Completions | None = None,
        *,
        color: bool = False,
    ) -> None:
        self.gateway, self.catalog, self.color = gateway, completer_catalog, color
        self.registry = gateway.registry
        self.caller = caller or console_caller()
        self._matches: list[str] = []

    async def run_one(self, line: str, *, as_json: bool, image_dir: Path, patient: bool = False) -> tuple[int, str]:
        """Run one command line ("/" optional); return (0, output) or (1, output) for an error reply.

        `patient` (lines piped in, not typed): a rate-limited line waits its turn instead of failing."""
        reply = await self._answer(line, patient)
        paths: list[Path] = []
        if reply.images:
            try:
                paths = save_images(reply, image_dir)
            except OSError as exc:
                logger.warning("cannot save images to %s: %s", image_dir, exc)
        text = (
            dumps(reply_to_json(reply, paths)) if as_json else render_text(reply, color=self.color, image_paths=paths)
        )
        return (1 if reply.is_error else 0), text

    async def _answer(self, line: str, patient: bool) -> Reply:
        """The gateway's reply; when patient, waits out a rate limit (a piped script is throttled, not failed)."""
        while True:
            reply = await self.gateway.run(Invocation.from_text(line, self.caller))
            wait = reply.data.get("retry_after") if reply.is_error else None
            if not patient or not isinstance(wait, int | float):
                return reply
            await asyncio.sleep(wait)

    async def repl(
        self,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        *,
        image_dir: Path = Path("chat-images"),
        history_path: Path | None = None,
        as_json: bool = False,
    ) -> int:
        """Read lines until quit/exit/EOF (default: sys.stdin/stdout) printing replies; return the last exit code."""
        stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
        interactive = stdin is sys.stdin and stdout is sys.stdout and stdin.isatty()
        readline = self._setup_readline(history_path) if interactive else None
        if interactive:
            stdout.write("evetrader chat: /help lists the commands, quit or Ctrl-D leaves, Tab completes.\n")
        code = 0
        try:
            while (line := self._prompt() if interactive else stdin.readline() or None) is not None:
                words = line.strip()
                if words.lstrip("/").lower() in QUIT:
                    break
                if words:
                    code, text = await self.run_one(
                        words, as_json=as_json, image_dir=image_dir, patient=not interactive
                    )
                    stdout.write(text + "\n")
                    stdout.flush()
        finally:
            if readline is not None and history_path is not None:
                with contextlib.suppress(OSError):
                    history_path.parent.mkdir(parents=True, exist_ok=True)
                    readline.write_history_file(str(history_path))
        return code

    def candidates(self, line: str) -> list[str]:
        """Completions replacing the last word of `line` (the text before the cursor): commands, then arguments."""
        words = line.split()
        current = "" if not words or line[-1].isspace() else words.pop()
        if not words:
            slash = "/" if current.startswith("/") else ""
            names = {command.name.split()[0] for command in self.registry.commands()} | set(self.registry.groups())
            wanted = current.lstrip("/").lower()
            return [slash + name for name in sorted(names | QUIT) if name.startswith(wanted)]
        head = words[0].lstrip("/").lower()
        if head in self.registry.groups():
            if len(words) == 1:
                subs = [sub.name.split()[1] for sub in self.registry.subcommands(head)]
                return [sub for sub in subs if sub.startswith(current.lower())]
            command, rest = self.registry.get(f"{head} {words[1]}"), words[2:]
        else:
            command, rest = self.registry.get(head), words[1:]
        return self._argument(command.params, rest, current) if command else []

    def _argument(self, params: Sequence[Param], rest: list[str], current: str) -> list[str]:
        """Best effort: walk the parameters over the typed words; item/location values may span words."""
        rest = [word for word in rest if "=" not in word]
        for param in params:
            source = param.autocomplete or {ParamKind.ITEM: "items", ParamKind.LOCATION: "locations"}.get(param.kind)
            if param.kind in (ParamKind.ITEM, ParamKind.LOCATION) and source:
                prefix = " ".join([*rest, current]).strip()
                offset = len(" ".join(rest)) + 1 if rest else 0
                names = self._source(source, prefix)
                found = [name[offset:] for name in names if name.lower().startswith(prefix.lower())]
                if found or not rest:
                    return found or names
                rest = []
            elif rest:
                rest = rest[1:]
            elif param.choices:
                return [choice for choice in param.choices if choice.lower().startswith(current.lower())]
            else:
                return self._source(source, current) if source else []
        return []

    def _source(self, source: str, prefix: str) -> list[str]:
        if source == "commands":
            return [c.name for c in self.registry.commands() if c.name.startswith(prefix.lower().lstrip("/"))]
        if self.catalog is None:
            return []
        try:
            return list(self.catalog.complete(source, prefix))
        except (LookupError, ValueError):
            return []

    def _readline_complete(self, text: str, state: int) -> str | None:
        """The readline completer: compute the candidates once per Tab (state 0), then hand them out."""
        if state == 0:
            import readline

            try:
                self._matches = self.candidates(readline.get_line_buffer()[: readline.get_endidx()])
                if len(self._matches) == 1:  # CPython's readline appends nothing itself
                    self._matches[0] += " "
            except Exception:  # never let a completion bug kill the prompt
                logger.debug("completion failed", exc_info=True)
                self._matches = []
        return self._matches[state] if state < len(self._matches) else None

    def _setup_readline(self, history_path: Path | None) -> Any:
        """Tab completion and history through the stdlib readline (None where it is unavailable)."""
        try:
            import readline
        except ImportError:
            return None
        readline.set_completer(self._readline_complete)
        readline.set_completer_delims(" \t\n")
        readline.parse_and_bind("bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete")
        readline.set_history_length(HISTORY_LENGTH)
        if history_path is not None and history_path.exists():
            with contextlib.suppress(OSError):
                readline.read_history_file(str(history_path))
        return readline

    def _prompt(self) -> str | None:
        """One interactive line (None at Ctrl-D); Ctrl-C clears the line instead of stopping the loop."""
        swap = threading.current_thread() is threading.main_thread()
        previous = signal.getsignal(signal.SIGINT) if swap else None
        if swap:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return input(PROMPT)
        except EOFError:
            print()
            return None
        except KeyboardInterrupt:
            print()
            return ""
        finally:
            if swap and previous is not None:
                signal.signal(signal.SIGINT, previous)
