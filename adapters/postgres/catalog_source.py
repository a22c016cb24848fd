"""CatalogSource over the sde_* tables: market types, regions, systems and NPC stations for the in-memory Catalog."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from core.catalog import CatalogItem, TypeGroup

# Published types with a market group; ships carry their (much smaller) packaged volume.
_MARKET_TYPES = """
SELECT t.type_id, t.name, coalesce(g.name, '') AS group_name,
       coalesce(t.packaged_volume, t.volume, 0)::float8 AS volume
FROM sde_types t
LEFT JOIN sde_groups g ON g.group_id = t.group_id
WHERE t.published AND t.market_group_id IS NOT NULL
ORDER BY t.type_id
"""
_TYPE_GROUPS = """
SELECT t.type_id, t.market_group_id, coalesce(c.name, '') AS category
FROM sde_types t
LEFT JOIN sde_categories c ON c.category_id = t.category_id
WHERE t.published AND t.market_group_id IS NOT NULL
ORDER BY t.type_id
"""
_LOCALIZED = """
SELECT n.type_id, n.name
FROM sde_type_names n
JOIN sde_types t ON t.type_id = n.type_id
WHERE t.published AND t.market_group_id IS NOT NULL
ORDER BY n.type_id, n.language
"""


class PgCatalogSource:
    """core.catalog.CatalogSource on asyncpg: reads the static data once per Catalog.load."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def market_types(self) -> Sequence[CatalogItem]:
        """Every published type that has a market group, with its group name and packaged volume."""
        records = await self._pool.fetch(_MARKET_TYPES)
        return [CatalogItem(r[0], r[1], r[2], r[3]) for r in records]

    async def regions(self) -> Sequence[tuple[int, str]]:
        """(region_id, name) of every region."""
        records = await self._pool.fetch("SELECT region_id, name FROM sde_regions ORDER BY region_id")
        return [(r[0], r[1]) for r in records]

    async def systems(self) -> Sequence[tuple[int, str, int]]:
        """(system_id, name, region_id) of every solar system."""
        records = await self._pool.fetch("SELECT system_id, name, region_id FROM sde_systems ORDER BY system_id")
        return [(r[0], r[1], r[2]) for r in records]

    async def structure_markets(self) -> Sequence[tuple[int, int, str, int]]:
        """(structure_id, market_id, name, solar_system_id) of every tracked structure market."""
        rows = await self._pool.fetch(
            "SELECT structure_id, market_id, name, solar_system_id FROM structure_markets ORDER BY name"
        )
        return [(r["structure_id"], r["market_id"], r["name"], r["solar_system_id"]) for r in rows]

    async def stations(self) -> Sequence[tuple[int, str, int, int]]:
        """(station_id, name, system_id, region_id) of every NPC station."""
        records = await self._pool.fetch(
            "SELECT station_id, name, system_id, region_id FROM sde_stations ORDER BY station_id"
        )
        return [(r[0], r[1], r[2], r[3]) for r in records]

    async def market_groups(self) -> Sequence[tuple[int, int | None, str]]:
        """(market_group_id, parent_id, name) of every market group."""
        records = await self._pool.fetch("SELECT market_group_id, parent_id, name FROM sde_market_groups")
        return [(r[0], r[1], r[2]) for r in records]

    async def type_groups(self) -> Sequence[TypeGroup]:
        """(type_id, market_group_id, category name) of every market type."""
        return [(r[0], r[1], r[2]) for r in await self._pool.fetch(_TYPE_GROUPS)]

    async def localized_names(self) -> Sequence[tuple[int, str]]:
        """(type_id, name) of every market type's name in the other client languages."""
        return [(r[0], r[1]) for r in await self._pool.fetch(_LOCALIZED)]
