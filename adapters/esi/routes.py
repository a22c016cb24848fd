"""EsiRoutePlanner: routes and jump counts from ESI's POST /route/{origin}/{destination}, kept in Postgres or Redis."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from adapters.esi.client import EsiClient
from adapters.esi.errors import EsiError, EsiNotFound
from adapters.redis.keys import RedisKeys
from core.market.routes import SHORTER, RouteUnavailable, jumps_of, route_preference

logger = logging.getLogger(__name__)

NO_ROUTE_TTL_S = 3600
_NO_ROUTE = b"none"


def route_systems(payload: Any) -> list[int] | None:
    """The systems of a route answer: a bare JSON list (legacy) or {"route": [...]} (2026); None if neither."""
    if isinstance(payload, dict):
        payload = payload.get("route")
    if not isinstance(payload, list):
        return None
    if not all(isinstance(system, int) and not isinstance(system, bool) for system in payload):
        return None
    return payload


class RouteStore(Protocol):
    """Where routes are kept for good (adapters.postgres.routes.PgRouteStore)."""

    async def get(self, origin: int, destination: int, preference: str) -> tuple[bool, list[int] | None]:
        """(found, systems); systems None: a remembered "no route"."""
        ...

    async def put(self, origin: int, destination: int, preference: str, systems: list[int] | None) -> None:
        """Remember ESI's answer."""
        ...


class EsiRoutePlanner:
    """RoutePlanner over ESI: one POST per (origin, destination, preference), kept for good in `store` (Postgres).

    Without a store, jump counts are kept a day in Redis (the older cache, still used by tests and tools).
    """

    def __init__(
        self,
        client: EsiClient,
        redis: aioredis.Redis,
        keys: RedisKeys,
        ttl_s: int = 86400,
        store: RouteStore | None = None,
    ) -> None:
        self._client = client
        self._store = store
        self._redis = redis
        self._keys = keys
        self._ttl_s = ttl_s
        self._no_route_ttl_s = min(NO_ROUTE_TTL_S, ttl_s)

    async def jumps(self, origin_system: int, destination_system: int, preference: str = SHORTER) -> int | None:
        """Jumps from origin to destination (0 for the same system), None when ESI knows no route (404)."""
        preference = route_preference(preference)
        if origin_system == destination_system:
            return 0
        if self._store is not None:
            systems = await self.route(origin_system, destination_system, preference)
            return None if systems is None else jumps_of(systems)
        key = self._keys.route(origin_system, destination_system, preference)
        cached = await self._read(key)
        if cached is not None:
            return None if cached == _NO_ROUTE else int(cached)
        systems = await self._ask(origin_system, destination_system, preference)
        if systems is None:
            await self._write(key, _NO_ROUTE, self._no_route_ttl_s)
            return None
        jumps = jumps_of(systems)
        await self._write(key, str(jumps).encode(), self._ttl_s)
        return jumps

    async def route(self, origin_system: int, destination_system: int, preference: str = SHORTER) -> list[int] | None:
        """The systems from origin to destination (both included), None when ESI knows no route; kept in the store."""
        preference = route_preference(preference)
        if origin_system == destination_system:
            return [origin_system]
        if self._store is not None:
            found, systems = await self._store.get(origin_system, destination_system, preference)
            if found:
                return systems
        systems = await self._ask(origin_system, destination_system, preference)
        if self._store is not None:
            await self._store.put(origin_system, destination_system, preference, systems)
        return systems

    async def _ask(self, origin_system: int, destination_system: int, preference: str) -> list[int] | None:
        """ESI's route (None on 404); RouteUnavailable when ESI fails or answers nonsense."""
        path = f"/route/{int(origin_system)}/{int(destination_system)}"
        try:
            response = await self._client.post(path, {"preference": preference})
            systems = route_systems(response.json())
        except EsiNotFound:
            return None
        except EsiError as exc:
            raise RouteUnavailable(origin_system, destination_system, str(exc)) from exc
        if systems is None:
            raise RouteUnavailable(origin_system, destination_system, "ESI answered without a list of systems")
        return systems

    async def _read(self, key: str) -> bytes | None:
        """The cached value (bytes), or None on a miss or when Redis fails (then ESI is asked)."""
        try:
            value = await self._redis.get(key)
        except RedisError as exc:
            logger.warning("route cache read %s failed: %s", key, exc)
            return None
        if value is None:
            return None
        raw = value.encode() if isinstance(value, str) else bytes(value)
        if raw != _NO_ROUTE and not raw.isdigit():
            logger.warning("route cache %s holds %r; ignoring it", key, raw[:40])
            return None
        return raw

    async def _write(self, key: str, value: bytes, ttl_s: int) -> None:
        """Cache `value` for `ttl_s` seconds; a Redis failure only costs a repeated request later."""
        try:
            await self._redis.set(key, value, ex=max(1, ttl_s))
        except RedisError as exc:
            logger.warning("route cache write %s failed: %s", key, exc)
