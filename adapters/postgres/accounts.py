"""Accounts in Postgres: a chat identity's account (created on first use), guild settings and preferences."""

from __future__ import annotations

import asyncpg

from core.accounts.preferences import GuildSettings
from core.chat.model import Caller

SEEN_EVERY = "5 minutes"  # last_seen_at is a "recently active" mark: a write per command would only add WAL
_ACCOUNT_FOR = f"""
WITH found AS (
    SELECT account_id, last_seen_at, display_name FROM account_identities WHERE platform = $1 AND external_id = $2
), touched AS (
    UPDATE account_identities i SET last_seen_at = now(), display_name = $3
    FROM found
    WHERE i.platform = $1 AND i.external_id = $2
      AND (found.last_seen_at < now() - interval '{SEEN_EVERY}' OR found.display_name IS DISTINCT FROM $3)
)
SELECT account_id FROM found
"""


class PgIdentityStore:
    """IdentityStore over account_identities: one account per (platform, user id), made on first sight."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def account_for(self, caller: Caller) -> int:
        """The caller's account id; concurrent first calls of one identity still create exactly one account.

        last_seen_at and the display name are written only when the name changed or 5 minutes have passed."""
        if not caller.platform or not caller.user_id:
            raise ValueError("a caller needs a platform and a user id to have an account")
        name = caller.display_name[:200]
        async with self._pool.acquire() as conn:
            found = await conn.fetchval(_ACCOUNT_FOR, caller.platform, caller.user_id, name)
            if found is not None:
                return int(found)
            async with conn.transaction():
                account = await conn.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
                owner = await conn.fetchval(
                    "INSERT INTO account_identities (platform, external_id, account_id, display_name)"
                    " VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT (platform, external_id) DO UPDATE SET last_seen_at = now()"
                    " RETURNING account_id",
                    caller.platform,
                    caller.user_id,
                    account,
                    name,
                )
                if owner != account:  # another process created this identity first: drop our spare account
                    await conn.execute("DELETE FROM accounts WHERE id = $1", account)
            return int(owner)


class PgPreferences:
    """PreferencesStore over guild_settings and accounts (permission checks happen in core before a change)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def guild(self, platform: str, guild_id: str) -> GuildSettings:
        """The guild's settings (defaults when it has no row)."""
        row = await self._pool.fetchrow(
            "SELECT default_hub, ai_enabled, alert_channel_id FROM guild_settings"
            " WHERE platform = $1 AND guild_id = $2",
            platform,
            guild_id,
        )
        if row is None:
            return GuildSettings(platform, guild_id)
        return GuildSettings(platform, guild_id, row["default_hub"], row["ai_enabled"], row["alert_channel_id"])

    async def update_guild(
        self, platform: str, guild_id: str, account_id: int | None, **changes: object
    ) -> GuildSettings:
        """Change some of default_hub, ai_enabled, alert_channel_id; returns the settings after the change."""
        allowed = {"default_hub", "ai_enabled", "alert_channel_id"}
        if not changes or set(changes) - allowed:
            raise ValueError(f"guild settings can change only {', '.join(sorted(allowed))}")
        current = await self.guild(platform, guild_id)
        merged = {name: changes.get(name, getattr(current, name)) for name in sorted(allowed)}
        await self._pool.execute(
            "INSERT INTO guild_settings (platform, guild_id, ai_enabled, alert_channel_id, default_hub, updated_by)"
            " VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (platform, guild_id) DO UPDATE SET ai_enabled = EXCLUDED.ai_enabled,"
            " alert_channel_id = EXCLUDED.alert_channel_id, default_hub = EXCLUDED.default_hub,"
            " updated_by = EXCLUDED.updated_by, updated_at = now()",
            platform,
            guild_id,
            merged["ai_enabled"],
            merged["alert_channel_id"],
            merged["default_hub"],
            account_id,
        )
        return await self.guild(platform, guild_id)

    async def account_hub(self, account_id: int) -> str | None:
        """The account's own default hub, if set."""
        hub = await self._pool.fetchval("SELECT default_hub FROM accounts WHERE id = $1", account_id)
        return str(hub) if hub else None

    async def set_account_hub(self, account_id: int, hub: str | None) -> None:
        """Set (or clear) the account's default hub."""
        await self._pool.execute("UPDATE accounts SET default_hub = $2 WHERE id = $1", account_id, hub)
