"""PackagedVolumeStore over sde_types: which market types lack a packaged volume, and filling it in."""

from __future__ import annotations

import asyncpg

from core.market.packaging import SHIP_CATEGORY

_PENDING = """
SELECT t.type_id
FROM sde_types t
JOIN sde_groups g ON g.group_id = t.group_id
WHERE g.category_id = $1 AND t.published AND t.market_group_id IS NOT NULL AND t.packaged_volume IS NULL
ORDER BY t.type_id
"""


class PgPackagedVolumeStore:
    """core.market.packaging.PackagedVolumeStore on asyncpg."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def pending(self, category_id: int = SHIP_CATEGORY) -> list[int]:
        """Published market types of the category that have no packaged volume yet."""
        return [r[0] for r in await self._pool.fetch(_PENDING, category_id)]

    async def save(self, type_id: int, packaged_volume: float) -> None:
        """Store one type's packaged volume (a no-op when the type is gone)."""
        await self._pool.execute(
            "UPDATE sde_types SET packaged_volume = $2 WHERE type_id = $1", type_id, packaged_volume
        )
