"""The account's trading view in Postgres: its characters' open orders, the books they compete in, fee profiles
and assets, and when each was fetched (core.trading.orders.TraderStore), over the order and profile stores."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from adapters.postgres.character_orders import PgCharacterOrderStore, _state
from adapters.postgres.profile import PgCharacterProfiles
from core.alerts.orders import BookKey
from core.trading.orders import CharacterFetch, CompetingBooks, OwnedOrder
from core.trading.profile import Asset, FeeProfile

# When each of the account's characters' data of one route was current: ESI's Last-Modified, else the fetch time.
_FETCHED = (
    "SELECT c.character_id, c.name, coalesce(f.last_modified, f.fetched_at) AS as_of FROM characters c"
    " JOIN {table} f ON f.character_id = c.character_id AND f.route = $2 WHERE c.account_id = $1 ORDER BY c.name"
)
_FETCH_TABLES = {"orders": "character_order_fetches", "assets": "character_fetches"}


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

    async def orders_fetched(self, account_id: int) -> list[CharacterFetch]:
        """The account's characters whose orders were fetched, with when they were current, by name."""
        return await self._fetched("orders", account_id)

    async def competitors(self, keys: Sequence[BookKey], own_order_ids: Sequence[int]) -> CompetingBooks:
        """The best price of each book without the account's orders (absent: the region has no stored book)."""
        competition = await self._orders.competition(keys, own_order_ids)
        return CompetingBooks(competition.best, competition.market_of, competition.market_as_of)

    async def fee_profile(self, character_id: int) -> FeeProfile | None:
        """The character's fee skills and standings, None before they were fetched."""
        return await self._profiles.fee_profile(character_id)

    async def assets_fetched(self, account_id: int) -> list[CharacterFetch]:
        """The account's characters whose assets were fetched, with when they were current, by name."""
        return await self._fetched("assets", account_id)

    async def assets(self, character_id: int) -> list[Asset]:
        """The character's stored assets."""
        return await self._profiles.assets(character_id)

    async def _fetched(self, route: str, account_id: int) -> list[CharacterFetch]:
        rows = await self._pool.fetch(_FETCHED.format(table=_FETCH_TABLES[route]), account_id, route)
        return [CharacterFetch(r["character_id"], r["name"], r["as_of"]) for r in rows]
