"""Telegram as a chat platform (bot/platform.py): its TELEGRAM_* settings and its connection (polling or webhook);
python-telegram-bot loads on build."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.platform import PlatformDeps

if TYPE_CHECKING:
    from bot.platform import WebHandler
    from bot.telegram.adapter import App
    from core.alerts.delivery import AlertSender

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"


class TelegramSettings(BaseSettings):
    """TELEGRAM_TOKEN and the rest of Telegram's own settings."""

    model_config = SettingsConfigDict(
        env_prefix="TELEGRAM_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = Field(default=None, description="Telegram bot token (BotFather)")
    api_base: str = "https://api.telegram.org"
    webhook_url: str | None = Field(default=None, description="public URL of /telegram/webhook; unset = poll")
    webhook_secret: SecretStr | None = Field(default=None, description="X-Telegram-Bot-Api-Secret-Token")
    messages_per_second: float = Field(
        default=30.0,
        gt=0,
        le=1000,
        description="overall pace of sends: Telegram allows ~30/s, more with paid broadcasts",
    )


class TelegramConnection:
    """A python-telegram-bot Application over the command gateway, long polling or fed by the webhook route."""

    lifeline_name = "telegram polling"

    def __init__(self, settings: TelegramSettings, deps: PlatformDeps) -> None:
        from bot.telegram.adapter import build_application

        assert settings.token is not None
        self.settings = settings
        base = settings.api_base.rstrip("/")
        self.application: App = build_application(
            settings.token.get_secret_value(),
            deps.gateway,
            deps.state,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            paste_limit=deps.paste_limit,
            messages_per_second=settings.messages_per_second,
        )

    async def start(self) -> None:
        """Publish the command menu, then setWebhook (TELEGRAM_WEBHOOK_URL set) or start long polling."""
        from bot.telegram.adapter import start

        secret = self.settings.webhook_secret
        await start(
            self.application,
            webhook_url=self.settings.webhook_url,
            webhook_secret=secret.get_secret_value() if secret else None,
        )
        log.info("telegram bot started", extra={"mode": "webhook" if self.settings.webhook_url else "polling"})

    async def stop(self, grace: float) -> None:
        """Stop taking updates, let the replies in flight finish, then shut down (the webhook stays registered)."""
        from bot.telegram.adapter import stop

        await stop(self.application)

    def connected(self) -> bool:
        """Running, and (when polling) the polling task still runs."""
        polling = self.lifeline()
        return bool(self.application.running) and (polling is None or not polling.done())

    def lifeline(self) -> asyncio.Task[Any] | None:
        """PTB's long-polling task (None in webhook mode): it ends for good on an invalid token."""
        updater = self.application.updater
        return getattr(updater, "_Updater__polling_task", None) if updater is not None else None

    def alert_sender(self) -> AlertSender:
        """Alerts as HTML messages with buttons, through the application's paced bot."""
        from bot.telegram.deliver import TelegramAlertSender

        return TelegramAlertSender(self.application.bot)

    def webhook_route(self) -> tuple[str, WebHandler] | None:
        """POST /telegram/webhook in webhook mode (URL and secret set), else None."""
        secret = self.settings.webhook_secret
        if not self.settings.webhook_url or secret is None:
            return None
        from bot.telegram.webhook import webhook_handler

        return WEBHOOK_PATH, webhook_handler(self.application, secret.get_secret_value())


class TelegramPlatform:
    """The Telegram platform object the bot service runs when TELEGRAM_TOKEN is set."""

    name = "telegram"
    settings_model = TelegramSettings
    enabling_setting = "TELEGRAM_TOKEN"

    def enabled(self, settings: TelegramSettings) -> bool:
        """On when a token is set."""
        return settings.token is not None

    def build(self, settings: TelegramSettings, deps: PlatformDeps) -> TelegramConnection:
        """An application over the gateway, not yet initialized."""
        return TelegramConnection(settings, deps)


telegram_platform = TelegramPlatform()
