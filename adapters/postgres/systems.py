"""Solar systems' names and security status from the imported SDE (sde_systems)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from core.market.routes import SolarSystem


class PgSystems:
    """Reads sde_systems: the systems the static data holds (every system after a full `sde import`)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def systems(self, system_ids: Sequence[int]) -> dict[int, SolarSystem]:
        """The imported systems among `system_ids`, by id."""
        records = await self._pool.fetch(
            "SELECT system_id, name, security FROM sde_systems WHERE system_id = ANY($1::int[])",
            list(system_ids),
        )
        return {r["system_id"]: SolarSystem(r["system_id"], r["name"], float(r["security"])) for r in records}
