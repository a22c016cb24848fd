"""Solar systems the SDE lacks, from ESI's GET /universe/systems/{system_id} (kept in memory: they never change)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from adapters.esi.client import EsiClient
from adapters.esi.errors import EsiError, EsiNotFound
from core.market.routes import RouteUnavailable, SolarSystem, SystemDirectory


def solar_system(payload: Any) -> SolarSystem | None:
    """ESI's system answer as a SolarSystem (None when it lacks system_id, name or security_status)."""
    if not isinstance(payload, dict):
        return None
    system_id, name, security = payload.get("system_id"), payload.get("name"), payload.get("security_status")
    if not isinstance(system_id, int) or not isinstance(name, str) or not isinstance(security, int | float):
        return None
    return SolarSystem(system_id, name, float(security))


class EsiSystems:
    """SystemDirectory: the static data's systems (`local`), and any other asked of ESI once per process."""

    def __init__(self, client: EsiClient, local: SystemDirectory) -> None:
        self._client = client
        self._local = local
        self._known: dict[int, SolarSystem] = {}

    async def systems(self, system_ids: Sequence[int]) -> dict[int, SolarSystem]:
        """Every system ESI knows among `system_ids`; RouteUnavailable when ESI fails."""
        found = await self._local.systems(system_ids)
        missing = [s for s in dict.fromkeys(system_ids) if s not in found and s not in self._known]
        asked = await asyncio.gather(*(self._ask(system_id) for system_id in missing))
        self._known.update({system.system_id: system for system in asked if system is not None})
        return found | {s: self._known[s] for s in system_ids if s not in found and s in self._known}

    async def _ask(self, system_id: int) -> SolarSystem | None:
        """One system from ESI (None on 404)."""
        try:
            response = await self._client.get(f"/universe/systems/{int(system_id)}")
            system = solar_system(response.json())
        except EsiNotFound:
            return None
        except EsiError as exc:
            raise RouteUnavailable(system_id, system_id, str(exc)) from exc
        if system is None or system.system_id != system_id:
            raise RouteUnavailable(system_id, system_id, "ESI answered without the system's name and security")
        return system
