"""Missing arguments: the conversation asking for the required values a command lacks (params.missing_values).

An open question lives per (chat, user) for `ttl` seconds in the shared interaction state, by command and parameter
names: every bot replica sees it and a restart keeps it; one whose command or parameter a deploy removed is gone
(the caller just sends the command again).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace

import orjson
from telegram import ForceReply, InlineKeyboardMarkup

from bot.state import InteractionState
from bot.telegram.keyboards import choice_markup
from core.chat.params import Param, ParamKind
from core.chat.registry import Command, Registry

MAX_PLACEHOLDER = 64
QUESTIONS = "question"  # interaction state kind
ChatUser = tuple[int, int]


def with_answer(raw: str, answer: str) -> str:
    """`raw` with one more value appended, double-quoted when it has several words (so it stays one value)."""
    answer = " ".join(answer.split()) if "\n" not in answer else answer.strip()
    if " " in answer and '"' not in answer and "\n" not in answer:
        answer = f'"{answer}"'
    return f"{raw} {answer}".strip()


@dataclass(frozen=True)
class Pending:
    """A command waiting for answers: the command, the text so far and the parameters still missing."""

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
    """Open questions per (chat, user) in the shared interaction state, forgotten after `ttl` seconds."""

    def __init__(self, state: InteractionState, registry: Registry, ttl: float = 300.0) -> None:
        self._state, self._registry, self.ttl = state, registry, ttl

    async def begin(self, key: ChatUser, command: Command, raw: str, missing: list[Param]) -> Pending | None:
        """Open (or replace) the question of this chat member; None when it cannot be kept."""
        pending = Pending(command, raw, tuple(missing))
        return pending if await self._keep(key, pending) else None

    async def open_question(self, key: ChatUser) -> Pending | None:
        """The question open for this chat member, left open (None when there is none)."""
        return self._load(await self._state.get(QUESTIONS, _id(key)))

    async def cancel(self, key: ChatUser) -> Pending | None:
        """Close the open question; what was open, if anything."""
        return self._load(await self._state.pop(QUESTIONS, _id(key)))

    async def answer(self, key: ChatUser, answer: str) -> Pending | None:
        """Take one text answer: the next step (kept open while parameters are missing), None if none was open."""
        return await self._take(key, lambda pending: answer)

    async def choose(self, key: ChatUser, index: int) -> Pending | None:
        """Take a choice button's answer like `answer`; None (the question left open) unless the open question
        asks for a choice and `index` is one of them."""

        def choice(pending: Pending) -> str | None:
            choices = pending.asking.choices
            return choices[index] if 0 <= index < len(choices) else None

        return await self._take(key, choice)

    async def _take(self, key: ChatUser, value_of: Callable[[Pending], str | None]) -> Pending | None:
        """Pop the question (GETDEL: of two quick answers only one gets it), then keep the next step."""
        stored = await self._state.pop(QUESTIONS, _id(key))
        if stored is None or (pending := self._load(stored)) is None:
            return None
        value = value_of(pending)
        if value is None:  # not an answer to this question: leave it open
            await self._state.set(QUESTIONS, _id(key), stored, self.ttl)
            return None
        step = replace(pending, raw=with_answer(pending.raw, value), missing=pending.missing[1:])
        if step.missing:
            await self._keep(key, step)
        return step

    async def _keep(self, key: ChatUser, pending: Pending) -> bool:
        data = {"command": pending.command.name, "raw": pending.raw, "missing": [p.name for p in pending.missing]}
        return await self._state.set(QUESTIONS, _id(key), orjson.dumps(data), self.ttl)

    def _load(self, stored: bytes | None) -> Pending | None:
        """The Pending behind stored JSON; None when nothing was stored or a deploy removed its command or a
        parameter (the question is then gone)."""
        if stored is None:
            return None
        data = orjson.loads(stored)
        command = self._registry.get(data["command"])
        params = {param.name: param for param in command.params} if command else {}
        missing = tuple(params[name] for name in data["missing"] if name in params)
        if command is None or not missing or len(missing) != len(data["missing"]):
            return None
        return Pending(command, data["raw"], missing)


def _id(key: ChatUser) -> str:
    chat_id, user_id = key
    return f"{chat_id}:{user_id}"
