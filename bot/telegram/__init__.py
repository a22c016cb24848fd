"""The Telegram chat platform: python-telegram-bot over the command gateway, HTML messages and photos out.

The package exports its platform object only (importing it does not load python-telegram-bot); the application,
handlers, rendering and delivery live in its modules (adapter, handlers, render, send, webhook, deliver, ...)."""

from bot.telegram.platform import telegram_platform

__all__ = ["telegram_platform"]
