"""Watchlists (the items a daily digest reports) and digest preferences: value objects, limits and the store port."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.alerts.model import AlertTarget, RuleError

MAX_WATCHED = 50  # items per account
DEFAULT_DIGEST_HOUR = 8  # local time


class WatchlistLimitReached(RuleError):
    """The account already watches as many items as it may."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"your watchlist is full ({limit} items): remove one first")


@dataclass(frozen=True)
class WatchedItem:
    """One item on an account's watchlist."""

    type_id: int
    added_at: datetime


@dataclass(frozen=True)
class DigestSettings:
    """An account's daily digest: on or off, the local hour it goes out, where to, and the last local date sent."""

    enabled: bool
    hour: int = DEFAULT_DIGEST_HOUR
    target: AlertTarget | None = None
    last_sent_on: date | None = None


def check_digest_hour(hour: int) -> int:
    """Return `hour` if it is an hour of the day (0-23), else raise RuleError."""
    if not 0 <= hour <= 23:
        raise RuleError(f"the digest hour must be between 0 and 23, got {hour}")
    return hour


class WatchlistStore(Protocol):
    """Watchlists and digest preferences per account."""

    async def add(self, account_id: int, type_id: int, region_id: int | None = None) -> bool:
        """Watch an item (False if already watched); WatchlistLimitReached when full.

        `region_id` is where the account trades it: its daily history is then refreshed there too.
        """
        ...

    async def items(self, account_id: int) -> list[WatchedItem]:
        """The account's watched items, oldest first."""
        ...

    async def remove(self, account_id: int, type_id: int) -> bool:
        """Stop watching an item; False if it was not watched."""
        ...

    async def digest(self, account_id: int) -> DigestSettings:
        """The account's digest settings (off when never set)."""
        ...

    async def set_digest(
        self, account_id: int, enabled: bool, hour: int | None = None, target: AlertTarget | None = None
    ) -> DigestSettings:
        """Turn the digest on (needs a target the first time) or off; `hour` None keeps the current one."""
        ...
