"""Every Redis key evetrader uses, built from one configurable prefix (the only place keys are named).

Each namespace is one named method; the key strings are what running deployments have stored, so they never
change. A Lease keeps its fencing counter next to its lock, at `<lock key>:epoch` (adapters/redis/locks.py).
"""

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
        return self._lock(f"leader:{role}")

    def scheduler_leader(self) -> str:
        """The scheduler's leader lock (one scheduler leader at a time)."""
        return self.leader_lock("scheduler")

    def region_lock(self, region_id: int) -> str:
        """Lock held while one region is being ingested."""
        return self._lock(f"region:{int(region_id)}")

    def ingest_claim(self, region_id: int) -> str:
        """Marker that a region's next ingest is claimed (or backing off)."""
        return f"{self.prefix}ingest:claim:{int(region_id)}"

    def ingest_failures(self, region_id: int) -> str:
        """Count of a region's consecutive ingest failures."""
        return f"{self.prefix}ingest:failures:{int(region_id)}"

    def ingest_stream(self) -> str:
        """The Redis Stream of ingest jobs consumed by workers."""
        return self._stream("ingest")

    def alert_stream(self, platform: str) -> str:
        """One chat platform's Redis Stream of alert deliveries."""
        return self._stream(f"alerts:{platform}")

    def alert_dispatched(self, platform: str, outbox_id: int, seq: int) -> str:
        """Marker that outbox message (outbox_id, seq) was added to the platform's alert stream (added once)."""
        return self._cache("alert-dispatched", f"{platform}:{int(outbox_id)}:{int(seq)}")

    def command_rates(self) -> str:
        """Prefix of the chat commands' rate-limit buckets (the limiter appends the caller)."""
        return self._rate_limit("commands:")

    def web_ip_rates(self) -> str:
        """Prefix of the web panel's per-address rate-limit buckets."""
        return self._rate_limit("web-ip:")

    def web_user_rates(self) -> str:
        """Prefix of the web panel's per-account rate-limit buckets."""
        return self._rate_limit("web-user:")

    def appraisal_rates(self) -> str:
        """Prefix of the public appraisal page's per-address rate-limit buckets."""
        return self._rate_limit("web-appraise:")

    def sso_state(self, nonce: str) -> str:
        """Marks an EVE SSO login state as used (single use), until it would have expired anyway."""
        return f"{self.prefix}sso-state:{nonce}"

    def link_code(self, digest: str) -> str:
        """A pending account link code, under the SHA-256 hex digest of the code (the code is never stored)."""
        return self._cache("link-code", digest)

    def revoked_session_family(self, family_id: str) -> str:
        """Marker that a web session family was revoked (its access tokens are refused until they expire)."""
        return self._cache("web-revoked-family", family_id)

    def bot_state(self, platform: str, kind: str, key: str) -> str:
        """What a chat platform's bot remembers between messages (an open question, a page) under a random key."""
        return self._cache(f"bot:{platform}:{kind}", key)

    def ai_answer(self, key: str) -> str:
        """One cached AI answer."""
        return self._cache("ai", key)

    def ai_flight(self, key: str) -> str:
        """The lock held by the one process computing an AI answer."""
        return self._lock(f"ai:{key}")

    def route(self, origin: int, destination: int, preference: str) -> str:
        """Cached jump count of the route origin -> destination under one preference."""
        return f"{self.prefix}route:{int(origin)}:{int(destination)}:{preference}"

    def _lock(self, name: str) -> str:
        return f"{self.prefix}lock:{name}"

    def _rate_limit(self, bucket: str) -> str:
        return f"{self.prefix}ratelimit:{bucket}"

    def _stream(self, name: str) -> str:
        return f"{self.prefix}stream:{name}"

    def _cache(self, namespace: str, key: str) -> str:
        return f"{self.prefix}cache:{namespace}:{key}"
