"""Webhook mode: register the URL with setWebhook and accept Telegram's POSTs through an aiohttp handler."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "inline_query"]
WebHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def set_webhook(application: Application[Any, Any, Any, Any, Any, Any], url: str, secret: str) -> None:
    """Tell Telegram to POST updates to `url` with `secret` in the X-Telegram-Bot-Api-Secret-Token header."""
    await application.bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)


def webhook_handler(application: Application[Any, Any, Any, Any, Any, Any], secret: str) -> WebHandler:
    """An aiohttp POST handler: 403 without the right secret, 400 for a body that is not an update, 503 while the
    bot is not running (Telegram redelivers), else 200 at once with the update queued for the application."""
    expected = secret.encode()

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            return web.Response(status=403, text="forbidden")
        try:
            body = json.loads(await request.read())
            valid = isinstance(body, dict) and isinstance(body.get("update_id"), int)
            update = Update.de_json(body, application.bot) if valid else None
        except Exception:  # any body PTB cannot read as an Update is the sender's error, not ours
            logger.debug("rejected a webhook body that is not a Telegram update", exc_info=True)
            update = None
        if update is None:
            return web.Response(status=400, text="not a Telegram update")
        if not application.running:
            return web.Response(status=503, text="not running")
        await application.update_queue.put(update)
        return web.Response(status=200)

    return handle
