"""EVE SSO's signing keys: the JWKS, cached, refetched when an unknown kid shows up (at most every few seconds)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWKError

from core.accounts.sso import InvalidToken

logger = logging.getLogger(__name__)

ACCEPTED_ALGORITHMS = frozenset({"RS256", "ES256"})
_KEY_TYPES = {"RS256": ("RSA", None), "ES256": ("EC", "P-256")}

KeyMap = dict[tuple[str, str], PyJWK]
# CCP rotates its signing key without notice: a token with a kid we have not seen refetches the JWKS once this
# many seconds have passed since the last fetch or attempt, so a rotation locks nobody out for long and junk
# kids cannot make us hammer SSO.
REFETCH_MIN_S = 5.0


def parse_jwks(document: Any) -> KeyMap:
    """The usable keys of a JWKS by (kid, alg): only RS256 RSA keys and ES256 P-256 keys, others skipped."""
    keys: KeyMap = {}
    entries = document.get("keys") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        kid, alg = entry.get("kid"), entry.get("alg")
        if not isinstance(kid, str) or alg not in ACCEPTED_ALGORITHMS or entry.get("use", "sig") != "sig":
            continue
        kty, crv = _KEY_TYPES[alg]
        if entry.get("kty") != kty or (crv is not None and entry.get("crv") != crv):
            continue
        try:
            keys[(kid, alg)] = PyJWK(entry, algorithm=alg)
        except PyJWKError:
            logger.warning("EVE SSO JWKS key %r (%s) could not be loaded; skipped", kid, alg)
    return keys


class JwksCache:
    """Holds the JWKS for `ttl_s`; an unknown kid triggers one refetch, attempted at most every `refetch_min_s`."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[Any]],
        *,
        ttl_s: float = 3600.0,
        refetch_min_s: float = REFETCH_MIN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self.ttl_s = ttl_s
        self.refetch_min_s = refetch_min_s
        self._clock = clock
        self._keys: KeyMap = {}
        self._fetched_at: float | None = None
        self._forced_at: float | None = None  # last refetch attempt for an unknown kid (failed ones count)
        self._lock = asyncio.Lock()
        self.fetches = 0

    @property
    def kids(self) -> frozenset[str]:
        """The key ids currently cached."""
        return frozenset(kid for kid, _ in self._keys)

    async def key(self, kid: str, alg: str) -> PyJWK:
        """The key matching both `kid` and `alg`; InvalidToken when there is none (after at most one refetch)."""
        if alg not in ACCEPTED_ALGORITHMS:
            raise InvalidToken("token algorithm is not accepted")
        keys = await self._current(force=False)
        found = keys.get((kid, alg))
        if found is None and kid not in self.kids:
            keys = await self._current(force=True)
            found = keys.get((kid, alg))
        if found is None:
            if kid in self.kids:
                raise InvalidToken("token algorithm does not match its signing key")
            raise InvalidToken("token is signed with an unknown key")
        return found

    async def _current(self, *, force: bool) -> KeyMap:
        async with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at >= self.ttl_s
            last = max(self._fetched_at or 0.0, self._forced_at or 0.0)
            if force and not stale and now - last >= self.refetch_min_s:
                self._forced_at = now
                stale = True
            if stale:
                self._keys = parse_jwks(await self._fetch())
                self._fetched_at = now
                self.fetches += 1
            return self._keys
