"""Sending to Telegram: every send, edit and answer retried once after a 429; long replies paged in one message;
private replies asked for in a group go to the caller's private chat."""

from __future__ import annotations

import asyncio
import functools
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.keyboards import Keyboards, Paged, page_markup
from bot.telegram.render import photos, render_html
from core.commands.model import Caller, Reply

MAX_CAPTION, MAX_RETRY_WAIT = 1024, 30.0
SENT_PRIVATELY = "I sent you the answer in our private chat."
START_PRIVATE = "That answer is only for you: start a private chat with me first, then send the command again."
T = TypeVar("T")


async def with_retry(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Bot API call; on a 429 wait the requested time (capped at 30 s) and try once more."""
    try:
        return await call()
    except RetryAfter as exc:
        with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta; accept both
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        await asyncio.sleep(min(seconds, MAX_RETRY_WAIT))
        return await call()


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
        await with_retry(functools.partial(send, text=texts[0], reply_markup=page_markup(key, 0, paged)))
    else:  # one message, or pages that could not be kept: each page as its own message
        for index, text in enumerate(texts):
            markup = InlineKeyboardMarkup(rows) if rows and index == len(texts) - 1 else None
            await with_retry(functools.partial(send, text=text, reply_markup=markup))
    for image in photos(reply):
        photo = InputFile(image.png, filename=image.filename)
        caption = image.alt[:MAX_CAPTION]
        await with_retry(functools.partial(bot.send_photo, chat_id=chat_id, photo=photo, caption=caption))


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
    send = functools.partial(bot.send_message, chat_id=chat_id, text=text, reply_markup=markup)
    await with_retry(functools.partial(send, reply_to_message_id=reply_to) if reply_to is not None else send)


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
    edit = functools.partial(
        bot.edit_message_text,
        chat_id=chat_id,
        message_id=message_id,
        text=paged.pages[index],
        parse_mode=ParseMode.HTML,
        reply_markup=page_markup(key, index, paged),
    )
    try:
        await with_retry(edit)
    except BadRequest as exc:  # a double tap asks for the page already shown: nothing to change
        if "not modified" not in str(exc).lower():
            raise
    return True
