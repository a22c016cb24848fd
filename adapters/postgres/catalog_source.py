"""CatalogSource over the sde_* tables: market types, regions, systems and NPC stations for the in-memory Catalog."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

import asyncpg

from adapters.postgres.structure_markets import PgStructureMarkets
from core.catalog import Catalog, CatalogItem, TypeGroup
from core.market.structures import StructureMarket

log = logging.getLogger(__name__)
STRUCTURES_RELOAD_S = 60.0  # how soon a structure market added in another process resolves in this one

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

    async def structure_markets(self) -> Sequence[StructureMarket]:
        """Every tracked structure market (Catalog.set_structures)."""
        return await PgStructureMarkets(self._pool).markets()

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


async def keep_structures_fresh(
    catalog: Callable[[], Catalog | None], source: PgCatalogSource, every_s: float = STRUCTURES_RELOAD_S
) -> None:
    """Reload the tracked structure markets into the process's current catalog every `every_s` seconds, so that one
    added, removed or given a fee by another process (bot, web) is a location here too; runs until cancelled."""
    while True:
        await asyncio.sleep(every_s)
        current = catalog()
        if current is None:
            continue
        try:
            current.set_structures(await source.structure_markets())
        except Exception as exc:  # a database blip: keep the last list, try again next time
            log.warning("structure markets not reloaded", extra={"error": type(exc).__name__})
