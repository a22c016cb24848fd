"""Accounts in Postgres: one account per chat identity, even under concurrent first use; guild settings."""

from __future__ import annotations

import asyncio

import asyncpg

from adapters.postgres.accounts import PgIdentityStore, PgPreferences
from core.accounts.preferences import GuildSettings
from core.chat import Caller


async def test_first_use_creates_one_account_and_later_calls_find_it(pg_pool: asyncpg.Pool):
    store = PgIdentityStore(pg_pool)
    alice = Caller("discord", "1001", "Alice")
    first = await asyncio.gather(*(store.account_for(alice) for _ in range(8)))
    assert len(set(first)) == 1
    assert await store.account_for(Caller("discord", "1001", "Alice Renamed")) == first[0]
    other = await store.account_for(Caller("telegram", "1001", "Alice on Telegram"))
    assert other != first[0]  # the same number on another platform is another person until linked
    rows = await pg_pool.fetch("SELECT * FROM account_identities ORDER BY platform")
    assert [(r["platform"], r["display_name"]) for r in rows] == [
        ("discord", "Alice Renamed"),
        ("telegram", "Alice on Telegram"),
    ]
    assert await pg_pool.fetchval("SELECT count(*) FROM accounts") == 2


async def test_last_seen_is_written_once_per_five_minutes_or_on_a_new_name(pg_pool: asyncpg.Pool):
    store = PgIdentityStore(pg_pool)
    alice = Caller("discord", "1001", "Alice")
    await store.account_for(alice)
    seen = "SELECT last_seen_at, xmin::text::bigint AS version FROM account_identities"
    first = await pg_pool.fetchrow(seen)
    await store.account_for(alice)
    assert await pg_pool.fetchrow(seen) == first  # same row version: no write at all
    await pg_pool.execute("UPDATE account_identities SET last_seen_at = now() - interval '6 minutes'")
    await store.account_for(alice)
    assert (await pg_pool.fetchrow(seen))["last_seen_at"] > first["last_seen_at"]
    await store.account_for(Caller("discord", "1001", "Alice Renamed"))
    assert await pg_pool.fetchval("SELECT display_name FROM account_identities") == "Alice Renamed"


async def test_guild_settings_and_personal_hub(pg_pool: asyncpg.Pool):
    prefs, identities = PgPreferences(pg_pool), PgIdentityStore(pg_pool)
    account = await identities.account_for(Caller("discord", "7", "Mod"))
    assert await prefs.guild("discord", "g1") == GuildSettings("discord", "g1")
    changed = await prefs.update_guild("discord", "g1", account, default_hub="Amarr")
    assert changed.default_hub == "Amarr" and changed.ai_enabled
    changed = await prefs.update_guild("discord", "g1", account, ai_enabled=False)
    assert changed == GuildSettings("discord", "g1", "Amarr", False, None)
    await prefs.set_account_hub(account, "Dodixie")
    assert await prefs.account_hub(account) == "Dodixie"
    assert (await prefs.guild("discord", "g2")).default_hub is None
