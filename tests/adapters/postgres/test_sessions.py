"""Refresh-token families in Postgres: hashed storage, atomic rotation under concurrency, the reuse grace window,
reuse, revoke, purge."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg

from adapters.postgres.sessions import PgSessionTokenStore
from core.accounts.sessions import RefreshTokens, RotationOutcome, hash_refresh_token


async def _account(pool: asyncpg.Pool, role: str = "user") -> int:
    return int(await pool.fetchval("INSERT INTO accounts (role) VALUES ($1) RETURNING id", role))


async def test_family_starts_with_a_hashed_token_and_rotates(pg_pool: asyncpg.Pool):
    account = await _account(pg_pool, "admin")
    tokens = RefreshTokens(PgSessionTokenStore(pg_pool))
    now = datetime.now(UTC)
    first = await tokens.issue(account, now)
    assert first.role == "admin"
    stored = await pg_pool.fetch("SELECT token_hash FROM web_refresh_tokens")
    assert [bytes(r["token_hash"]) for r in stored] == [hash_refresh_token(first.token)]
    result, second = await tokens.rotate(first.token, now)
    assert result.outcome is RotationOutcome.ROTATED and second is not None
    assert (result.account_id, result.family_id, result.role) == (account, first.family_id, "admin")
    rows = await pg_pool.fetch("SELECT token_hash, used_at FROM web_refresh_tokens ORDER BY issued_at, used_at")
    used = {bytes(r["token_hash"]): r["used_at"] is not None for r in rows}
    assert used == {hash_refresh_token(first.token): True, hash_refresh_token(second.token): False}


async def test_reuse_revokes_the_whole_family(pg_pool: asyncpg.Pool):
    account = await _account(pg_pool)
    store = PgSessionTokenStore(pg_pool, grace=timedelta(0))
    tokens = RefreshTokens(store)
    now = datetime.now(UTC)
    first = await tokens.issue(account, now)
    other = await tokens.issue(account, now)  # another device: a separate family, untouched
    _, second = await tokens.rotate(first.token, now)
    assert second is not None
    result, issued = await tokens.rotate(first.token, now)
    assert (result.outcome, result.family_id, result.account_id, issued) == (
        RotationOutcome.REUSED,
        first.family_id,
        account,
        None,
    )
    assert not await store.family_active(first.family_id)
    assert (await tokens.rotate(second.token, now))[0].outcome is RotationOutcome.REJECTED
    assert await store.family_active(other.family_id)
    reason = await pg_pool.fetchval(
        "SELECT revoked_reason FROM web_session_families WHERE id = $1::uuid", first.family_id
    )
    assert reason == "reuse"


async def test_concurrent_rotation_of_one_token_has_exactly_one_winner(pg_pool: asyncpg.Pool):
    account = await _account(pg_pool)
    tokens = RefreshTokens(PgSessionTokenStore(pg_pool, grace=timedelta(0)))
    now = datetime.now(UTC)
    first = await tokens.issue(account, now)
    results = await asyncio.gather(*(tokens.rotate(first.token, now) for _ in range(6)))
    outcomes = [result.outcome for result, _ in results]
    assert outcomes.count(RotationOutcome.ROTATED) == 1
    assert outcomes.count(RotationOutcome.REUSED) == 5
    assert await pg_pool.fetchval("SELECT count(*) FROM web_refresh_tokens") == 2  # the first and one successor


async def test_reuse_within_the_grace_window_gets_a_sibling_and_later_reuse_revokes(pg_pool: asyncpg.Pool):
    account = await _account(pg_pool)
    store = PgSessionTokenStore(pg_pool)  # the default window: seconds
    tokens = RefreshTokens(store)
    now = datetime.now(UTC)
    first = await tokens.issue(account, now)
    results = await asyncio.gather(*(tokens.rotate(first.token, now) for _ in range(3)))
    assert [result.outcome for result, _ in results] == [RotationOutcome.ROTATED] * 3
    siblings = [issued for _, issued in results if issued is not None]
    assert len({issued.token for issued in siblings}) == 3 and {i.family_id for i in siblings} == {first.family_id}
    await pg_pool.execute("UPDATE web_refresh_tokens SET used_at = used_at - interval '1 minute'")
    result, issued = await tokens.rotate(first.token, now)
    assert (result.outcome, issued) == (RotationOutcome.REUSED, None)
    assert not await store.family_active(first.family_id)
    assert (await tokens.rotate(siblings[0].token, now))[0].outcome is RotationOutcome.REJECTED


async def test_expired_token_is_rejected_and_purged(pg_pool: asyncpg.Pool):
    account = await _account(pg_pool)
    store = PgSessionTokenStore(pg_pool)
    past = datetime.now(UTC) - timedelta(days=40)
    expired = await RefreshTokens(store).issue(account, past)
    live = await RefreshTokens(store).issue(account, datetime.now(UTC))
    result, issued = await RefreshTokens(store).rotate(expired.token, datetime.now(UTC))
    assert result.outcome is RotationOutcome.REJECTED and issued is None
    assert await store.family_active(expired.family_id)  # expiry is not reuse: nothing revoked
    _, rotated = await RefreshTokens(store).rotate(live.token, datetime.now(UTC))
    assert rotated is not None
    await pg_pool.execute(  # the live family's used first token has expired since; its successor has not
        "UPDATE web_refresh_tokens SET expires_at = now() - interval '1 day' WHERE token_hash = $1",
        hash_refresh_token(live.token),
    )
    assert await store.purge_expired() == (2, 1)  # two expired tokens; the family left with none
    assert not await store.family_active(expired.family_id)
    assert await store.family_active(live.family_id)
    remaining = await pg_pool.fetch("SELECT token_hash FROM web_refresh_tokens")
    assert [bytes(r["token_hash"]) for r in remaining] == [hash_refresh_token(rotated.token)]
    assert await store.purge_expired() == (0, 0)


async def test_revoke_family_and_account(pg_pool: asyncpg.Pool):
    account = await _account(pg_pool)
    store = PgSessionTokenStore(pg_pool)
    tokens = RefreshTokens(store)
    now = datetime.now(UTC)
    first, second = await tokens.issue(account, now), await tokens.issue(account, now)
    assert await tokens.revoke(first.family_id, "logout")
    assert not await tokens.revoke(first.family_id, "logout")  # already revoked
    assert (await tokens.rotate(first.token, now))[0].outcome is RotationOutcome.REJECTED
    assert await store.revoke_account(account, "admin") == [second.family_id]
    assert not await store.family_active("not-a-uuid") and not await store.revoke_family("nope", "x")
