"""The alert-rule use cases (add, list, remove, pause, resume, snooze, quiet hours) as plain results.

Chat commands (core/commands/alerts.py), the panel's Alerts page and the JSON API call these; each front end
chooses the rule's place and target its own way and renders the result in its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from core.accounts.email import VerifiedAddresses
from core.alerts.message import place_name
from core.alerts.model import AlertKind, AlertPreferences, AlertRule, AlertTarget, QuietHours
from core.alerts.ports import AlertRuleRepository
from core.alerts.rules import parse_rule
from core.alerts.watchlist import WatchlistStore
from core.catalog import CatalogItem, Location
from core.chat.params import ArgumentError
from core.usecases.alert_targets import AccountIdentities


class CatalogNames(Protocol):
    """Items by type id and tracked structures by id (core.catalog.Catalog)."""

    def by_id(self, type_id: int) -> CatalogItem | None:
        """The item with this type id, or None."""
        ...

    def structure_names(self) -> dict[int, str]:
        """The tracked structure markets' names by structure id."""
        ...


@dataclass(frozen=True)
class AlertServices:
    """What the alert and watch commands need: the rules store, the watchlist store and item names.

    `emails` (verified account addresses) is set only when this server sends mail; `panel_url` is PUBLIC_URL;
    `identities` finds the chat a console user's alerts go to.
    """

    rules: AlertRuleRepository
    watchlist: WatchlistStore
    names: CatalogNames
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    emails: VerifiedAddresses | None = None
    panel_url: str = ""
    identities: AccountIdentities | None = None

    def item_name(self, type_id: int | None) -> str:
        """An item's name, or its id when the catalog does not know it."""
        item = self.names.by_id(type_id) if type_id is not None else None
        return item.name if item else f"type {type_id}"

    def place(self, region_id: int, location_id: int | None) -> str:
        """Where a rule watches, in words ("at Jita", "at <tracked structure>", "in The Forge")."""
        return place_name(region_id, location_id, self.names.structure_names())


class NoSuchAlert(LookupError):
    """The account has no rule with this id (someone else's rules count as none)."""

    def __init__(self, rule_id: int) -> None:
        self.rule_id = rule_id
        super().__init__(f"no alert #{rule_id} on this account")


class RuleChange(StrEnum):
    """What a remove, pause or resume did to a rule."""

    REMOVED = "removed"
    PAUSED = "paused"
    RESUMED = "resumed"


@dataclass(frozen=True)
class ChangedAlert:
    """One of the account's rules after a remove, pause or resume."""

    rule_id: int
    change: RuleChange


@dataclass(frozen=True)
class SnoozedAlert:
    """One of the account's rules snoozed until `until` (when a snooze was ended: the moment it ended)."""

    rule_id: int
    until: datetime


@dataclass(frozen=True)
class ListedAlert:
    """One of the account's rules as a listing shows it."""

    rule: AlertRule
    condition: str  # describe_condition
    state: str  # rule_state: paused, armed or fired
    snoozed_until: datetime | None  # set while an active rule is snoozed


def describe_condition(rule: AlertRule) -> str:
    """The rule's condition: "sell below 4.50", "spread above 5.0%", "volume above 3x"."""
    spec = rule.spec
    if spec.kind is AlertKind.PRICE:
        return f"{spec.side.value if spec.side else 'price'} {spec.direction.value} {spec.threshold:,.2f}"
    if spec.kind is AlertKind.SPREAD:
        return f"spread {spec.direction.value} {spec.threshold:g}%"
    return f"volume {spec.direction.value} {spec.threshold:g}x"


def rule_state(rule: AlertRule) -> str:
    """ "paused", "armed" (waiting to fire) or "fired" (waiting for the value to move back)."""
    return "paused" if not rule.active else ("armed" if rule.armed else "fired")


def alert_place(kind: AlertKind, where: Location) -> tuple[int, int | None]:
    """(region_id, station or None for region-wide) of a place: a hub or station, or a whole region."""
    if where.kind == "region" or kind is AlertKind.VOLUME_SPIKE:  # volume history exists per region only
        return where.history_region, None  # a structure: its solar system's region
    if where.station_id is not None:
        return where.region_id, where.station_id
    raise ArgumentError(f"where: {where.name} is neither a station nor a region: name a hub, station or region")


async def add_alert(
    rules: AlertRuleRepository,
    account_id: int,
    *,
    kind: str,
    type_id: int,
    place: tuple[int, int | None],
    target: AlertTarget,
    threshold: float | str,
    side: str | None = None,
    direction: str | None = None,
    hysteresis: float | str = 0.0,
    cooldown_minutes: float | str | None = None,
) -> AlertRule:
    """Check and store a rule at `place` (region, station or None; volume spikes go region-wide) to `target`.

    RuleError says what is wrong (RuleLimitReached when the account is at its limit); nothing is stored then.
    """
    region_id, location_id = place
    spec = parse_rule(
        kind=kind,
        region_id=region_id,
        type_id=type_id,
        target=target,
        threshold=threshold,
        location_id=None if kind == AlertKind.VOLUME_SPIKE.value else location_id,
        side=side,
        direction=direction,
        hysteresis=hysteresis,
        cooldown_minutes=cooldown_minutes,
    )
    return await rules.add(account_id, spec)


async def list_alerts(rules: AlertRuleRepository, account_id: int, now: datetime) -> tuple[ListedAlert, ...]:
    """The account's rules, oldest first, with their condition and state at `now`."""
    listed = []
    for rule in await rules.list_for(account_id):
        muted = rule.muted_until
        snoozed = muted if rule.active and muted is not None and muted > now else None
        listed.append(ListedAlert(rule, describe_condition(rule), rule_state(rule), snoozed))
    return tuple(listed)


async def remove_alert(rules: AlertRuleRepository, account_id: int, rule_id: int) -> ChangedAlert:
    """Delete one of the account's own rules; NoSuchAlert when it has none with this id."""
    if not await rules.remove(account_id, rule_id):
        raise NoSuchAlert(rule_id)
    return ChangedAlert(rule_id, RuleChange.REMOVED)


async def set_alert_active(rules: AlertRuleRepository, account_id: int, rule_id: int, active: bool) -> ChangedAlert:
    """Pause or resume (and re-arm) one of the account's own rules; NoSuchAlert when it has none with this id."""
    if not await rules.set_active(account_id, rule_id, active):
        raise NoSuchAlert(rule_id)
    return ChangedAlert(rule_id, RuleChange.RESUMED if active else RuleChange.PAUSED)


async def snooze_alert(
    rules: AlertRuleRepository, account_id: int, rule_id: int, minutes: int, now: datetime
) -> SnoozedAlert:
    """Keep one of the account's own rules from firing for `minutes` after `now` (0 ends a snooze)."""
    until = now + timedelta(minutes=minutes)
    if not await rules.snooze(account_id, rule_id, until):
        raise NoSuchAlert(rule_id)
    return SnoozedAlert(rule_id, until)


async def alert_preferences(rules: AlertRuleRepository, account_id: int) -> AlertPreferences:
    """The account's quiet hours and rule limit."""
    return await rules.preferences(account_id)


async def set_quiet_hours(rules: AlertRuleRepository, account_id: int, quiet: QuietHours | None) -> AlertPreferences:
    """Set (or with None clear) the account's quiet hours; its preferences afterwards."""
    await rules.set_quiet_hours(account_id, quiet)
    return await rules.preferences(account_id)
