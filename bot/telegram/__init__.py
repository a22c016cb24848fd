"""The Telegram chat platform: python-telegram-bot commands in, HTML messages and photos out."""

from bot.telegram.adapter import bot_commands, build_application, caller_of, send_reply, start, stop, telegram_names
from bot.telegram.render import render_html

__all__ = [
    "bot_commands",
    "build_application",
    "caller_of",
    "render_html",
    "send_reply",
    "start",
    "stop",
    "telegram_names",
]
