"""Account and settings use cases over real Postgres and Redis: link codes, characters, unlinking, settings."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import asyncpg
import pytest
import redis.asyncio as aioredis

from adapters.crypto import TokenCipher
from adapters.postgres.accounts import PgIdentityStore, PgPreferences
from adapters.postgres.characters import PgCharacterStore
from adapters.redis.keys import RedisKeys
from adapters.redis.link_codes import RedisLinkCodes
from core.accounts.linking import LinkRequest
from core.accounts.preferences import GuildSettings
from core.accounts.sso import SCOPE_ASSETS, SCOPE_WALLET, TRADING_SCOPES, CharacterToken
from core.catalog import Location
from core.chat.model import Caller
from core.market.hubs import find_hub
from core.usecases.accounts import (
    AccountServices,
    NoCharacterLinked,
    NotYourCharacter,
    enable_trading,
    list_characters,
    start_link,
    unlink_own_character,
)
from core.usecases.settings import (
    PersonalSettings,
    SettingsRefused,
    set_ai_analysis,
    set_alert_channel,
    set_default_hub,
    show_settings,
)
from tests.core.commands.test_accounts import Revoker

EXPIRES = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TRADER = CharacterToken(90000001, "Trader One", "owner-a", (SCOPE_WALLET, SCOPE_ASSETS), EXPIRES, "x")
HAULER = CharacterToken(90000002, "Hauler Two", "owner-b", (), EXPIRES, "x")
AMARR = Location("hub", "Amarr", 10000043, hub=find_hub("amarr"))
DOMAIN = Location("region", "Domain", 10000043)


@pytest.fixture
def store(pg_pool: asyncpg.Pool) -> PgCharacterStore:
    return PgCharacterStore(pg_pool, TokenCipher.from_setting(TokenCipher.new_key_entry("k1")))


async def _account(pg_pool: asyncpg.Pool, caller: Caller) -> int:
    return await PgIdentityStore(pg_pool).account_for(caller)


async def test_a_link_code_is_redeemable_by_its_panel_page_and_never_shown_in_repr(
    pg_pool: asyncpg.Pool, store: PgCharacterStore, redis_client: aioredis.Redis, redis_prefix: str
):
    codes = RedisLinkCodes(redis_client, RedisKeys(redis_prefix))
    account = await _account(pg_pool, Caller("discord", "1001", "Alice"))
    services = AccountServices(codes, store, "https://panel.example/")
    request = LinkRequest("discord", "1001", account, "Alice")
    started = await start_link(services, request)
    prefix = "https://panel.example/link/"
    assert started.url.startswith(prefix) and started.expires_in_s == 600
    code = started.url.removeprefix(prefix)
    assert code not in repr(started) and await codes.peek(code) == request
    assert started.as_data() == {"url": started.url, "expires_in_s": 600}


async def test_enable_trading_needs_a_character_then_lists_every_trading_scope(
    pg_pool: asyncpg.Pool, store: PgCharacterStore, redis_client: aioredis.Redis, redis_prefix: str
):
    services = AccountServices(RedisLinkCodes(redis_client, RedisKeys(redis_prefix)), store, "https://p/")
    account = await _account(pg_pool, Caller("discord", "1001", "Alice"))
    with pytest.raises(NoCharacterLinked, match="link an EVE character first"):
        await enable_trading(services, account)
    await store.link(TRADER, "r1", browser_account=account)
    sign_in = await enable_trading(services, account)
    assert sign_in.url == "https://p/auth/login?scopes=trading"
    assert [scope for scope, _ in sign_in.scopes] == list(TRADING_SCOPES)
    assert sign_in.as_data()["scopes"] == list(TRADING_SCOPES)


async def test_characters_carry_token_health_and_which_trading_scopes_they_granted(
    pg_pool: asyncpg.Pool, store: PgCharacterStore
):
    account = (await store.link(TRADER, "r1")).account_id
    await store.link(HAULER, "r2", browser_account=account)
    await store.mark_invalid(HAULER.character_id)
    linked = await list_characters(store, account)
    hauler, trader = linked.characters  # by name
    assert (trader.health, trader.needs_sign_in) == ("ok", False)
    assert (hauler.health, hauler.needs_sign_in) == ("sign in again", True)
    granted = {scope for scope, _, yes in trader.trading_scopes if yes}
    assert granted == {SCOPE_WALLET, SCOPE_ASSETS} and trader.trading_incomplete
    assert linked.as_data() == {
        "characters": [
            {"id": 90000002, "name": "Hauler Two", "token": "invalid"},
            {"id": 90000001, "name": "Trader One", "token": "ok"},
        ]
    }
    assert (await list_characters(store, account + 1)).characters == ()


async def test_unlink_matches_name_or_id_revokes_and_never_touches_another_accounts_character(
    pg_pool: asyncpg.Pool, store: PgCharacterStore
):
    mine = (await store.link(TRADER, "refresh-trader")).account_id
    theirs = (await store.link(HAULER, "refresh-hauler")).account_id
    revoker = Revoker()
    with pytest.raises(NotYourCharacter, match=r"not one of your characters \(yours: Trader One\)"):
        await unlink_own_character(store, revoker, mine, "Hauler Two")
    with pytest.raises(NotYourCharacter):
        await unlink_own_character(store, revoker, mine, HAULER.character_id)
    assert [c.name for c in await store.characters(theirs)] == ["Hauler Two"] and revoker.revoked == []
    done = await unlink_own_character(store, revoker, mine, "  trader   ONE ")
    assert (done.character_id, done.name) == (TRADER.character_id, "Trader One")
    assert revoker.revoked == ["refresh-trader"] and await store.characters(mine) == []
    down = await unlink_own_character(store, Revoker(down=True), theirs, HAULER.character_id)
    assert down.name == "Hauler Two" and await store.characters(theirs) == []  # unlinked even with SSO down


async def test_settings_managers_change_their_server_and_anyone_their_own_hub(pg_pool: asyncpg.Pool):
    prefs = PgPreferences(pg_pool)
    member = Caller("discord", "5", "Member", guild_id="g1", chat_id="c9")
    member = dataclasses.replace(member, account_id=await _account(pg_pool, member))
    manager = dataclasses.replace(member, user_id="6", roles=frozenset({"manage_guild"}))
    manager = dataclasses.replace(manager, account_id=await _account(pg_pool, manager))
    private = Caller("telegram", "5", "Member", chat_id="5", is_dm=True, account_id=member.account_id)

    with pytest.raises(SettingsRefused, match="only members who can manage"):
        await set_default_hub(prefs, member, AMARR)
    with pytest.raises(SettingsRefused, match="server or group setting"):
        await set_ai_analysis(prefs, private, False)
    with pytest.raises(ValueError, match="not a trade hub"):
        await set_default_hub(prefs, manager, DOMAIN)
    assert await show_settings(prefs, member) == GuildSettings("discord", "g1")  # nothing changed

    assert await set_default_hub(prefs, manager, AMARR) == GuildSettings("discord", "g1", "Amarr")
    await set_ai_analysis(prefs, manager, False)
    assert await set_alert_channel(prefs, manager, True) == GuildSettings("discord", "g1", "Amarr", False, "c9")
    assert (await set_alert_channel(prefs, manager, False)).alert_channel_id is None
    assert (await show_settings(prefs, member)).default_hub == "Amarr"  # anyone may look

    assert await show_settings(prefs, private) == PersonalSettings(None)
    assert await set_default_hub(prefs, private, AMARR) == PersonalSettings("Amarr")
    shown = await show_settings(prefs, private)
    assert isinstance(shown, PersonalSettings) and shown.as_data() == {"default_hub": "Amarr"}
    with pytest.raises(SettingsRefused, match="account is not available"):
        await set_default_hub(prefs, dataclasses.replace(private, account_id=None), AMARR)
