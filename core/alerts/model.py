"""Alert value objects: kinds, sides, delivery targets, rule specs, stored rules and preferences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class AlertKind(StrEnum):
    """What a rule watches; only SNAPSHOT_KINDS are evaluated today (order and digest kinds need linked characters)."""

    PRICE = "price"  # best buy or sell price crosses a threshold (ISK)
    SPREAD = "spread"  # station-trading margin after fees (percent of cost)
    VOLUME_SPIKE = "volume_spike"  # latest day's traded volume as a multiple of the 30-day average
    ORDER_UNDERCUT = "order_undercut"  # your order undercut/outbid, and back on top
    ORDER_FILLED = "order_filled"
    ORDER_EXPIRING = "order_expiring"
    DAILY_DIGEST = "daily_digest"


SNAPSHOT_KINDS = frozenset({AlertKind.PRICE, AlertKind.SPREAD, AlertKind.VOLUME_SPIKE})


class Side(StrEnum):
    """Which side of the book a price rule watches."""

    BUY = "buy"
    SELL = "sell"


class Direction(StrEnum):
    """Whether a rule fires when its value rises above or falls below the threshold."""

    ABOVE = "above"
    BELOW = "below"


class TargetKind(StrEnum):
    """Where on a platform an alert goes."""

    DM = "dm"
    CHANNEL = "channel"
    CHAT = "chat"
    EMAIL = "email"
    PUSH = "push"  # a browser's web push subscription (platform "webpush", address: the subscription's id)


class RuleError(ValueError):
    """A rule (or preference) the user asked for is invalid; the message says why, in words for the user."""


class RuleLimitReached(RuleError):
    """The account already has as many rules as it may have."""

    def __init__(self, count: int, limit: int) -> None:
        self.count, self.limit = count, limit
        super().__init__(f"you have {count} alert rules and the limit is {limit}: remove one first")


_PLATFORM = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class AlertTarget:
    """A delivery address: a platform ("discord", "telegram", "email", ...) and a DM, channel, chat or mailbox."""

    platform: str
    kind: TargetKind
    address: str

    def __post_init__(self) -> None:
        if not _PLATFORM.match(self.platform):
            raise RuleError(f"unknown delivery platform {self.platform!r}")
        if not self.address.strip() or len(self.address) > 320:
            raise RuleError("an alert needs somewhere to go: the target address is empty or too long")
        if self.kind is TargetKind.EMAIL and "@" not in self.address:
            raise RuleError(f"{self.address!r} is not an email address")
        if self.kind is TargetKind.PUSH and not self.address.isdigit():
            raise RuleError("a browser notification target is the number of one of your subscriptions")


@dataclass(frozen=True)
class RuleSpec:
    """What a user asked to be alerted about (checked by core.alerts.rules.check_rule)."""

    kind: AlertKind
    region_id: int
    type_id: int | None
    location_id: int | None  # a station (a hub's); None: the whole region
    side: Side | None
    direction: Direction
    threshold: float
    hysteresis: float
    cooldown: timedelta
    target: AlertTarget


@dataclass(frozen=True)
class AlertRule:
    """A stored rule with its evaluation state (`armed` is the hysteresis state)."""

    id: int
    account_id: int
    spec: RuleSpec
    active: bool
    armed: bool
    last_fired_at: datetime | None
    last_value: float | None
    created_at: datetime
    muted_until: datetime | None = None  # snoozed: does not fire before then


_TIME_OF_DAY = re.compile(r"^(\d{1,2})(?::?(\d{2}))?$")


def time_of_day(text: str) -> time:
    """A time of day as people type it, the same in chat and on the panel: "22:00", "2200", "22", "7" or "0730";
    RuleError otherwise."""
    match = _TIME_OF_DAY.match(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
    if hour > 23 or minute > 59:
        raise RuleError(f"{text!r} is not a time of day like 22:00")
    return time(hour, minute)


@dataclass(frozen=True)
class QuietHours:
    """Local hours during which alerts wait (start inclusive, end exclusive; may wrap midnight)."""

    timezone: str
    start: time
    end: time

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise RuleError(f"unknown time zone {self.timezone!r} (use a name like Europe/Berlin or UTC)") from None
        if self.start == self.end:
            raise RuleError("quiet hours must start and end at different times")


@dataclass(frozen=True)
class AlertPreferences:
    """An account's alert settings."""

    quiet: QuietHours | None
    max_rules: int
