"""Structure market use cases against the ESI and SSO fakes and real Postgres: the list names each structure's system,
region and reading character with its data age ("no market data yet" before the first refresh), the characters
that can add one, adding with a chosen character, refusals that change nothing, fees and removal by exact id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from adapters.esi.structures import EsiStructures
from adapters.postgres.structure_markets import PgStructureMarkets
from core.accounts.sso import SCOPE_READ_STRUCTURES, SCOPE_SEARCH_STRUCTURES, SCOPE_STRUCTURE_MARKETS
from core.accounts.tokens import CharacterTokens
from core.market.structures import StructureError, StructureNotFound
from core.usecases.structures import StructureCharacter, StructureMarkets
from fakes.esi import EsiFake
from fakes.esi.characters import trust_sso
from fakes.esi.structures import add_structure
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.adapters.character_clients import character_clients, character_store, link_character

pytestmark = pytest.mark.e2e
JOE, ANN, BOB, CARL = 90000031, 90000032, 90000033, 90000034  # Joe and Ann share an account; Carl lacks the scope
TOWER, TOWER_NAME, PERIMETER = 1_035_466_617_946, "Perimeter - Tranquility Trading Tower", 30000144
KEEP, KEEP_NAME = 1_035_466_617_947, "Perimeter - Ann's Keep"  # only Ann may dock there
SCOPES = [SCOPE_STRUCTURE_MARKETS, SCOPE_READ_STRUCTURES, SCOPE_SEARCH_STRUCTURES]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class StructureWorld:
    """The fakes, the use case (its clock at NOW) and the accounts: joe (Joe, Ann and Carl), bob (Bob)."""

    esi: EsiFake
    markets: StructureMarkets
    store: PgStructureMarkets
    joe: int
    bob: int


@pytest_asyncio.fixture(loop_scope="session")
async def structure_world(pg_pool: asyncpg.Pool) -> AsyncIterator[StructureWorld]:
    await pg_pool.execute("INSERT INTO sde_regions VALUES (10000002, 'The Forge') ON CONFLICT DO NOTHING")
    await pg_pool.execute(
        "INSERT INTO sde_systems VALUES ($1, 20000020, 10000002, 'Perimeter', 0.95) ON CONFLICT DO NOTHING", PERIMETER
    )
    people = [FakeCharacter(c, n, f"owner-{c}") for c, n in ((JOE, "Joe"), (ANN, "Ann"), (BOB, "Bob"), (CARL, "Carl"))]
    async with EsiFake(regions={10000002: 5}) as esi, SsoFake(characters=people) as sso:
        trust_sso(esi, sso)
        add_structure(esi, TOWER, TOWER_NAME, solar_system_id=PERIMETER, docking={JOE})
        add_structure(esi, KEEP, KEEP_NAME, solar_system_id=PERIMETER, docking={ANN})
        async with character_clients(esi, sso) as (client, transport):
            characters = character_store(pg_pool)
            accounts: dict[int, int] = {}
            for character, joins, scopes in (
                (JOE, None, SCOPES),
                (ANN, JOE, SCOPES),
                (CARL, JOE, []),
                (BOB, None, SCOPES),
            ):
                browser = accounts[joins] if joins is not None else None
                linked = await link_character(characters, sso, client, character, scopes, browser)
                accounts[character] = linked.account_id
            store = PgStructureMarkets(pg_pool)
            markets = StructureMarkets(
                EsiStructures(transport), store, CharacterTokens(characters, client), lambda: NOW
            )
            yield StructureWorld(esi, markets, store, accounts[JOE], accounts[BOB])


async def test_the_list_names_place_reader_and_data_age(structure_world: StructureWorld, pg_pool) -> None:
    world = structure_world
    assert await world.markets.characters(world.joe) == (StructureCharacter(ANN, "Ann"), StructureCharacter(JOE, "Joe"))
    empty = await world.markets.list(world.joe)
    assert empty.markets == () and empty.as_data()["markets"] == []

    added = await world.markets.add(world.joe, "tranquility trading")  # Ann's token finds nothing; Joe's does
    assert (added.structure_id, added.character_id) == (TOWER, JOE)
    fresh = (await world.markets.list(world.joe)).as_data()["markets"]
    assert fresh == [
        {"structure_id": TOWER, "market_id": added.market_id, "name": TOWER_NAME, "solar_system_id": PERIMETER,
         "region_id": 10000002, "broker_fee": None, "system_name": "Perimeter", "region_name": "The Forge",
         "character_id": JOE, "character_name": "Joe", "data_as_of": None, "data_age": "no market data yet",
         "last_error": None}
    ]  # fmt: skip

    await pg_pool.execute(
        "INSERT INTO market_snapshots (region_id, status, last_modified, last_error) VALUES ($1, 'failed', $2, $3)",
        added.market_id,
        NOW - timedelta(minutes=7),
        "Market access denied",
    )
    listed = await world.markets.list(world.joe)
    rows = listed.as_data()["markets"]
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert (row["data_age"], row["last_error"]) == ("7 min old", "Market access denied")
    assert row["data_as_of"] == (NOW - timedelta(minutes=7)).isoformat()
    assert (await world.markets.list(world.bob)).markets == ()  # another account's list is its own


async def test_a_chosen_character_and_refusals_change_nothing(structure_world: StructureWorld) -> None:
    world = structure_world
    for query, character, words in (
        (str(KEEP), JOE, "cannot trade at structure"),  # Joe may not dock at Ann's keep
        (str(KEEP), CARL, "not yours or has not granted"),  # Carl has no structure market scope
        (str(KEEP), BOB, "not yours or has not granted"),  # Bob is another account's
        ("ab", None, "3 characters or more"),
        ("60003760", None, "not a player structure id"),
        ("99999999999999999999", None, "can see a structure named"),  # past 19 digits: not an id, no name
        ("9999999999999999999", None, "not a player structure id"),  # past 64 bits
    ):
        with pytest.raises(StructureError, match=words):
            await world.markets.add(world.joe, query, character)
    assert await world.store.markets(world.joe) == []

    keep = await world.markets.add(world.joe, str(KEEP), ANN)
    assert (keep.name, keep.character_id) == (KEEP_NAME, ANN)
    with pytest.raises(StructureError, match="tracked already"):
        await world.markets.add(world.joe, "ann's keep")

    with pytest.raises(StructureError, match="between 0 and 50"):
        await world.markets.set_fee(world.joe, KEEP, float("nan"))
    changed = await world.markets.set_fee(world.joe, KEEP, 2.5)
    assert changed.broker_fee == 0.025 and (await world.store.markets(world.joe))[0].broker_fee == 0.025

    with pytest.raises(StructureNotFound):
        await world.markets.remove(world.bob, KEEP)  # not Bob's
    with pytest.raises(StructureNotFound):
        await world.markets.remove(world.joe, int(str(KEEP)[:6]))  # an int is an exact id, never a name part
    assert (await world.markets.remove(world.joe, KEEP)).structure_id == KEEP
    assert await world.store.markets() == []
