"""Sending to Telegram: long replies paged in one message, private replies asked for in a group sent to the caller's
private chat, and "typing…" shown while a slow command runs. Pacing and 429 retries are the application's
AIORateLimiter's (see adapter.build_application)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram.keyboards import Keyboards, Paged, page_markup
from bot.telegram.render import photos, render_html
from core.chat.model import Caller, Reply
from core.chat.registry import Command

logger = logging.getLogger(__name__)
MAX_CAPTION = 1024
ACTION_EVERY_S = 4.5  # Telegram shows a chat action for 5 s (or until the bot's next message)
SENT_PRIVATELY = "I sent you the answer in our private chat."
START_PRIVATE = "That answer is only for you: start a private chat with me first, then send the command again."


def chat_action_of(command: Command | None) -> str | None:
    """What the chat sees while `command` runs: "sending a photo" for a chart, "typing…" for another slow
    command (the registry's `slow` flag: it may take over a second), nothing for a quick one."""
    if command is None or not command.slow:
        return None
    return ChatAction.UPLOAD_PHOTO if command.chart else ChatAction.TYPING


@contextlib.asynccontextmanager
async def showing(
    bot: Any, chat_id: int | str, action: str | None, every: float = ACTION_EVERY_S
) -> AsyncIterator[None]:
    """Show `action` in the chat while the block runs: sent at once, then every `every` s; stopped (and any call in
    flight abandoned) before the block's caller sends its answer. A failed chat action is only logged."""
    if action is None:
        yield
        return

    async def repeat() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id=chat_id, action=action)
            except TelegramError as exc:
                logger.info("chat action in %s failed: %s", chat_id, exc)
            await asyncio.sleep(every)

    task = asyncio.create_task(repeat(), name=f"chat-action-{chat_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def send_reply(
    bot: Any, chat_id: int | str, reply: Reply, *, keyboards: Keyboards | None = None, reply_to: int | None = None
) -> None:
    """Send a Reply: HTML messages (buttons as a keyboard when `keyboards` is given, else as text lines), a
    multi-message reply as one message with Prev/Next, then each image as a photo captioned with its alt text."""
    rows = await keyboards.rows(reply.buttons) if keyboards else []
    texts = render_html(reply, buttons_as_text=keyboards is None)
    send = functools.partial(bot.send_message, chat_id=chat_id, parse_mode=ParseMode.HTML)
    if reply_to is not None:
        send = functools.partial(send, reply_to_message_id=reply_to)
    paged = Paged(texts, rows)
    key = await keyboards.add_pages(paged) if keyboards is not None and len(texts) > 1 else None
    if key is not None:
        await send(text=texts[0], reply_markup=page_markup(key, 0, paged))
    else:  # one message, or pages that could not be kept: each page as its own message
        for index, text in enumerate(texts):
            markup = InlineKeyboardMarkup(rows) if rows and index == len(texts) - 1 else None
            await send(text=text, reply_markup=markup)
    for image in photos(reply):
        photo = InputFile(image.png, filename=image.filename)
        caption = image.alt[:MAX_CAPTION]
        await bot.send_photo(chat_id=chat_id, photo=photo, caption=caption)


async def answer(
    bot: Any,
    chat_id: int | str,
    caller: Caller,
    reply: Reply,
    *,
    keyboards: Keyboards | None = None,
    reply_to: int | None = None,
) -> None:
    """Send a command's reply to the chat it was asked in, except a private reply asked for in a group: that goes
    to the caller's private chat (its id is their user id) and the group only hears where it went, or, when Telegram
    will not let the bot write to them (never started, blocked), to start a private chat first; never the reply."""
    if not reply.private or caller.is_dm:
        await send_reply(bot, chat_id, reply, keyboards=keyboards)
        return
    text, markup = START_PRIVATE, _start_markup(bot)
    try:
        if caller.user_id:
            await send_reply(bot, int(caller.user_id), reply, keyboards=keyboards)
            text, markup = SENT_PRIVATELY, None
    except Forbidden:
        pass
    except BadRequest as exc:  # an id that is no private chat (an anonymous admin, a channel)
        if "chat not found" not in exc.message.lower():
            raise
    await bot.send_message(
        chat_id=chat_id, text=text, reply_markup=markup, **({"reply_to_message_id": reply_to} if reply_to else {})
    )


def _start_markup(bot: Any) -> InlineKeyboardMarkup | None:
    """A button opening the bot's private chat (t.me deep link), when the bot's username is known."""
    try:
        username = bot.username
    except RuntimeError:  # not initialized: the name is unknown
        return None
    if not username:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Open a private chat", url=f"https://t.me/{username}?start=help")]]
    )


async def show_page(bot: Any, chat_id: int, message_id: int, keyboards: Keyboards, key: str, index: int) -> bool:
    """Edit a paged message to show page `index`; False when the pages expired or the index is out of range."""
    paged = await keyboards.paged(key)
    if paged is None or not 0 <= index < len(paged.pages):
        return False
    try:
        await bot.edit_message_text(
            chat_id=chat_id,
            message_id=message_id,
            text=paged.pages[index],
            parse_mode=ParseMode.HTML,
            reply_markup=page_markup(key, index, paged),
        )
    except BadRequest as exc:  # a double tap asks for the page already shown: nothing to change
        if "not modified" not in str(exc).lower():
            raise
    return True
