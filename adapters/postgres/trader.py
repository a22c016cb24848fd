"""The account's trading view in Postgres: its characters' open orders, the books they compete in, fee profiles
and assets (core.trading.orders.TraderStore), over the order and profile stores."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from adapters.postgres.character_orders import PgCharacterOrderStore, _state
from adapters.postgres.profile import PgCharacterProfiles
from core.alerts.orders import BookKey
from core.trading.orders import OwnedOrder
from core.trading.profile import Asset, FeeProfile


class PgTrader:
    """Reads for /orders, /assets and the digest's orders."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._orders = PgCharacterOrderStore(pool)
        self._profiles = PgCharacterProfiles(pool)

    async def open_orders(self, account_id: int) -> list[OwnedOrder]:
        """Every order of the account's characters last seen open with units left."""
        rows = await self._pool.fetch(
            "SELECT o.*, c.name AS character_name FROM character_orders o"
            " JOIN characters c ON c.character_id = o.character_id"
            " WHERE c.account_id = $1 AND o.status = 'open' AND o.volume_remain > 0 ORDER BY o.order_id",
            account_id,
        )
        return [OwnedOrder(r["character_id"], r["character_name"], _state(r).order) for r in rows]

    async def competitors(self, keys: Sequence[BookKey], own_order_ids: Sequence[int]) -> dict[BookKey, float | None]:
        """The best price of each book without the account's orders (absent: the region has no stored book)."""
        return (await self._orders.competition(keys, own_order_ids)).best

    async def fee_profile(self, character_id: int) -> FeeProfile | None:
        """The character's fee skills and standings, None before they were fetched."""
        return await self._profiles.fee_profile(character_id)

    async def asset_characters(self, account_id: int) -> dict[int, str]:
        """The account's characters whose assets were fetched, id -> name."""
        rows = await self._pool.fetch(
            "SELECT c.character_id, c.name FROM characters c JOIN character_fetches f"
            " ON f.character_id = c.character_id AND f.route = 'assets' WHERE c.account_id = $1 ORDER BY c.name",
            account_id,
        )
        return {r["character_id"]: r["name"] for r in rows}

    async def assets(self, character_id: int) -> list[Asset]:
        """The character's stored assets."""
        return await self._profiles.assets(character_id)
