"""Panel sign-in sessions: roles, refresh-token rotation with reuse detection, CSRF tokens, and the store port."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)
# A used refresh token presented again this soon is a second tab racing the first, not a thief: it gets a
# successor in the same family. Later reuse revokes the family.
REFRESH_REUSE_GRACE = timedelta(seconds=10)
ROLE_USER = "user"
ROLE_ADMIN = "admin"
ROLES: tuple[str, ...] = (ROLE_USER, ROLE_ADMIN)


class RotationOutcome(enum.Enum):
    """What presenting a refresh token did."""

    ROTATED = "rotated"  # valid and unused (or used within the grace window): a successor was issued
    REUSED = "reused"  # used before the grace window: the family was revoked (a copy is in someone's hands)
    REJECTED = "rejected"  # unknown, expired, or its family was revoked earlier


@dataclass(frozen=True)
class RotationResult:
    """The outcome of one rotation; `account_id`/`family_id`/`role` are set when ROTATED or REUSED."""

    outcome: RotationOutcome
    account_id: int | None = None
    family_id: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class IssuedRefresh:
    """A refresh token to hand to the browser (the store keeps only its hash)."""

    token: str = field(repr=False)
    family_id: str
    account_id: int
    role: str
    expires_at: datetime


class SessionTokenStore(Protocol):
    """Refresh-token families kept hashed; `rotate` is atomic so one token can win exactly once."""

    async def start_family(self, account_id: int, token_hash: bytes, expires_at: datetime) -> tuple[str, str]:
        """Open a family for `account_id` with its first token; returns (family id, the account's role)."""
        ...

    async def rotate(self, old_hash: bytes, new_hash: bytes, expires_at: datetime) -> RotationResult:
        """Mark the old token used and store its successor; reuse after the grace window revokes the family."""
        ...

    async def revoke_family(self, family_id: str, reason: str) -> bool:
        """Revoke every token of a family; True when it was active."""
        ...

    async def family_active(self, family_id: str) -> bool:
        """True while the family has not been revoked."""
        ...


class AccountSessions(SessionTokenStore, Protocol):
    """The token families, plus signing an account out everywhere (the panel's session service)."""

    async def revoke_account(self, account_id: int, reason: str) -> list[str]:
        """Revoke every active family of the account; their ids."""
        ...


def new_refresh_token() -> str:
    """A fresh opaque refresh token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> bytes:
    """The SHA-256 digest stored in place of the token."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def check_role(role: str) -> str:
    """`role` when it is a known role, else ValueError naming the valid ones."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    return role


def derive_key(master: bytes, purpose: str) -> bytes:
    """An independent key for one purpose (JWT signing, CSRF) derived from the master signing key."""
    if len(master) < 32:
        raise ValueError("the session signing key must be at least 32 bytes")
    return hmac.new(master, b"evetrader-web\x00" + purpose.encode(), hashlib.sha256).digest()


def csrf_token(key: bytes, binding: str) -> str:
    """The CSRF token of a browser session (`binding` = session family id, or the anonymous browser id)."""
    if not binding:
        raise ValueError("a CSRF token needs a session to bind to")
    return hmac.new(key, b"csrf\x00" + binding.encode(), hashlib.sha256).hexdigest()


def csrf_valid(key: bytes, binding: str | None, presented: str | None) -> bool:
    """True when `presented` is the CSRF token of `binding` (constant-time)."""
    if not binding or not presented:
        return False
    return hmac.compare_digest(csrf_token(key, binding).encode(), presented.encode("ascii", errors="replace"))


class RefreshTokens:
    """Issues and rotates refresh tokens over a store, with the policy's lifetimes and clock."""

    def __init__(self, store: SessionTokenStore, *, ttl: timedelta = REFRESH_TTL) -> None:
        self._store = store
        self._ttl = ttl

    async def issue(self, account_id: int, now: datetime) -> IssuedRefresh:
        """Start a new family (a new sign-in) with its first token."""
        token = new_refresh_token()
        expires = now + self._ttl
        family_id, role = await self._store.start_family(account_id, hash_refresh_token(token), expires)
        return IssuedRefresh(token, family_id, account_id, role, expires)

    async def rotate(self, presented: str, now: datetime) -> tuple[RotationResult, IssuedRefresh | None]:
        """Trade a presented token for a successor; reuse revokes the family, anything invalid is REJECTED."""
        if not presented or len(presented) > 256:
            return RotationResult(RotationOutcome.REJECTED), None
        token = new_refresh_token()
        expires = now + self._ttl
        result = await self._store.rotate(hash_refresh_token(presented), hash_refresh_token(token), expires)
        if result.outcome is not RotationOutcome.ROTATED:
            return result, None
        assert result.account_id is not None and result.family_id is not None and result.role is not None
        return result, IssuedRefresh(token, result.family_id, result.account_id, result.role, expires)

    async def revoke(self, family_id: str, reason: str) -> bool:
        """Revoke a family (logout, reuse, admin action)."""
        return await self._store.revoke_family(family_id, reason)
