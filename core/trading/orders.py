"""The trader's open orders: position against the stored book, a reprice on CCP's tick grid and what relisting costs.

Position: an order is on top when no competitor (an order at the same station, type and side that is not one of
the account's own) beats it by a whole tick of its price (core.alerts.orders.ticks_better); otherwise it is
undercut by that many ticks, by the competitor's price. The reprice beats the competitor by one tick on the
4-significant-digit grid (core.market.fees.next_tick_down / next_tick_up). The relist fee is CCP's modification
fee at the character's own skills and standings (core.market.fees.relist_fee, Advanced Broker Relations'
discount included) on the order's remaining volume.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.alerts.orders import BookKey, CharacterOrder, book_key, ticks_better
from core.market.fees import FeeSchedule, TradeSkills, next_tick_down, next_tick_up, relist_fee
from core.trading.profile import Asset, FeeProfile

EXPIRING_WITHIN = timedelta(days=1)


@dataclass(frozen=True)
class OwnedOrder:
    """One open order and the character that placed it."""

    character_id: int
    character: str
    order: CharacterOrder


@dataclass(frozen=True)
class CharacterFetch:
    """When a character's data (orders, assets) was last current as ESI gave it (None: never fetched)."""

    character_id: int
    character: str
    as_of: datetime | None


@dataclass(frozen=True)
class CompetingBooks:
    """The best competing price of each book, and when each market's snapshot (region or structure) was current."""

    best: dict[BookKey, float | None]
    market_of: dict[BookKey, int]  # the market each book was read in: its region, or a tracked structure's market
    as_of: dict[int, datetime]  # market id -> when its snapshot was current


class TraderStore(Protocol):
    """The account's stored orders, the public books they compete in, fee profiles and assets (adapters.postgres)."""

    async def open_orders(self, account_id: int) -> list[OwnedOrder]:
        """Every order of the account's characters last seen open."""
        ...

    async def orders_fetched(self, account_id: int) -> list[CharacterFetch]:
        """The account's characters whose orders were fetched, with when they were current."""
        ...

    async def competitors(self, keys: Sequence[BookKey], own_order_ids: Sequence[int]) -> CompetingBooks:
        """The best price of each book without the account's orders (absent: the region has no stored book)."""
        ...

    async def fee_profile(self, character_id: int) -> FeeProfile | None:
        """The character's fee skills and standings, None before they were fetched."""
        ...

    async def assets_fetched(self, account_id: int) -> list[CharacterFetch]:
        """The account's characters whose assets were fetched, with when they were current, by name."""
        ...

    async def assets(self, character_id: int) -> list[Asset]:
        """The character's stored assets."""
        ...


@dataclass(frozen=True)
class OrderAdvice:
    """An order's position, the price that would put it back on top, what that relist costs and when it ends."""

    owned: OwnedOrder
    position: str  # "top", "undercut" or "unknown" (no stored book for its region)
    ticks: int
    competitor: float | None
    reprice: float | None
    relist_fee: float | None
    expires: datetime
    expiring: bool

    @property
    def needs_attention(self) -> bool:
        """Undercut, or ending within a day."""
        return self.position == "undercut" or self.expiring

    def as_dict(self) -> dict[str, Any]:
        """The machine-readable advice (the command's data)."""
        order = self.owned.order
        return {
            "order_id": order.order_id,
            "character_id": self.owned.character_id,
            "character": self.owned.character,
            "type_id": order.type_id,
            "location_id": order.location_id,
            "region_id": order.region_id,
            "is_buy_order": order.is_buy_order,
            "price": order.price,
            "volume_remain": order.volume_remain,
            "volume_total": order.volume_total,
            "position": self.position,
            "ticks": self.ticks,
            "competitor": self.competitor,
            "reprice": self.reprice,
            "relist_fee": None if self.relist_fee is None else round(self.relist_fee, 2),
            "expires": self.expires.isoformat(),
            "expiring": self.expiring,
        }


def reprice(order: CharacterOrder, competitor: float) -> float | None:
    """One tick better than `competitor` on CCP's grid (None: a sell order cannot go below 0.01 ISK)."""
    try:
        return next_tick_up(competitor) if order.is_buy_order else next_tick_down(competitor)
    except ValueError:
        return None


def advise(
    owned: OwnedOrder, best: Mapping[BookKey, float | None], skills: TradeSkills, schedule: FeeSchedule, now: datetime
) -> OrderAdvice:
    """The advice for one order against the competitors' best prices, at the character's fees."""
    order = owned.order
    key = book_key(order)
    competitor = best.get(key)
    ticks = ticks_better(order.price, competitor, order.is_buy_order) if key in best else 0
    position = "unknown" if key not in best else ("undercut" if ticks > 0 else "top")
    new_price = reprice(order, competitor) if ticks > 0 and competitor is not None else None
    fee = None
    if new_price is not None:
        volume = order.volume_remain
        fee = relist_fee(order.price * volume, new_price * volume, skills, schedule)
    expires = order.expires_at
    return OrderAdvice(owned, position, ticks, competitor, new_price, fee, expires, expires - now <= EXPIRING_WITHIN)
