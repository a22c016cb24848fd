"""The skills/standings/assets job against the ESI and SSO fakes and real Postgres: only characters granted each
scope are asked, rows replace the stored ones, Expires is honoured, assets come from every page, and the stored
skills and standings become the character's own fees at a hub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest_asyncio

from adapters.esi.profile import EsiCharacterProfile
from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.profile import PgCharacterProfiles
from core.accounts.sso import SCOPE_ASSETS, SCOPE_SKILLS, SCOPE_STANDINGS, SCOPE_WALLET
from core.accounts.tokens import CharacterTokens
from core.market.fees import TradeSkills
from core.trading.profile import ACCOUNTING, ADVANCED_BROKER_RELATIONS, BROKER_RELATIONS
from fakes.esi import EsiFake
from fakes.esi.characters import trust_sso
from fakes.esi.profile import set_profile
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from scheduler.profile import ROUTES, refresh_profiles
from tests.adapters.character_clients import character_clients, character_store, link_character
from tests.scheduler.test_wallet import Clock

JOE, ANN = 90000011, 90000012  # Joe granted the trading scopes, Ann only the wallet
JITA, AMARR = 60003760, 60008494


def asset(item_id: int, type_id: int = 34, quantity: int = 100) -> dict[str, Any]:
    """An ESI asset row in Jita 4-4's hangar."""
    return {"item_id": item_id, "type_id": type_id, "quantity": quantity, "location_id": JITA,
            "location_type": "station", "location_flag": "Hangar", "is_singleton": False}  # fmt: skip


@pytest_asyncio.fixture(loop_scope="session")
async def world(pg_pool: asyncpg.Pool) -> AsyncIterator[Any]:
    clock = Clock()
    people = (FakeCharacter(JOE, "Joe Trader", "owner-joe"), FakeCharacter(ANN, "Ann Hauler", "owner-ann"))
    async with EsiFake(regions={10000002: 20}, clock=clock.epoch) as esi, SsoFake(characters=people) as sso:
        trust_sso(esi, sso)
        async with character_clients(esi, sso) as (sso_client, transport):
            characters = character_store(pg_pool)
            for character, scopes in ((JOE, [SCOPE_SKILLS, SCOPE_STANDINGS, SCOPE_ASSETS]), (ANN, [SCOPE_WALLET])):
                await link_character(characters, sso, sso_client, character, scopes)
            tokens = CharacterTokens(characters, sso_client, clock=clock)
            yield clock, esi, tokens, EsiCharacterProfile(transport), transport


async def test_profiles_are_fetched_for_granted_scopes_and_give_the_characters_fees(
    world: Any, pg_pool: asyncpg.Pool
) -> None:
    clock, esi, tokens, profile, transport = world
    set_profile(
        esi,
        JOE,
        skills={ACCOUNTING: 5, BROKER_RELATIONS: 3, ADVANCED_BROKER_RELATIONS: 2, 3300: 4},
        standings=[
            {"from_id": 500001, "from_type": "faction", "standing": 2.5},  # Caldari State
            {"from_id": 1000035, "from_type": "npc_corp", "standing": 4.0},  # Caldari Navy
            {"from_id": 3008416, "from_type": "agent", "standing": 1.0},
        ],
        assets=[asset(i) for i in range(1, 2502)],  # three pages of 1,000
    )
    set_profile(esi, ANN, skills={ACCOUNTING: 1})
    orders = PgCharacterOrderStore(pg_pool)
    subjects = {route.name: await orders.characters_with_scope(route.scope) for route in ROUTES}
    store = PgCharacterProfiles(pg_pool)

    first = await refresh_profiles(tokens, profile, store, subjects, clock=clock)
    assert (first.fetched, first.failed) == (3, {})
    assert not [r for r in esi.requests if f"/{ANN}/" in r.path]  # no scope, no request
    assert await store.fee_profile(ANN) is None
    assert len(await store.assets(JOE)) == 2501
    own = await store.fee_profile(JOE)
    assert own is not None
    assert own.skills_at(JITA) == TradeSkills(5, 3, 2, faction_standing=2.5, corp_standing=4.0)
    assert own.skills_at(AMARR) == TradeSkills(5, 3, 2)  # no standing with the Amarr Empire or Emperor Family
    account = await pg_pool.fetchval("SELECT account_id FROM characters WHERE character_id = $1", JOE)
    assert await store.account_trader(account) == (JOE, "Joe Trader")

    requests = len(esi.requests)
    assert (await refresh_profiles(tokens, profile, store, subjects, clock=clock)).fresh == 3
    assert len(esi.requests) == requests  # within Expires: ESI is not asked

    set_profile(esi, JOE, skills={ACCOUNTING: 5, BROKER_RELATIONS: 5}, assets=[asset(7, 35, 5)])
    clock.offset += 3700
    transport.expiry.forget(f"/characters/{JOE}/assets/")  # the in-memory guard runs on real time
    third = await refresh_profiles(tokens, profile, store, subjects, clock=clock)
    assert (third.fetched, third.not_modified, third.failed) == (2, 1, {})  # standings unchanged: 304
    assert [(a.item_id, a.type_id, a.quantity) for a in await store.assets(JOE)] == [(7, 35, 5)]
    changed = await store.fee_profile(JOE)
    assert changed is not None and changed.skills_at(JITA) == TradeSkills(5, 5, 0, 2.5, 4.0)
