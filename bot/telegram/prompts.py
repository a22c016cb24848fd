"""Missing arguments: which required parameters a raw command text lacks, and the conversation that asks for them.

State lives in memory per (chat, user) for `ttl` seconds: a restart or another bot replica forgets open questions
(the caller just sends the command again).
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from telegram import ForceReply, InlineKeyboardMarkup

from bot.telegram.keyboards import choice_markup
from bot.telegram.ttl import TtlMap
from core.commands.params import Param, ParamKind, tokenize
from core.commands.registry import Command

MAX_PLACEHOLDER = 64
ChatUser = tuple[int, int]


def missing_params(command: Command, raw: str) -> list[Param]:
    """The required positional parameters that `raw` leaves out, in order (parse_raw's rule: values fill the
    required parameters from the left, name=value tokens count for their own parameter)."""
    names = {param.name for param in command.params}
    given, positional = set(), 0
    for token in tokenize(raw):
        key, eq, value = token.text.partition("=")
        if eq and value and key.lower() in names:
            given.add(key.lower())
        else:
            positional += 1
    required = [p for p in command.params if p.required and p.positional and p.name not in given]
    return required[positional:]


def with_answer(raw: str, answer: str) -> str:
    """`raw` with one more value appended, double-quoted when it has several words (so it stays one value)."""
    answer = " ".join(answer.split()) if "\n" not in answer else answer.strip()
    if " " in answer and '"' not in answer and "\n" not in answer:
        answer = f'"{answer}"'
    return f"{raw} {answer}".strip()


@dataclass(frozen=True)
class Pending:
    """A command waiting for answers: its registry name, the text so far and the parameters still missing."""

    command: Command
    raw: str
    missing: tuple[Param, ...]

    @property
    def asking(self) -> Param:
        """The parameter the caller is being asked for now."""
        return self.missing[0]


def prompt(pending: Pending) -> tuple[str, ForceReply | InlineKeyboardMarkup]:
    """The question for the next missing parameter: choices as buttons, anything else as a forced reply."""
    param = pending.asking
    head = f"<b>/{html.escape(pending.command.name)}</b> needs <b>{html.escape(param.name)}</b>"
    what = html.escape(param.description, quote=False)
    if param.kind is ParamKind.CHOICE:
        return f"{head}: {what}\nPick one, or send /cancel.", choice_markup(param.choices)
    placeholder = param.description[:MAX_PLACEHOLDER]
    return f"{head}: {what}\nReply with it, or send /cancel.", ForceReply(
        selective=True, input_field_placeholder=placeholder
    )


class Conversations:
    """Open questions per (chat, user), forgotten after `ttl` seconds."""

    def __init__(
        self, ttl: float = 300.0, *, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._open: TtlMap[ChatUser, Pending] = TtlMap(ttl, max_entries=max_entries, clock=clock)

    def begin(self, key: ChatUser, command: Command, raw: str, missing: list[Param]) -> Pending:
        """Open (or replace) the question of this chat member."""
        pending = Pending(command, raw, tuple(missing))
        self._open.set(key, pending)
        return pending

    def get(self, key: ChatUser) -> Pending | None:
        """The open question of this chat member, if any."""
        return self._open.get(key)

    def cancel(self, key: ChatUser) -> Pending | None:
        """Close the open question; what was open, if anything."""
        return self._open.pop(key)

    def answer(self, key: ChatUser, answer: str) -> Pending | None:
        """Take one answer: the updated Pending (left open while parameters are missing), None if none was open."""
        pending = self._open.pop(key)
        if pending is None:
            return None
        step = replace(pending, raw=with_answer(pending.raw, answer), missing=pending.missing[1:])
        if step.missing:
            self._open.set(key, step)
        return step
