"""What the alert use cases need from outside: a rules repository and a set-wise evaluator."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.alerts.fired import FiredAlert
from core.alerts.model import AlertPreferences, AlertRule, QuietHours, RuleSpec


class AlertRuleRepository(Protocol):
    """Alert rules and preferences per account."""

    async def add(self, account_id: int, spec: RuleSpec) -> AlertRule:
        """Store a checked rule; raise RuleLimitReached when the account is at its limit (atomically)."""
        ...

    async def list_for(self, account_id: int) -> list[AlertRule]:
        """The account's rules, oldest first."""
        ...

    async def remove(self, account_id: int, rule_id: int) -> bool:
        """Delete one of the account's own rules (its pending alerts are disabled); False if it has no such rule."""
        ...

    async def set_active(self, account_id: int, rule_id: int, active: bool) -> bool:
        """Pause or resume one of the account's own rules; False if it has no such rule."""
        ...

    async def snooze(self, account_id: int, rule_id: int, until: datetime) -> bool:
        """Keep one of the account's own rules from firing until `until`; False if it has no such rule."""
        ...

    async def preferences(self, account_id: int) -> AlertPreferences:
        """The account's quiet hours and rule limit (defaults when never set)."""
        ...

    async def set_quiet_hours(self, account_id: int, quiet: QuietHours | None) -> None:
        """Set or clear the account's quiet hours."""
        ...


class AlertEvaluator(Protocol):
    """Evaluates every snapshot rule of a region against its freshly swapped-in snapshot."""

    async def evaluate_region(self, region_id: int, as_of: datetime, now: datetime) -> list[FiredAlert]:
        """Fire, re-arm and write outbox rows in one transaction; return the alerts written now."""
        ...
