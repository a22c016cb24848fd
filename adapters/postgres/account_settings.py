"""What the panel reads and changes about accounts: fee skills/standings, default hub, identities and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from core.accounts.linking import LinkedIdentity
from core.accounts.sessions import ROLE_ADMIN, check_role
from core.market.fees import AccountSettings, TradeSkills


@dataclass(frozen=True)
class AccountSummary:
    """One row of the admin's account list."""

    account_id: int
    role: str
    created_at: datetime
    identities: int


class LastAdminError(Exception):
    """The change would leave no admin."""


_SAVE_SKILLS = """
INSERT INTO account_trade_settings AS s (account_id, accounting, broker_relations, advanced_broker_relations,
    faction_standing, corp_standing)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (account_id) DO UPDATE SET accounting = EXCLUDED.accounting,
    broker_relations = EXCLUDED.broker_relations, advanced_broker_relations = EXCLUDED.advanced_broker_relations,
    faction_standing = EXCLUDED.faction_standing, corp_standing = EXCLUDED.corp_standing, updated_at = now()
"""

# The admin count is read under a lock on every admin row, so two admins demoting each other cannot both succeed.
_SET_ROLE = """
WITH admins AS (SELECT id FROM accounts WHERE role = 'admin' FOR UPDATE)
UPDATE accounts SET role = $2
WHERE id = $1 AND ($2 = 'admin' OR EXISTS (SELECT 1 FROM admins WHERE admins.id <> $1))
RETURNING role
"""


class PgAccountSettings:
    """Account settings, identities and roles in Postgres (callers check permissions first)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def settings(self, account_id: int) -> AccountSettings:
        """The account's settings (defaults where never changed)."""
        row = await self._pool.fetchrow(
            "SELECT a.default_hub, s.accounting, s.broker_relations, s.advanced_broker_relations,"
            " s.faction_standing, s.corp_standing"
            " FROM accounts a LEFT JOIN account_trade_settings s ON s.account_id = a.id WHERE a.id = $1",
            account_id,
        )
        if row is None:
            raise LookupError(f"no account {account_id}")
        if row["accounting"] is None:
            return AccountSettings(row["default_hub"])
        skills = TradeSkills(
            row["accounting"],
            row["broker_relations"],
            row["advanced_broker_relations"],
            float(row["faction_standing"]),
            float(row["corp_standing"]),
        )
        return AccountSettings(row["default_hub"], skills, skills_overridden=True)

    async def save_settings(self, account_id: int, settings: AccountSettings) -> None:
        """Replace the account's default hub and skills/standings in one transaction."""
        skills = settings.skills
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("UPDATE accounts SET default_hub = $2 WHERE id = $1", account_id, settings.default_hub)
            await conn.execute(
                _SAVE_SKILLS,
                account_id,
                skills.accounting,
                skills.broker_relations,
                skills.advanced_broker_relations,
                skills.faction_standing,
                skills.corp_standing,
            )

    async def identities(self, account_id: int) -> list[LinkedIdentity]:
        """The identities that reach the account, most recently seen first."""
        rows = await self._pool.fetch(
            "SELECT platform, external_id, display_name, last_seen_at FROM account_identities"
            " WHERE account_id = $1 ORDER BY last_seen_at DESC, platform, external_id",
            account_id,
        )
        return [LinkedIdentity(r["platform"], r["external_id"], r["display_name"], r["last_seen_at"]) for r in rows]

    async def unlink_identity(self, account_id: int, platform: str, external_id: str) -> bool:
        """Detach one of the account's identities (its next use starts a fresh account); True when it existed."""
        deleted = await self._pool.fetchval(
            "DELETE FROM account_identities WHERE account_id = $1 AND platform = $2 AND external_id = $3"
            " RETURNING account_id",
            account_id,
            platform,
            external_id,
        )
        return deleted is not None

    async def role(self, account_id: int) -> str | None:
        """The account's role, or None when there is no such account."""
        role = await self._pool.fetchval("SELECT role FROM accounts WHERE id = $1", account_id)
        return str(role) if role is not None else None

    async def accounts(self, limit: int = 500) -> list[AccountSummary]:
        """Accounts with their role and number of identities, oldest first."""
        rows = await self._pool.fetch(
            "SELECT a.id, a.role, a.created_at, count(i.account_id) AS identities FROM accounts a"
            " LEFT JOIN account_identities i ON i.account_id = a.id GROUP BY a.id ORDER BY a.id LIMIT $1",
            limit,
        )
        return [AccountSummary(r["id"], r["role"], r["created_at"], r["identities"]) for r in rows]

    async def set_role(self, account_id: int, role: str) -> str:
        """Give the account `role`; LookupError when it does not exist, LastAdminError when no admin would remain."""
        check_role(role)
        async with self._pool.acquire() as conn, conn.transaction():
            changed = await conn.fetchval(_SET_ROLE, account_id, role)
            if changed is not None:
                return str(changed)
            if await conn.fetchval("SELECT 1 FROM accounts WHERE id = $1", account_id) is None:
                raise LookupError(f"no account {account_id}")
        raise LastAdminError("the last admin cannot be demoted")

    async def promote_admin_characters(self, character_ids: list[int], account_id: int | None = None) -> int:
        """Make the accounts holding these EVE characters admins (only `account_id`'s, when given); how many changed."""
        if not character_ids:
            return 0
        changed = await self._pool.fetch(
            "UPDATE accounts SET role = $2 WHERE role <> $2 AND ($3::bigint IS NULL OR id = $3)"
            " AND id IN (SELECT account_id FROM characters WHERE character_id = ANY($1::bigint[])) RETURNING id",
            character_ids,
            ROLE_ADMIN,
            account_id,
        )
        return len(changed)

    async def account_of(self, number: int) -> tuple[int, bool] | None:
        """The account a CLI argument names: (account id, True) for a linked character's id, else (id, False)."""
        row = await self._pool.fetchrow(
            "SELECT account_id, true AS character FROM characters WHERE character_id = $1"
            " UNION ALL SELECT id, false FROM accounts WHERE id = $1 ORDER BY character DESC LIMIT 1",
            number,
        )
        return (int(row["account_id"]), bool(row["character"])) if row is not None else None
