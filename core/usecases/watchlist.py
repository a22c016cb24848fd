"""The watchlist use cases (watch, unwatch, list, daily digest on or off) as plain results.

The /watch commands, the panel's Alerts page and the JSON API call these and render the result their own way.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.alerts.model import AlertTarget
from core.alerts.ports import AlertRuleRepository
from core.alerts.watchlist import DigestSettings, WatchedItem, WatchlistStore


class NotWatched(LookupError):
    """The item is not on the account's watchlist."""

    def __init__(self, type_id: int) -> None:
        self.type_id = type_id
        super().__init__(f"type {type_id} is not on this watchlist")


@dataclass(frozen=True)
class WatchChange:
    """An item put on (`watching`) or taken off the watchlist; `changed` False: it was already there."""

    type_id: int
    watching: bool
    changed: bool


@dataclass(frozen=True)
class Watchlist:
    """The account's watched items (oldest first) and its daily digest."""

    items: tuple[WatchedItem, ...]
    digest: DigestSettings


@dataclass(frozen=True)
class DigestChange:
    """The daily digest after a change, and the time zone its hour is in (the quiet hours' zone, else UTC)."""

    settings: DigestSettings
    timezone: str


async def watch_item(
    watchlist: WatchlistStore, account_id: int, type_id: int, region_id: int | None = None
) -> WatchChange:
    """Watch an item; its daily history is also kept fresh in `region_id`. WatchlistLimitReached when full."""
    added = await watchlist.add(account_id, type_id, region_id)
    return WatchChange(type_id, watching=True, changed=added)


async def unwatch_item(watchlist: WatchlistStore, account_id: int, type_id: int) -> WatchChange:
    """Take an item off the watchlist; NotWatched when it is not on it."""
    if not await watchlist.remove(account_id, type_id):
        raise NotWatched(type_id)
    return WatchChange(type_id, watching=False, changed=True)


async def watchlist_of(watchlist: WatchlistStore, account_id: int) -> Watchlist:
    """The account's watched items and digest settings."""
    items = await watchlist.items(account_id)
    return Watchlist(tuple(items), await watchlist.digest(account_id))


async def set_digest(
    watchlist: WatchlistStore,
    rules: AlertRuleRepository,
    account_id: int,
    enabled: bool,
    hour: int | None = None,
    target: AlertTarget | None = None,
) -> DigestChange:
    """Turn the daily digest on (at a local hour, to `target`) or off; RuleError for a bad hour or no target."""
    settings = await watchlist.set_digest(account_id, enabled, hour, target)
    quiet = (await rules.preferences(account_id)).quiet
    return DigestChange(settings, quiet.timezone if quiet else "UTC")
