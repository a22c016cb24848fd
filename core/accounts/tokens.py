"""CharacterTokens: a valid ESI access token for a linked character on demand (cached, refreshed, rotated safely)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from core.accounts.sso import InvalidGrant, SsoError, TokenGrant, owner_changed

logger = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(seconds=60)  # refresh this long before the access token expires
MAX_RACE_RETRIES = 3


class TokenUnavailable(SsoError):
    """No usable access token: the character needs a new sign-in (invalid grant, new owner, or no token stored)."""

    def __init__(self, character_id: int, reason: str) -> None:
        self.character_id = character_id
        self.reason = reason
        super().__init__(f"no access token for character {character_id}: {reason}")


@dataclass(frozen=True)
class TokenSubject:
    """The linked character a token is wanted for, as stored at link time."""

    character_id: int
    account_id: int
    owner_hash: str


@dataclass(frozen=True)
class AccessToken:
    """A usable access token (never in repr) and when it expires."""

    token: str = field(repr=False)
    expires_at: datetime
    scopes: tuple[str, ...] = ()


class SsoTokenStore(Protocol):
    """Where the encrypted refresh tokens live (adapters.postgres.characters.PgCharacterStore)."""

    async def refresh_token(self, character_id: int) -> str | None:
        """The character's current refresh token, None when none is usable."""
        ...

    async def store_refresh(self, character_id: int, previous: str, new: str, access_expires_at: datetime) -> bool:
        """Compare-and-swap the refresh token; False when it is no longer `previous`."""
        ...

    async def mark_invalid(self, character_id: int) -> None:
        """SSO refused the token: the character needs a new sign-in."""
        ...

    async def unlink(self, account_id: int, character_id: int) -> str | None:
        """Remove the character from the account."""
        ...


class TokenRefresher(Protocol):
    """The refresh half of core.accounts.sso.SsoGateway."""

    async def refresh(self, refresh_token: str) -> TokenGrant:
        """New tokens from a refresh token."""
        ...


class AccessTokenCache(Protocol):
    """Short-lived access tokens between uses, with a per-character refresh lock."""

    async def get(self, character_id: int) -> AccessToken | None:
        """The cached token, or None."""
        ...

    async def put(self, character_id: int, token: AccessToken) -> None:
        """Cache `token` until it expires."""
        ...

    async def drop(self, character_id: int) -> None:
        """Forget the character's token."""
        ...

    def lock(self, character_id: int) -> AbstractAsyncContextManager[None]:
        """Held while a character's token is refreshed (one refresh at a time)."""
        ...


class MemoryTokenCache:
    """AccessTokenCache in process memory (one process; the Redis cache shares tokens between processes)."""

    def __init__(self) -> None:
        self._tokens: dict[int, AccessToken] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def get(self, character_id: int) -> AccessToken | None:
        """The cached token, or None."""
        return self._tokens.get(character_id)

    async def put(self, character_id: int, token: AccessToken) -> None:
        """Cache `token`."""
        self._tokens[character_id] = token

    async def drop(self, character_id: int) -> None:
        """Forget the character's token."""
        self._tokens.pop(character_id, None)

    @asynccontextmanager
    async def lock(self, character_id: int) -> AsyncIterator[None]:
        """An asyncio lock per character."""
        async with self._locks.setdefault(character_id, asyncio.Lock()):
            yield


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CharacterTokens:
    """Hands out access tokens: cached until REFRESH_MARGIN before expiry, then refreshed through SSO.

    The newest refresh token is stored with a compare-and-swap. When another process refreshed first, its
    (winner's) refresh token stays stored: if SSO refused the token we read because it had already rotated, the
    winner's token is re-read and refreshed with; if only our CAS lost, our access token is used and the winner's
    refresh token kept. SSO refusing the current stored token marks the character invalid; a new owner unlinks it.
    """

    def __init__(
        self,
        store: SsoTokenStore,
        sso: TokenRefresher,
        cache: AccessTokenCache | None = None,
        *,
        clock: Callable[[], datetime] = _utc_now,
        margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self._store = store
        self._sso = sso
        self._cache = cache if cache is not None else MemoryTokenCache()
        self._clock = clock
        self._margin = margin

    async def access_token(self, subject: TokenSubject) -> AccessToken:
        """A token valid for at least the margin; TokenUnavailable when the character must sign in again."""
        cached = await self._fresh(subject.character_id)
        if cached is not None:
            return cached
        async with self._cache.lock(subject.character_id):
            cached = await self._fresh(subject.character_id)  # refreshed while we waited for the lock
            if cached is not None:
                return cached
            token = await self._refresh(subject)
            await self._cache.put(subject.character_id, token)
            return token

    async def forget(self, character_id: int) -> None:
        """Drop the cached token (ESI rejected it)."""
        await self._cache.drop(character_id)

    async def _fresh(self, character_id: int) -> AccessToken | None:
        token = await self._cache.get(character_id)
        if token is None or token.expires_at - self._margin <= self._clock():
            return None
        return token

    async def _refresh(self, subject: TokenSubject) -> AccessToken:
        character_id = subject.character_id
        for _ in range(MAX_RACE_RETRIES):
            current = await self._store.refresh_token(character_id)
            if current is None:
                raise TokenUnavailable(character_id, "no usable refresh token (sign in again)")
            try:
                grant = await self._sso.refresh(current)
            except InvalidGrant:
                if await self._store.refresh_token(character_id) not in (current, None):
                    continue  # another process rotated it first: use the winner's token
                await self._store.mark_invalid(character_id)
                raise TokenUnavailable(character_id, "EVE SSO refused the refresh token (sign in again)") from None
            if grant.character.character_id != character_id or owner_changed(subject.owner_hash, grant.character):
                await self._store.unlink(subject.account_id, character_id)
                logger.warning("character %s changed owner: unlinked", character_id)
                raise TokenUnavailable(character_id, "the character changed owner and was unlinked")
            if grant.refresh_token != current and not await self._store.store_refresh(
                character_id, current, grant.refresh_token, grant.expires_at
            ):
                # lost the race: the winner's refresh token stays stored (and is used from now on); the access
                # token we were given is valid all the same
                logger.info("character %s: a concurrent refresh stored its token first", character_id)
            return AccessToken(grant.access_token, grant.expires_at, grant.character.scopes)
        raise TokenUnavailable(character_id, "the refresh token kept changing under us; try again later")


@dataclass
class TokenCheck:
    """What a token health check found."""

    checked: int = 0
    invalid: int = 0  # the character must sign in again (refused, new owner, no token)
    sso_down: bool = False


async def check_tokens(tokens: CharacterTokens, subjects: Sequence[TokenSubject]) -> TokenCheck:
    """Refresh each character's token once so the panel's token health is current; stops early if SSO is down."""
    result = TokenCheck()
    for subject in subjects:
        result.checked += 1
        try:
            await tokens.access_token(subject)
        except TokenUnavailable:
            result.invalid += 1
        except SsoError:
            result.sso_down = True  # keep the tokens; try again next time
            break
    return result
