"""Telegram adapter: the python-telegram-bot Application over the command gateway, its command menu and lifecycle."""

from __future__ import annotations

import logging
import re
import ssl
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.state import InteractionState
from bot.telegram.handlers import TelegramBot
from bot.telegram.pacing import Pacing
from bot.telegram.send import ACTION_EVERY_S
from bot.telegram.webhook import ALLOWED_UPDATES, set_webhook
from core.appraisal.parse import DEFAULT_MAX_BYTES
from core.chat.gateway import CommandGateway
from core.chat.registry import Registry

logger = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
TELEGRAM_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_COMMAND_DESCRIPTION = 256
CANCEL = BotCommand("cancel", "Abandon a command that is waiting for your answer")
BOT_KEY = "evetrader.telegram"


def telegram_names(registry: Registry) -> dict[str, str]:
    """Telegram command name -> registry top-level name ("-" becomes "_"; names that cannot map are skipped)."""
    names: dict[str, str] = {}
    for name in sorted({c.name.split()[0] for c in registry.commands()} | set(registry.groups())):
        mapped = name.replace("-", "_").lower()
        if TELEGRAM_NAME.match(mapped) and mapped not in names:
            names[mapped] = name
    return names


def bot_commands(registry: Registry, scope: str = "private") -> list[BotCommand]:
    """The command menu of a scope, one entry per top-level command or group (descriptions cut to 256), then
    /cancel: "private" chats get every command; "groups" those that make sense there (not the ones answering with
    the caller's own data, which go to a private chat, nor the managers'); "admins" of groups also the managers'."""
    groups = registry.groups()
    entries = []
    for telegram_name, name in telegram_names(registry).items():
        if scope != "private" and (registry.is_private(name) or (scope == "groups" and registry.manages(name))):
            continue
        command = registry.get(name)
        description = groups.get(name) or (command.description if command else name)
        entries.append(BotCommand(telegram_name, description[:MAX_COMMAND_DESCRIPTION]))
    if CANCEL.command not in telegram_names(registry):
        entries.append(CANCEL)
    return entries


def build_application(
    token: str,
    gateway: CommandGateway,
    state: InteractionState,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    conversation_ttl: float = 300.0,
    keyboard_ttl: float = 3600.0,
    tls: ssl.SSLContext | None = None,
    action_every: float = ACTION_EVERY_S,
    paste_limit: int = DEFAULT_MAX_BYTES,
    messages_per_second: float = 30.0,
) -> App:
    """A PTB Application answering commands, prompt answers, button presses and inline queries via `gateway`,
    keeping open questions and keyboards in `state` (shared by replicas, kept across restarts).

    Updates are handled concurrently (a slow command does not hold up other chats); `stop` waits for them. Every
    call goes through Pacing (flood limits, 429 retries), alert deliveries on `application.bot` included; a slow
    command shows "typing…" every `action_every` s until its answer. `tls` reuses one TLS context for both HTTP
    clients (building one loads the CA bundle, ~0.1 s each). A .txt document up to `paste_limit` bytes captioned
    "/appraise [hub]" (or answering the question for a paste) is appraised. `messages_per_second` is the overall pace
    (Telegram's free limit is about 30; bots with paid broadcasts may send more)."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .concurrent_updates(True)
        .rate_limiter(Pacing(overall_max_rate=messages_per_second))
    )
    if tls is not None:
        builder = builder.request(HTTPXRequest(httpx_kwargs={"verify": tls}))
        builder = builder.get_updates_request(HTTPXRequest(connection_pool_size=1, httpx_kwargs={"verify": tls}))
    if base_url:
        builder = builder.base_url(base_url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    bot = TelegramBot(
        gateway,
        state,
        conversation_ttl=conversation_ttl,
        keyboard_ttl=keyboard_ttl,
        action_every=action_every,
        paste_limit=paste_limit,
    )
    application.bot_data[BOT_KEY] = bot
    names = telegram_names(gateway.registry)
    for telegram_name, name in names.items():
        application.add_handler(CommandHandler(telegram_name, bot.command(name)))
    if CANCEL.command not in names:
        application.add_handler(CommandHandler(CANCEL.command, bot.on_cancel))
    if "start" not in names:
        application.add_handler(CommandHandler("start", bot.on_start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, bot.on_text))
    application.add_handler(MessageHandler(filters.Document.ALL, bot.on_document))
    application.add_handler(CallbackQueryHandler(bot.on_callback))
    application.add_handler(InlineQueryHandler(bot.on_inline))
    application.add_error_handler(_on_error)
    return application


def telegram_bot(application: App) -> TelegramBot:
    """The handlers object of an application made by build_application."""
    bot = application.bot_data[BOT_KEY]
    assert isinstance(bot, TelegramBot)
    return bot


MENU_SCOPES: dict[str, tuple[BotCommandScope, ...]] = {
    "private": (BotCommandScopeDefault(), BotCommandScopeAllPrivateChats()),
    "groups": (BotCommandScopeAllGroupChats(),),
    "admins": (BotCommandScopeAllChatAdministrators(),),
}


async def register_commands(application: App) -> None:
    """Publish the registry's commands as the bot's command menus, one per scope (setMyCommands with a scope:
    private chats, groups, group administrators; the default is the private one). Failures are logged, never
    fatal."""
    registry = telegram_bot(application).gateway.registry
    try:
        for menu, scopes in MENU_SCOPES.items():
            commands = bot_commands(registry, menu)
            for scope in scopes:
                await application.bot.set_my_commands(commands, scope=scope)
    except TelegramError:
        logger.warning("could not set the Telegram command menu", exc_info=True)


async def start(
    application: App,
    *,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    poll_interval: float = 0.0,
    poll_timeout: float = 10.0,
) -> None:
    """Initialize, publish the command menu and start: setWebhook when `webhook_url` is given (updates then come
    through webhook_handler), else long polling. Runs inside the caller's event loop."""
    if webhook_url and not webhook_secret:
        raise ValueError("a Telegram webhook needs a secret token")
    await application.initialize()
    await register_commands(application)
    await application.start()
    if webhook_url and webhook_secret:
        await set_webhook(application, webhook_url, webhook_secret)
        return
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=poll_interval, timeout=timedelta(seconds=poll_timeout), allowed_updates=ALLOWED_UPDATES
    )


async def stop(application: App) -> None:
    """Stop taking updates, let the replies in flight finish, then shut down (the webhook stays registered)."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log errors from PTB itself (network, sending); the chat never sees a traceback."""
    logger.error("telegram update failed", exc_info=context.error)
