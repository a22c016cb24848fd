"""Stored EVE tokens that cannot be decrypted (unknown key id, tampering) are isolated to their character."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import redis.asyncio as aioredis

from adapters.crypto import TokenCipher
from adapters.postgres.characters import PgCharacterStore
from adapters.redis.keys import RedisKeys
from adapters.redis.link_codes import RedisLinkCodes
from adapters.sso.client import SsoClient
from core.accounts.tokens import CharacterTokens, check_tokens
from core.chat import Caller, CommandContext, Invocation, dispatch
from core.commands.default import build_registry
from core.usecases.accounts import AccountServices
from fakes.sso import FakeCharacter, SsoFake
from fakes.sso.state import IssuedRefresh

KEYS = TokenCipher.new_key_entry("k1")
FORGOTTEN = TokenCipher.from_setting(TokenCipher.new_key_entry("k0"))  # a key no longer configured
JOE, ALT, THIRD = 90000001, 90000002, 90000003
CHARACTERS = (
    FakeCharacter(JOE, "Trader Joe", "owner-joe"),
    FakeCharacter(ALT, "Alt Trader", "owner-alt"),
    FakeCharacter(THIRD, "Third Trader", "owner-third"),
)


async def _linked_account(pool: asyncpg.Pool, store: PgCharacterStore, sso: SsoFake, client: SsoClient) -> int:
    """Link the three characters to one account; spoil Joe's token (copied from Alt) and Third's (unknown key)."""
    account: int | None = None
    for character in CHARACTERS:
        grant = await client.refresh(sso.ledger.new_refresh_token(IssuedRefresh(character.character_id, [])))
        account = (await store.link(grant.character, grant.refresh_token, browser_account=account)).account_id
    assert account is not None
    await pool.execute(
        "UPDATE characters SET refresh_token_enc = (SELECT refresh_token_enc FROM characters WHERE character_id = $2)"
        " WHERE character_id = $1",
        JOE,
        ALT,
    )
    spoiled = FORGOTTEN.encrypt("whatever", aad=f"character:{THIRD}".encode())
    await pool.execute("UPDATE characters SET refresh_token_enc = $2 WHERE character_id = $1", THIRD, spoiled)
    await pool.execute("UPDATE characters SET token_checked_at = now() - interval '13 hours'")
    return account


async def test_an_unreadable_token_makes_only_its_character_sign_in_again(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
):
    store = PgCharacterStore(pg_pool, TokenCipher.from_setting(KEYS))
    async with SsoFake(characters=CHARACTERS) as sso:
        client = SsoClient(sso.base_url, sso.client_id, sso.client_secret, sso.redirect_uri, timeout_s=2.0)
        await client.start()
        try:
            account = await _linked_account(pg_pool, store, sso, client)
            result = await check_tokens(CharacterTokens(store, client), await store.stale_tokens(timedelta(hours=12)))
        finally:
            await client.close()
    assert (result.checked, result.invalid, result.sso_down) == (3, 2, False)
    health = {c.character_id: c.token_status for c in await store.characters(account)}
    assert health == {JOE: "invalid", ALT: "ok", THIRD: "invalid"}
    assert await store.refresh_token(ALT) is not None  # the healthy character keeps working
    services = AccountServices(RedisLinkCodes(redis_client, RedisKeys(redis_prefix)), store, "http://panel")
    caller = Caller("discord", "1", "Joe", account_id=account)
    reply = await dispatch(
        build_registry(), Invocation.from_text("/characters", caller), CommandContext(accounts=services)
    )
    assert sorted(row[-1] for row in reply.tables[0].rows) == ["ok", "sign in again", "sign in again"]


async def test_key_rotation_skips_and_names_unreadable_rows_and_rotates_the_rest(pg_pool: asyncpg.Pool):
    store = PgCharacterStore(pg_pool, TokenCipher.from_setting(KEYS))
    async with SsoFake(characters=CHARACTERS) as sso:
        client = SsoClient(sso.base_url, sso.client_id, sso.client_secret, sso.redirect_uri, timeout_s=2.0)
        await client.start()
        try:
            await _linked_account(pg_pool, store, sso, client)
        finally:
            await client.close()
    alt_token = await store.refresh_token(ALT)
    newest = TokenCipher.new_key_entry("k2")
    result = await PgCharacterStore(pg_pool, TokenCipher.from_setting(f"{newest},{KEYS}")).rotate_keys()
    assert result.rotated == 1
    [(joe, joe_reason), (third, third_reason)] = result.skipped
    assert (joe, third) == (JOE, THIRD)
    assert "another row" in joe_reason and "'k0'" in third_reason and "whatever" not in third_reason
    assert await PgCharacterStore(pg_pool, TokenCipher.from_setting(newest)).refresh_token(ALT) == alt_token
