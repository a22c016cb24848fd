"""Discord as a chat platform (bot/platform.py): its DISCORD_* settings and connection; discord.py loads on build."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.platform import PlatformDeps

if TYPE_CHECKING:
    from bot.discord.client import EveTraderClient
    from bot.platform import WebHandler
    from core.alerts.delivery import AlertSender

log = logging.getLogger(__name__)


class DiscordSettings(BaseSettings):
    """DISCORD_TOKEN and the rest of Discord's own settings."""

    model_config = SettingsConfigDict(env_prefix="DISCORD_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    token: SecretStr | None = Field(default=None, description="Discord bot token")
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str | None = Field(default=None, description="override the gateway (tests, proxies)")
    guild_ids: list[int] = Field(default=[], description="sync commands to these guilds (empty: global)")


class DiscordConnection:
    """A discord.py client over the command gateway: slash commands synced at start, the gateway in the background."""

    lifeline_name = "discord gateway"

    def __init__(self, settings: DiscordSettings, deps: PlatformDeps) -> None:
        from bot.discord.client import build_client, use_endpoints

        assert settings.token is not None
        self.settings, self.token = settings, settings.token.get_secret_value()
        use_endpoints(settings.api_base, settings.gateway_url)
        self.client: EveTraderClient = build_client(
            deps.gateway, deps.state, guild_ids=settings.guild_ids, paste_limit=deps.paste_limit
        )

    async def start(self) -> None:
        """Log in, sync the commands and return once the gateway is READY."""
        from bot.discord.client import start

        await start(self.client, self.token)
        log.info("discord bot connected", extra={"guilds": len(self.settings.guild_ids) or "global"})

    async def stop(self, grace: float) -> None:
        """Let interactions in flight finish (up to `grace` s), then close the gateway."""
        from bot.discord.client import stop

        await stop(self.client, grace=grace)

    def connected(self) -> bool:
        """The gateway is READY, open and its task still runs."""
        client, runner, ws = self.client, self.client.runner, self.client.ws
        up = client.is_ready() and not client.is_closed() and ws is not None and ws.open
        return bool(up and runner is not None and not runner.done())

    def lifeline(self) -> asyncio.Task[Any] | None:
        """The gateway task: it ends for good when Discord refuses the token."""
        return self.client.runner

    def alert_sender(self) -> AlertSender:
        """Alerts as embeds with buttons in a user's DM or a channel."""
        from bot.discord.deliver import DiscordAlertSender

        return DiscordAlertSender(self.client)

    def webhook_route(self) -> tuple[str, WebHandler] | None:
        """Discord's interactions come over the gateway: no webhook."""
        return None


class DiscordPlatform:
    """The Discord platform object the bot service runs when DISCORD_TOKEN is set."""

    name = "discord"
    settings_model = DiscordSettings
    enabling_setting = "DISCORD_TOKEN"

    def enabled(self, settings: DiscordSettings) -> bool:
        """On when a token is set."""
        return settings.token is not None

    def build(self, settings: DiscordSettings, deps: PlatformDeps) -> DiscordConnection:
        """A client over the gateway, not yet logged in."""
        return DiscordConnection(settings, deps)


discord_platform = DiscordPlatform()
