"""Who prefers what: a guild's or group's settings and an account's own default hub, behind one port."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

MANAGER_ROLES = frozenset({"manage_guild", "chat_admin"})  # Discord's Manage Server; a Telegram group admin


@dataclass(frozen=True)
class GuildSettings:
    """A Discord guild's or Telegram group's settings (defaults when never changed)."""

    platform: str
    guild_id: str
    default_hub: str | None = None
    ai_enabled: bool = True
    alert_channel_id: str | None = None


class PreferencesStore(Protocol):
    """Reads and changes guild settings and account preferences (callers check permissions first)."""

    async def guild(self, platform: str, guild_id: str) -> GuildSettings:
        """The guild's settings (defaults when it has none)."""
        ...

    async def update_guild(
        self, platform: str, guild_id: str, account_id: int | None, **changes: object
    ) -> GuildSettings:
        """Change some of default_hub, ai_enabled, alert_channel_id; the settings after the change."""
        ...

    async def account_hub(self, account_id: int) -> str | None:
        """The account's own default hub, if set."""
        ...

    async def set_account_hub(self, account_id: int, hub: str | None) -> None:
        """Set (or clear, with None) the account's default hub."""
        ...
