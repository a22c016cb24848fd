"""In-memory per-URL Expires guard: never re-request a URL before ESI says its answer changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import urlencode

from adapters.esi.errors import NotExpired

Params = Mapping[str, str | int]


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def canonical_query(params: Params | None) -> list[tuple[str, str]]:
    """Query parameters in a deterministic order (sorted by name), values as strings."""
    return sorted((name, str(value)) for name, value in (params or {}).items())


def url_key(path: str, params: Params | None) -> str:
    """Path plus canonical query: the identity of a cached ESI answer."""
    query = canonical_query(params)
    return f"{path}?{urlencode(query)}" if query else path


class ExpiryGuard:
    """Remembers, per URL, until when (by our clock) the last answer is valid; refuses early requests."""

    def __init__(self, *, clock: Callable[[], datetime] = utc_now, prune_every: int = 1000) -> None:
        self._clock = clock
        self._prune_every = prune_every
        self._expires: dict[str, datetime] = {}
        self._records_since_prune = 0

    def check(self, key: str) -> None:
        """Raise NotExpired when `key` was answered and its Expires has not passed yet."""
        expires = self._expires.get(key)
        if expires is not None and self._clock() < expires:
            raise NotExpired(key, expires)

    def record(self, key: str, expires: datetime) -> None:
        """Remember that `key` must not be requested again before `expires`."""
        self._expires[key] = expires
        self._records_since_prune += 1
        if self._records_since_prune >= self._prune_every:
            self._prune()

    def forget(self, key: str) -> None:
        """Drop what we know of `key` (a newer generation was seen, so its cached answer is stale)."""
        self._expires.pop(key, None)

    def expires_at(self, key: str) -> datetime | None:
        """When `key` may be requested again, or None if unknown (never answered or long expired)."""
        return self._expires.get(key)

    def seconds_left(self, key: str) -> float | None:
        """Seconds until `key` expires (negative when past), or None if unknown."""
        expires = self._expires.get(key)
        return None if expires is None else (expires - self._clock()).total_seconds()

    def _prune(self) -> None:
        now = self._clock()
        self._expires = {key: when for key, when in self._expires.items() if when > now}
        self._records_since_prune = 0
