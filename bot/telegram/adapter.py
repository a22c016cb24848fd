"""Telegram adapter: python-telegram-bot commands in, core dispatch, HTML messages and photos out."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import warnings
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram import BotCommand, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.render import photos, render_html
from core.commands.dispatch import dispatch
from core.commands.model import Caller, Invocation, Reply
from core.commands.registry import CommandContext, Registry

logger = logging.getLogger(__name__)
ContextFactory = Callable[[Caller], CommandContext]
TELEGRAM_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_COMMAND_DESCRIPTION, MAX_CAPTION, MAX_RETRY_WAIT = 256, 1024, 30.0


def telegram_names(registry: Registry) -> dict[str, str]:
    """Telegram command name -> registry top-level name ("-" becomes "_"; names that cannot map are skipped)."""
    names: dict[str, str] = {}
    for name in sorted({c.name.split()[0] for c in registry.commands()} | set(registry.groups())):
        mapped = name.replace("-", "_").lower()
        if TELEGRAM_NAME.match(mapped) and mapped not in names:
            names[mapped] = name
    return names


def bot_commands(registry: Registry) -> list[BotCommand]:
    """The command menu: one entry per top-level command or group, descriptions cut to Telegram's limit."""
    groups = registry.groups()
    entries = []
    for telegram_name, name in telegram_names(registry).items():
        command = registry.get(name)
        description = groups.get(name) or (command.description if command else name)
        entries.append(BotCommand(telegram_name, description[:MAX_COMMAND_DESCRIPTION]))
    return entries


def build_application(
    token: str,
    registry: Registry,
    context_factory: ContextFactory,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB Application with one CommandHandler per top-level command; run_polling also sets the command menu."""
    builder = ApplicationBuilder().token(token).post_init(lambda app: register_commands(app, registry))
    if base_url:
        builder = builder.base_url(base_url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    for telegram_name, name in telegram_names(registry).items():
        application.add_handler(CommandHandler(telegram_name, _handler(name, registry, context_factory)))
    application.add_error_handler(_on_error)
    return application


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any], registry: Registry) -> None:
    """Publish the registry's commands as the bot's command menu (failures are logged, never fatal)."""
    try:
        await application.bot.set_my_commands(bot_commands(registry))
    except TelegramError:
        logger.warning("could not set the Telegram command menu", exc_info=True)


async def start(
    application: Application[Any, Any, Any, Any, Any, Any],
    registry: Registry,
    *,
    poll_interval: float = 0.0,
    poll_timeout: float = 10.0,
) -> None:
    """Initialize, publish the command menu and start polling (for running inside an existing event loop)."""
    await application.initialize()
    await register_commands(application, registry)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=poll_interval, timeout=timedelta(seconds=poll_timeout))


async def stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop polling and the application, then shut it down."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


def caller_of(update: Update) -> Caller:
    """The Caller behind an update."""
    user, chat = update.effective_user, update.effective_chat
    return Caller(
        platform="telegram",
        user_id=str(user.id) if user else "",
        display_name=(user.full_name or user.username or str(user.id)) if user else "",
        chat_id=str(chat.id) if chat else None,
        is_dm=chat is not None and chat.type == "private",
    )


def _handler(name: str, registry: Registry, context_factory: ContextFactory) -> Any:
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        caller = caller_of(update)
        _, _, rest = message.text.strip().partition(" ")
        invocation = Invocation(name, rest.strip(), caller)
        try:
            reply = await dispatch(registry, invocation, context_factory(caller))
        except Exception:
            logger.exception("telegram /%s failed before dispatch (user %s)", name, caller.user_id)
            reply = Reply.error(f"Something went wrong running /{name}.")
        await send_reply(context.bot, chat.id, reply)

    return handle


async def send_reply(bot: Any, chat_id: int | str, reply: Reply) -> None:
    """Send the HTML messages, then each image as a photo with its alt text as the caption."""
    for text in render_html(reply):
        await _with_retry(functools.partial(bot.send_message, chat_id=chat_id, text=text, parse_mode=ParseMode.HTML))
    for image in photos(reply):
        photo = InputFile(image.png, filename=image.filename)
        await _with_retry(
            functools.partial(bot.send_photo, chat_id=chat_id, photo=photo, caption=image.alt[:MAX_CAPTION])
        )


async def _with_retry(send: Callable[[], Any]) -> Any:
    """Call `send`; on a 429 wait the requested time (capped) and try once more."""
    try:
        return await send()
    except RetryAfter as exc:
        with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta; accept both
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        await asyncio.sleep(min(seconds, MAX_RETRY_WAIT))
        return await send()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log errors from PTB itself (network, sending); the chat never sees a traceback."""
    logger.error("telegram update failed", exc_info=context.error)
