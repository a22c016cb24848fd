"""The bot's handlers: commands (asking for missing arguments), answers, button presses, inline queries."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.state import InteractionState
from bot.telegram.callers import ChatRoles, caller_of
from bot.telegram.documents import caption_args, captioned_command, document_problem, read_document
from bot.telegram.inline import inline_articles
from bot.telegram.keyboards import ANSWER, NOOP, PAGE, Keyboards, parse_callback
from bot.telegram.prompts import Conversations, Pending, prompt
from bot.telegram.send import ACTION_EVERY_S, answer, chat_action_of, show_page, showing
from core.appraisal.parse import DEFAULT_MAX_BYTES
from core.chat.gateway import CommandGateway
from core.chat.model import Caller, Invocation, Reply
from core.chat.params import ArgumentError, ParamKind, Reading, missing_values, runs_on
from core.digits import whole_number

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]
EXPIRED = "This button has expired: send the command again."


class TelegramBot:
    """Translates Telegram updates into gateway runs; open questions and keyboards live in the shared `state`."""

    def __init__(
        self,
        gateway: CommandGateway,
        state: InteractionState,
        *,
        conversation_ttl: float = 300.0,
        keyboard_ttl: float = 3600.0,
        action_every: float = ACTION_EVERY_S,
        paste_limit: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.gateway = gateway
        self.action_every = action_every
        self.paste_limit = paste_limit  # APPRAISAL_MAX_BYTES: the largest .txt paste read
        self.keyboards = Keyboards(state, keyboard_ttl)
        self.conversations = Conversations(state, gateway.registry, conversation_ttl)
        self.roles = ChatRoles()

    def command(self, name: str) -> Callback:
        """The handler of /name (a top-level command or group of the registry)."""
        return functools.partial(self.on_command, name)

    async def on_start(self, update: Update, context: Context) -> None:
        """/start (Telegram's first message to a bot): the command list, so the user sees what to type."""
        await self.on_command("help", update, context)

    async def on_command(self, name: str, update: Update, context: Context) -> None:
        """/name args: run it, or ask for the first missing required argument."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        caller = await self.roles.caller(context.bot, update)
        _, _, rest = message.text.strip().partition(" ")
        await self.run_text(context.bot, chat.id, caller, name, rest.strip(), reply_to=message.message_id)

    async def run_text(
        self, bot: Any, chat_id: int, caller: Caller, name: str, raw: str, *, reply_to: int | None = None
    ) -> None:
        """Run `name raw` through the gateway and send the reply, unless a required argument is missing."""
        command = self.gateway.command_for(Invocation(name, raw, caller))
        if command is not None and command.group is not None and name == command.group:
            raw = (re.split(r"\s+", raw, maxsplit=1)[1:] or [""])[0]
        reading = Reading((), raw)
        if command is not None:  # the catalog is asked only when a name= value may run on (parse_raw's rule)
            resolver = await self.gateway.resolver(caller) if runs_on(command.params, raw) else None
            reading = missing_values(command.params, raw, resolver)
        if command is not None and reading.missing and caller.user_id:
            key = (chat_id, int(caller.user_id))
            pending = await self.conversations.begin(key, command, reading.raw, list(reading.missing))
            if pending is not None:  # else no question can be kept: the command itself says what is missing
                await self._ask(bot, chat_id, pending, reply_to)
                return
        invocation = Invocation(command.name if command else name, raw, caller)
        async with showing(bot, chat_id, chat_action_of(command), self.action_every):
            reply = await self.gateway.run(invocation)
        await answer(bot, chat_id, caller, reply, keyboards=self.keyboards, reply_to=reply_to)

    async def on_text(self, update: Update, context: Context) -> None:
        """A plain message: the answer to this member's open question, if there is one."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None or user is None or not message.text:
            return
        step = await self.conversations.answer((chat.id, user.id), message.text)
        if step is not None:
            await self._go_on(context.bot, update, step, message.message_id)

    async def on_document(self, update: Update, context: Context) -> None:
        """A file: appraised when captioned with a paste command ("/appraise [hub]") or sent while this member's
        open question asks for a paste as its last missing parameter; other files are left alone (groups share files
        all day). A file is checked before anything else and downloaded only once the gateway admitted the caller
        (identity, rate limit); a refused file runs nothing and leaves the question open."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None or user is None or message.document is None:
            return
        found = captioned_command(self.gateway.registry, message.caption or "", context.bot.username)
        question = None if found else await self.conversations.open_question((chat.id, user.id))
        if question is not None and (question.asking.kind is not ParamKind.PASTE or len(question.missing) > 1):
            return
        command = found[0] if found else question.command if question else None
        if command is None:
            return
        bot, document, key = context.bot, message.document, (chat.id, user.id)
        caller = await self.roles.caller(bot, update)

        async def with_paste(admitted: Invocation) -> Invocation:
            text = await read_document(bot, document, self.paste_limit)
            if found is not None:
                return replace(admitted, args=caption_args(command, found[1], text))
            step = await self.conversations.answer(key, text)
            if step is None:  # answered or cancelled meanwhile
                raise ArgumentError("paste: this question is no longer open, send the command again.")
            return replace(admitted, args=step.raw)

        problem = document_problem(document, self.paste_limit)
        if problem is not None:
            reply = Reply.error(problem, command.usage)
        else:
            invocation = Invocation(command.name, {} if found else question.raw if question else "", caller)
            async with showing(bot, chat.id, chat_action_of(command), self.action_every):
                reply = await self.gateway.run(invocation, load=with_paste)
        await answer(bot, chat.id, caller, reply, keyboards=self.keyboards, reply_to=message.message_id)

    async def on_cancel(self, update: Update, context: Context) -> None:
        """/cancel: abandon this member's open question."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        pending = await self.conversations.cancel((chat.id, user.id))
        text = f"Cancelled /{pending.command.name}." if pending else "Nothing to cancel."
        await context.bot.send_message(chat_id=chat.id, text=text)

    async def on_callback(self, update: Update, context: Context) -> None:
        """A button press: turn a page, answer a choice, or run the button's command; always answer the query."""
        query, chat, user = update.callback_query, update.effective_chat, update.effective_user
        if query is None or chat is None or user is None:
            return
        kind, payload = parse_callback(query.data or "")
        notice: str | None = None
        if kind == PAGE:
            key, _, index = payload.rpartition(":")
            message_id = query.message.message_id if query.message else 0
            number = whole_number(index, max_digits=3)
            turned = number is not None and await show_page(
                context.bot, chat.id, message_id, self.keyboards, key, number
            )
            notice = None if turned else EXPIRED
        elif kind == ANSWER:
            choice = whole_number(payload, max_digits=3)
            chosen = await self.conversations.choose((chat.id, user.id), choice) if choice is not None else None
            await query.answer(text=None if chosen else "This question is no longer open.")
            if chosen is not None:
                await self._go_on(context.bot, update, chosen, None)
            return
        elif (action := await self.keyboards.action_of(kind, payload)) is not None:
            await query.answer()
            name, _, raw = action.strip().lstrip("/").partition(" ")
            await self.run_text(context.bot, chat.id, await self.roles.caller(context.bot, update), name, raw.strip())
            return
        elif kind != NOOP:
            notice = EXPIRED
        await query.answer(text=notice)

    async def on_inline(self, update: Update, context: Context) -> None:
        """@bot query: price articles of the best matching items (a help article for an empty query)."""
        query = update.inline_query
        if query is None:
            return
        articles = await inline_articles(self.gateway, caller_of(update), query.query, context.bot.username)
        await query.answer(articles, cache_time=30, is_personal=False)

    async def _go_on(self, bot: Any, update: Update, step: Pending, reply_to: int | None) -> None:
        """After an answer: ask for the next missing parameter, or run the completed command."""
        chat = update.effective_chat
        assert chat is not None
        if step.missing:
            await self._ask(bot, chat.id, step, reply_to)
            return
        caller = await self.roles.caller(bot, update)
        async with showing(bot, chat.id, chat_action_of(step.command), self.action_every):
            reply = await self.gateway.run(Invocation(step.command.name, step.raw, caller))
        await answer(bot, chat.id, caller, reply, keyboards=self.keyboards, reply_to=reply_to)

    async def _ask(self, bot: Any, chat_id: int, pending: Pending, reply_to: int | None) -> None:
        text, markup = prompt(pending)
        replying = {"reply_to_message_id": reply_to} if reply_to else {}
        await bot.send_message(chat_id=chat_id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup, **replying)
