"""Session policy without infrastructure: rotation and reuse over an in-memory store, CSRF tokens, keys, roles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from core.accounts.sessions import (
    REFRESH_TTL,
    RefreshTokens,
    RotationOutcome,
    RotationResult,
    check_role,
    csrf_token,
    csrf_valid,
    derive_key,
    hash_refresh_token,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class _Token:
    family_id: str
    expires_at: datetime
    used: bool = False


class MemoryStore:
    """SessionTokenStore in memory, with the same semantics as the Postgres one (clock = NOW)."""

    def __init__(self) -> None:
        self.tokens: dict[bytes, _Token] = {}
        self.families: dict[str, tuple[int, bool]] = {}

    async def start_family(self, account_id: int, token_hash: bytes, expires_at: datetime) -> tuple[str, str]:
        family_id = str(uuid.uuid4())
        self.families[family_id] = (account_id, True)
        self.tokens[token_hash] = _Token(family_id, expires_at)
        return family_id, "user"

    async def rotate(self, old_hash: bytes, new_hash: bytes, expires_at: datetime) -> RotationResult:
        token = self.tokens.get(old_hash)
        if token is None:
            return RotationResult(RotationOutcome.REJECTED)
        account_id, active = self.families[token.family_id]
        if token.used:
            self.families[token.family_id] = (account_id, False)
            return RotationResult(RotationOutcome.REUSED, account_id, token.family_id)
        if not active or token.expires_at <= NOW:
            return RotationResult(RotationOutcome.REJECTED)
        token.used = True
        self.tokens[new_hash] = _Token(token.family_id, expires_at)
        return RotationResult(RotationOutcome.ROTATED, account_id, token.family_id, "user")

    async def revoke_family(self, family_id: str, reason: str) -> bool:
        account_id, active = self.families[family_id]
        self.families[family_id] = (account_id, False)
        return active

    async def family_active(self, family_id: str) -> bool:
        return self.families[family_id][1]


async def test_rotation_issues_a_successor_and_stores_only_hashes():
    store = MemoryStore()
    tokens = RefreshTokens(store)
    first = await tokens.issue(7, NOW)
    assert first.expires_at == NOW + REFRESH_TTL and first.account_id == 7
    assert first.token not in repr(first)
    assert hash_refresh_token(first.token) in store.tokens and first.token.encode() not in store.tokens
    result, second = await tokens.rotate(first.token, NOW)
    assert result.outcome is RotationOutcome.ROTATED and second is not None
    assert second.family_id == first.family_id and second.token != first.token
    result, third = await tokens.rotate(second.token, NOW)
    assert result.outcome is RotationOutcome.ROTATED and third is not None


async def test_presenting_a_used_token_revokes_the_family_and_its_newest_token():
    store = MemoryStore()
    tokens = RefreshTokens(store)
    first = await tokens.issue(7, NOW)
    _, second = await tokens.rotate(first.token, NOW)
    assert second is not None
    result, issued = await tokens.rotate(first.token, NOW)  # the stolen copy comes back
    assert (result.outcome, result.family_id, issued) == (RotationOutcome.REUSED, first.family_id, None)
    result, issued = await tokens.rotate(second.token, NOW)  # so the legitimate holder is out too
    assert result.outcome is RotationOutcome.REJECTED and issued is None


async def test_unknown_empty_or_oversized_tokens_are_rejected():
    tokens = RefreshTokens(MemoryStore())
    for presented in ("", "x" * 300, "never-issued"):
        result, issued = await tokens.rotate(presented, NOW)
        assert result.outcome is RotationOutcome.REJECTED and issued is None


async def test_expired_token_is_rejected_without_revoking():
    store = MemoryStore()
    tokens = RefreshTokens(store, ttl=timedelta(seconds=-1))
    first = await tokens.issue(7, NOW)
    result, _ = await tokens.rotate(first.token, NOW)
    assert result.outcome is RotationOutcome.REJECTED
    assert await store.family_active(first.family_id)


def test_csrf_tokens_are_bound_to_the_session_and_key():
    key = derive_key(b"k" * 32, "csrf")
    token = csrf_token(key, "family-1")
    assert csrf_valid(key, "family-1", token)
    assert not csrf_valid(key, "family-2", token)
    assert not csrf_valid(derive_key(b"j" * 32, "csrf"), "family-1", token)
    assert not csrf_valid(key, "family-1", None) and not csrf_valid(key, None, token)
    assert not csrf_valid(key, "family-1", token[:-1] + "é")
    with pytest.raises(ValueError):
        csrf_token(key, "")


def test_derived_keys_differ_per_purpose_and_need_a_long_master():
    assert derive_key(b"k" * 32, "csrf") != derive_key(b"k" * 32, "jwt-access")
    with pytest.raises(ValueError, match="32 bytes"):
        derive_key(b"short", "csrf")


def test_roles():
    assert check_role("admin") == "admin"
    with pytest.raises(ValueError, match="valid roles: user, admin"):
        check_role("root")
