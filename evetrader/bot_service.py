"""The bot service (composition level): every chat platform with a token, on the shared command registry."""

from __future__ import annotations

import asyncio
import logging

from core.commands.default import build_registry
from core.commands.model import Caller
from core.commands.registry import CommandContext
from evetrader.app import App

log = logging.getLogger(__name__)


class BotService:
    """Runs the configured platforms (Telegram now) inside this process's event loop."""

    def __init__(self, app: App) -> None:
        self.app = app

    def platforms(self) -> list[str]:
        """The platforms with a token configured."""
        return ["telegram"] if self.app.settings.telegram_token else []

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set; replies in flight finish before the platform shuts down."""
        from bot.telegram.adapter import build_application
        from bot.telegram.adapter import start as start_telegram
        from bot.telegram.adapter import stop as stop_telegram

        settings = self.app.settings
        if settings.telegram_token is None:
            raise RuntimeError("no chat platform configured: set TELEGRAM_TOKEN (Discord comes with a later release)")
        registry, context = build_registry(), await self.app.command_context()

        def context_for(caller: Caller) -> CommandContext:
            return context

        base = settings.telegram_api_base.rstrip("/")
        application = build_application(
            settings.telegram_token.get_secret_value(),
            registry,
            context_for,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
        )
        await start_telegram(application, registry)
        log.info("telegram bot polling", extra={"commands": len(registry.commands())})
        try:
            await stop.wait()
        finally:
            await stop_telegram(application)
