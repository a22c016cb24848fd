"""Linked characters: sign-ins bind and merge accounts, tokens exist only as ciphertext, keys rotate."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from adapters.crypto import TokenCipher
from adapters.postgres.accounts import PgIdentityStore, PgPreferences
from adapters.postgres.characters import KeyRotation, PgCharacterStore
from core.accounts.linking import LinkRequest
from core.accounts.sso import CharacterToken
from core.chat import Caller

EXPIRES = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TOKEN = CharacterToken(90000001, "Trader One", "owner-a", ("esi-markets.read_character_orders.v1",), EXPIRES, "x")
OLD_KEYS = TokenCipher.new_key_entry("k1")


@pytest.fixture
def store(pg_pool: asyncpg.Pool) -> PgCharacterStore:
    return PgCharacterStore(pg_pool, TokenCipher.from_setting(OLD_KEYS))


async def test_a_linked_identity_joins_the_account_and_its_own_account_is_merged(
    pg_pool: asyncpg.Pool, store: PgCharacterStore
):
    identities, prefs = PgIdentityStore(pg_pool), PgPreferences(pg_pool)
    discord = await identities.account_for(Caller("discord", "1001", "Alice"))
    telegram = await identities.account_for(Caller("telegram", "555", "Alice"))
    await prefs.update_guild("discord", "g1", telegram, default_hub="Amarr")  # a row referencing the merged account
    first = await store.link(TOKEN, "refresh-1", browser_account=discord)
    assert (first.account_id, first.merged) == (discord, ())
    await pg_pool.execute("UPDATE accounts SET role = 'admin' WHERE id = $1", telegram)
    await pg_pool.execute("INSERT INTO web_session_families (account_id) VALUES ($1)", telegram)
    joined = await store.join_identity(discord, LinkRequest("telegram", "555", telegram, "Alice"))
    assert (joined.account_id, joined.merged) == (discord, (telegram,))
    assert await identities.account_for(Caller("telegram", "555", "Alice")) == discord
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts") == 1
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", discord) == "user"  # never raised
    assert await pg_pool.fetchval("SELECT count(*) FROM web_session_families") == 0  # never moved
    assert await pg_pool.fetchval("SELECT updated_by FROM guild_settings") == discord
    assert [c.name for c in await store.characters(discord)] == ["Trader One"]
    again = await store.join_identity(discord, LinkRequest("telegram", "555", telegram, "Alice"))
    assert again.merged == ()


async def test_a_sold_character_moves_to_its_new_owner(pg_pool: asyncpg.Pool, store: PgCharacterStore):
    seller = await PgIdentityStore(pg_pool).account_for(Caller("discord", "1", "Seller"))
    await store.link(TOKEN, "r-seller", browser_account=seller)
    sold = dataclasses.replace(TOKEN, owner_hash="owner-b")
    result = await store.link(sold, "r-buyer")
    assert result.previous_owner_unlinked and result.account_id != seller
    assert await store.characters(seller) == []
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts") == 2  # the seller keeps their account


async def test_tokens_are_never_stored_in_plaintext_and_rotate_to_a_new_key(pg_pool: asyncpg.Pool):
    old = PgCharacterStore(pg_pool, TokenCipher.from_setting(OLD_KEYS))
    await old.link(TOKEN, "super-secret-refresh-token")
    dump = "\n".join(str(dict(row)) for row in await pg_pool.fetch("SELECT * FROM characters"))
    assert "super-secret-refresh-token" not in dump
    new_key = TokenCipher.new_key_entry("k2")
    rotated = PgCharacterStore(pg_pool, TokenCipher.from_setting(f"{new_key},{OLD_KEYS}"))
    assert await rotated.rotate_keys() == KeyRotation(1, ()) and await rotated.rotate_keys() == KeyRotation(0, ())
    newest_only = PgCharacterStore(pg_pool, TokenCipher.from_setting(new_key))  # the old key can now be retired
    assert await newest_only.refresh_token(TOKEN.character_id) == "super-secret-refresh-token"


async def test_refresh_is_compare_and_swap_and_unlink_returns_the_token(pg_pool: asyncpg.Pool, store: PgCharacterStore):
    account = (await store.link(TOKEN, "r1")).account_id
    later = EXPIRES + timedelta(minutes=20)
    assert await store.store_refresh(TOKEN.character_id, "r1", "r2", later)
    assert not await store.store_refresh(TOKEN.character_id, "r1", "r3", later)  # lost race: r2 stays
    assert await store.refresh_token(TOKEN.character_id) == "r2"
    assert await store.unlink(account + 1, TOKEN.character_id) is None  # not yours
    assert await store.unlink(account, TOKEN.character_id) == "r2"
    assert await store.characters(account) == []


async def test_stale_tokens_are_the_usable_ones_not_checked_lately(pg_pool: asyncpg.Pool, store: PgCharacterStore):
    await store.link(TOKEN, "r1")
    assert await store.stale_tokens(timedelta(hours=12)) == []  # just checked at link time
    await pg_pool.execute("UPDATE characters SET token_checked_at = now() - interval '13 hours'")
    [subject] = await store.stale_tokens(timedelta(hours=12))
    assert (subject.character_id, subject.owner_hash) == (TOKEN.character_id, "owner-a")
    await store.mark_invalid(TOKEN.character_id)
    assert await store.stale_tokens(timedelta(0)) == []  # refused tokens wait for a new sign-in, not a check
