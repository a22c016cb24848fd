"""Every Redis key evetrader uses, built from one configurable prefix (the only place keys are named)."""

from __future__ import annotations


class RedisKeys:
    """Builds namespaced Redis keys; `prefix` comes from settings (e.g. "evt:")."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def quotes(self, location_id: int) -> str:
        """Hash of a location's cached quotes: field = type_id, value = orjson quote."""
        return f"{self.prefix}quotes:{int(location_id)}"

    def quotes_staging(self, location_id: int, token: str) -> str:
        """Temporary hash a replacement of quotes(location_id) is written to before the RENAME."""
        return f"{self.prefix}quotes-tmp:{int(location_id)}:{token}"

    def leader_lock(self, role: str = "scheduler") -> str:
        """The lock one leader of `role` holds."""
        return f"{self.prefix}lock:leader:{role}"

    def scheduler_leader(self) -> str:
        """The scheduler's leader lock (one scheduler leader at a time)."""
        return self.leader_lock("scheduler")

    def region_lock(self, region_id: int) -> str:
        """Lock held while one region is being ingested."""
        return self.lock(f"region:{int(region_id)}")

    def ingest_claim(self, region_id: int) -> str:
        """Marker that a region's next ingest is claimed (or backing off)."""
        return f"{self.prefix}ingest:claim:{int(region_id)}"

    def ingest_failures(self, region_id: int) -> str:
        """Count of a region's consecutive ingest failures."""
        return f"{self.prefix}ingest:failures:{int(region_id)}"

    def ingest_stream(self) -> str:
        """The Redis Stream of ingest jobs consumed by workers."""
        return self.stream("ingest")

    def lock(self, name: str) -> str:
        """A named mutual-exclusion lock (e.g. one region's ingest)."""
        return f"{self.prefix}lock:{name}"

    def rate_limit(self, bucket: str) -> str:
        """State of one rate-limit bucket (e.g. an ESI group or a chat user)."""
        return f"{self.prefix}ratelimit:{bucket}"

    def stream(self, name: str) -> str:
        """A Redis Stream (e.g. outbound deliveries per platform, ingest jobs)."""
        return f"{self.prefix}stream:{name}"

    def sso_state(self, nonce: str) -> str:
        """Marks an EVE SSO login state as used (single use), until it would have expired anyway."""
        return f"{self.prefix}sso-state:{nonce}"

    def cache(self, namespace: str, key: str) -> str:
        """A generic cache entry (e.g. an AI answer) under `namespace`."""
        return f"{self.prefix}cache:{namespace}:{key}"

    def route(self, origin: int, destination: int, preference: str) -> str:
        """Cached jump count of the route origin -> destination under one preference."""
        return f"{self.prefix}route:{int(origin)}:{int(destination)}:{preference}"
