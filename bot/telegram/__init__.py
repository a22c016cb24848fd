"""The Telegram chat platform: python-telegram-bot over the command gateway, HTML messages and photos out."""

from bot.telegram.adapter import bot_commands, build_application, start, stop, telegram_bot, telegram_names
from bot.telegram.callers import caller_of
from bot.telegram.render import render_html
from bot.telegram.send import send_reply
from bot.telegram.webhook import SECRET_HEADER, webhook_handler

__all__ = [
    "SECRET_HEADER",
    "bot_commands",
    "build_application",
    "caller_of",
    "render_html",
    "send_reply",
    "start",
    "stop",
    "telegram_bot",
    "telegram_names",
    "webhook_handler",
]
