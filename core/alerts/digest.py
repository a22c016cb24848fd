"""The daily digest: watchlist prices at the account's hub versus yesterday, the trader's realised profit and orders
needing attention, written once a day to the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.alerts.model import AlertTarget
from core.formatting import data_age, exact_isk
from core.market.hubs import Hub, UnknownLocation, find_hub

log = logging.getLogger(__name__)
DIGEST_KIND = "daily_digest"


@dataclass(frozen=True)
class DigestCandidate:
    """An account with the digest on and no digest for its local today yet (the store's pre-filter)."""

    account_id: int
    hour: int
    timezone: str
    hub_name: str | None
    target: AlertTarget
    last_sent_on: date | None


@dataclass(frozen=True)
class WatchPrice:
    """A watched item at the hub: best prices now and the latest daily average before today (CCP history)."""

    type_id: int
    name: str
    best_sell: float | None
    best_buy: float | None
    as_of: datetime | None
    previous_average: float | None = None
    previous_day: date | None = None

    @property
    def change_pct(self) -> float | None:
        """Best sell against the previous day's average, in percent (None when either is missing)."""
        if self.best_sell is None or not self.previous_average:
            return None
        return (self.best_sell - self.previous_average) / self.previous_average * 100


class OrdersSection(Protocol):
    """Hook for the character-orders work: lines about the account's own market orders (state, undercuts, fills)."""

    async def lines(self, account_id: int, day: date) -> list[str]:
        """The orders section's lines for the account's digest of `day` (empty: no section)."""
        ...


class ProfitSection(Protocol):
    """Hook for the trading book: the account's realised profit (core.trading.book.DigestProfit)."""

    async def lines(self, account_id: int, day: date) -> list[str]:
        """The profit lines for the account's digest of `day` (empty: no wallet to speak of)."""
        ...


class DigestStore(Protocol):
    """What the digest job reads and writes."""

    async def candidates(self, now: datetime) -> list[DigestCandidate]:
        """Accounts with the digest on, a non-empty watchlist and no digest yet for their local date at `now`."""
        ...

    async def watch_prices(self, account_id: int, hub: Hub, day: date) -> list[WatchPrice]:
        """The account's watched items at the hub's station, with the latest daily average before `day`."""
        ...

    async def write(self, candidate: DigestCandidate, day: date, key: str, payload: dict[str, Any]) -> bool:
        """Insert the outbox row (idempotent on `key`) and remember `day` as sent; False if it existed already."""
        ...


def digest_key(account_id: int, day: date) -> str:
    """The outbox idempotency key of an account's digest for one local date."""
    return f"digest:{account_id}:{day.isoformat()}"


def local_now(timezone: str, now: datetime) -> datetime:
    """`now` in the account's time zone (UTC when the zone is unknown)."""
    try:
        return now.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(UTC)


def is_due(candidate: DigestCandidate, now: datetime) -> date | None:
    """The local date to send the candidate's digest for, if its hour has come and it was not sent that day."""
    local = local_now(candidate.timezone, now)
    if local.hour < candidate.hour:
        return None
    if candidate.last_sent_on is not None and candidate.last_sent_on >= local.date():
        return None
    return local.date()


def _price_line(price: WatchPrice) -> str:
    sell = f"sell {exact_isk(price.best_sell)}" if price.best_sell is not None else "no sell orders"
    buy = f"buy {exact_isk(price.best_buy)}" if price.best_buy is not None else "no buy orders"
    change = price.change_pct
    if change is not None and price.previous_average is not None:
        when = price.previous_day.isoformat() if price.previous_day else "yesterday"
        versus = f" ({change:+.1f}% vs {when} average {exact_isk(price.previous_average)})"
    else:
        versus = " (no daily average to compare)"
    return f"{price.name}: {sell} / {buy} ISK{versus}"


def digest_text(
    day: date,
    hub: Hub,
    prices: Sequence[WatchPrice],
    orders: Sequence[str],
    now: datetime,
    profit: Sequence[str] = (),
) -> str:
    """The digest message: one line per watched item, the profit and orders sections if any, and the data age."""
    lines = [f"Daily digest for {day.isoformat()} at {hub.name}"]
    lines += [_price_line(price) for price in prices]
    lines += profit
    if orders:
        lines += ["Your orders:", *orders]
    stamps = [price.as_of for price in prices if price.as_of is not None]
    lines.append(
        f"Prices as of {min(stamps).astimezone(UTC):%H:%M UTC}, {data_age(min(stamps), now)}"
        if stamps
        else "No market data for these items yet."
    )
    return "\n".join(lines)


def _hub(name: str | None, default: str) -> Hub:
    try:
        return find_hub(name or default)
    except UnknownLocation:
        return find_hub(default)


class DigestService:
    """The digest job: every due account gets one digest per local date in the alert outbox."""

    def __init__(
        self,
        store: DigestStore,
        *,
        orders: OrdersSection | None = None,
        profit: ProfitSection | None = None,
        default_hub: str = "Jita",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store, self._orders, self._default_hub, self._clock = store, orders, default_hub, clock
        self._profit = profit

    async def run(self) -> int:
        """Write the digests that are due now; how many were written (failures are logged per account)."""
        now, written = self._clock(), 0
        for candidate in await self._store.candidates(now):
            day = is_due(candidate, now)
            if day is None:
                continue
            try:
                written += await self.send(candidate, day, now)
            except Exception:
                log.exception("digest failed", extra={"account_id": candidate.account_id, "day": day.isoformat()})
        return written

    async def send(self, candidate: DigestCandidate, day: date, now: datetime) -> bool:
        """Build and write one account's digest for `day`; False when it was written before."""
        hub = _hub(candidate.hub_name, self._default_hub)
        prices = await self._store.watch_prices(candidate.account_id, hub, day)
        orders = await self._orders.lines(candidate.account_id, day) if self._orders is not None else []
        profit = await self._profit.lines(candidate.account_id, day) if self._profit is not None else []
        if not prices and not orders and not profit:
            return False  # nothing to say today (a character without orders, an emptied watchlist)
        payload = {
            "kind": DIGEST_KIND,
            "account_id": candidate.account_id,
            "date": day.isoformat(),
            "hub": hub.name,
            "subject": f"EVE Trader daily digest {day.isoformat()}",
            "text": digest_text(day, hub, prices, orders, now, profit),
            "items": [
                {
                    "type_id": p.type_id,
                    "name": p.name,
                    "best_sell": p.best_sell,
                    "best_buy": p.best_buy,
                    "previous_average": p.previous_average,
                    "change_pct": p.change_pct,
                }
                for p in prices
            ],
            "orders": list(orders),
            "profit": list(profit),
            "fired_at": now.isoformat(),
        }
        return await self._store.write(candidate, day, digest_key(candidate.account_id, day), payload)
