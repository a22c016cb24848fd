"""Alert rules and preferences in Postgres: add under the per-account limit, list, remove, pause, quiet hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from core.alerts.model import (
    AlertKind,
    AlertPreferences,
    AlertRule,
    AlertTarget,
    Direction,
    QuietHours,
    RuleError,
    RuleLimitReached,
    RuleSpec,
    Side,
    TargetKind,
)
from core.alerts.rules import DEFAULT_MAX_RULES, check_rule

_RULE_COLUMNS = (
    "id, account_id, kind, type_id, region_id, location_id, side, direction, threshold, hysteresis, cooldown,"
    " target_platform, target_kind, target_address, active, armed, last_fired_at, last_value, created_at, muted_until"
)


def rule_from_record(row: Any) -> AlertRule:
    """Build an AlertRule from an alert_rules row selected with _RULE_COLUMNS."""
    spec = RuleSpec(
        kind=AlertKind(row["kind"]),
        region_id=row["region_id"],
        type_id=row["type_id"],
        location_id=row["location_id"],
        side=Side(row["side"]) if row["side"] else None,
        direction=Direction(row["direction"]),
        threshold=row["threshold"],
        hysteresis=row["hysteresis"],
        cooldown=row["cooldown"],
        target=AlertTarget(row["target_platform"], TargetKind(row["target_kind"]), row["target_address"]),
    )
    return AlertRule(
        id=row["id"],
        account_id=row["account_id"],
        spec=spec,
        active=row["active"],
        armed=row["armed"],
        last_fired_at=row["last_fired_at"],
        last_value=row["last_value"],
        created_at=row["created_at"],
        muted_until=row["muted_until"],
    )


class PgAlertRules:
    """AlertRuleRepository on asyncpg (tables alert_rules and alert_preferences)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def add(self, account_id: int, spec: RuleSpec) -> AlertRule:
        """Store a rule; the account row is locked while counting, so concurrent adds cannot pass the limit."""
        async with self._pool.acquire() as conn, conn.transaction():
            found = await conn.fetchval("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE", account_id)
            if found is None:
                raise RuleError("unknown account")
            linked = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM characters WHERE account_id = $1)", account_id)
            check_rule(spec, has_character=bool(linked))  # order alerts need a character to watch
            count, limit = await conn.fetchrow(
                "SELECT (SELECT count(*) FROM alert_rules WHERE account_id = $1),"
                " coalesce((SELECT max_rules FROM alert_preferences WHERE account_id = $1), $2)",
                account_id,
                DEFAULT_MAX_RULES,
            )
            if count >= limit:
                raise RuleLimitReached(count, limit)
            row = await conn.fetchrow(
                f"""INSERT INTO alert_rules (account_id, kind, type_id, region_id, location_id, side, direction,
                        threshold, hysteresis, cooldown, target_platform, target_kind, target_address)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {_RULE_COLUMNS}""",
                account_id,
                spec.kind.value,
                spec.type_id,
                spec.region_id,
                spec.location_id,
                spec.side.value if spec.side else None,
                spec.direction.value,
                spec.threshold,
                spec.hysteresis,
                spec.cooldown,
                spec.target.platform,
                spec.target.kind.value,
                spec.target.address,
            )
        return rule_from_record(row)

    async def list_for(self, account_id: int) -> list[AlertRule]:
        """The account's rules, oldest first."""
        rows = await self._pool.fetch(
            f"SELECT {_RULE_COLUMNS} FROM alert_rules WHERE account_id = $1 ORDER BY id", account_id
        )
        return [rule_from_record(row) for row in rows]

    async def remove(self, account_id: int, rule_id: int) -> bool:
        """Delete one of the account's own rules and disable its undelivered alerts; False if not its rule."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "UPDATE alert_outbox SET status = 'disabled' WHERE status IN ('pending', 'queued') AND rule_id = $2"
                " AND account_id = $1",
                account_id,
                rule_id,
            )
            status = await conn.execute(
                "DELETE FROM alert_rules WHERE id = $2 AND account_id = $1", account_id, rule_id
            )
        return bool(status == "DELETE 1")

    async def set_active(self, account_id: int, rule_id: int, active: bool) -> bool:
        """Pause or resume one of the account's own rules (resuming re-arms it); False if not its rule."""
        status = await self._pool.execute(
            "UPDATE alert_rules SET active = $3, armed = armed OR $3 WHERE id = $2 AND account_id = $1",
            account_id,
            rule_id,
            active,
        )
        return bool(status == "UPDATE 1")

    async def snooze(self, account_id: int, rule_id: int, until: datetime) -> bool:
        """Keep one of the account's own rules from firing until `until`; False if not its rule."""
        status = await self._pool.execute(
            "UPDATE alert_rules SET muted_until = $3 WHERE id = $2 AND account_id = $1", account_id, rule_id, until
        )
        return bool(status == "UPDATE 1")

    async def preferences(self, account_id: int) -> AlertPreferences:
        """Quiet hours and rule limit; defaults when the account never set them."""
        row = await self._pool.fetchrow(
            "SELECT timezone, quiet_start, quiet_end, max_rules FROM alert_preferences WHERE account_id = $1",
            account_id,
        )
        if row is None:
            return AlertPreferences(quiet=None, max_rules=DEFAULT_MAX_RULES)
        quiet = (
            QuietHours(row["timezone"], row["quiet_start"], row["quiet_end"])
            if row["quiet_start"] is not None
            else None
        )
        return AlertPreferences(quiet=quiet, max_rules=row["max_rules"])

    async def set_quiet_hours(self, account_id: int, quiet: QuietHours | None) -> None:
        """Set (or clear, with None) the account's quiet hours; clearing keeps the time zone (digests use it)."""
        await self._pool.execute(
            """INSERT INTO alert_preferences (account_id, timezone, quiet_start, quiet_end)
               VALUES ($1, coalesce($2, 'UTC'), $3, $4)
               ON CONFLICT (account_id) DO UPDATE SET timezone = coalesce($2, alert_preferences.timezone),
                   quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end, updated_at = now()""",
            account_id,
            quiet.timezone if quiet else None,
            quiet.start if quiet else None,
            quiet.end if quiet else None,
        )

    async def set_max_rules(self, account_id: int, max_rules: int) -> None:
        """Change the account's rule limit (an admin action)."""
        if not 0 <= max_rules <= 10000:
            raise RuleError("the rule limit must be between 0 and 10000")
        await self._pool.execute(
            """INSERT INTO alert_preferences (account_id, max_rules) VALUES ($1, $2)
               ON CONFLICT (account_id) DO UPDATE SET max_rules = EXCLUDED.max_rules, updated_at = now()""",
            account_id,
            max_rules,
        )
