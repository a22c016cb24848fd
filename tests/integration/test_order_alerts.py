"""Order alerts end to end: SSO fake + ESI fake + real Postgres/Redis, a linked character's orders vs the book."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from adapters.crypto import TokenCipher
from adapters.esi.character_orders import EsiCharacterOrders
from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.characters import PgCharacterStore
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache
from adapters.sso.client import SsoClient
from core.accounts.sso import SCOPE_CHARACTER_ORDERS
from core.accounts.tokens import CharacterTokens
from core.alerts.orders import tick_size
from core.market.ingest import RegionRefresher
from fakes.esi import EsiFake
from fakes.esi.characters import publish_orders, set_history, set_orders, trust_sso
from fakes.esi.data import tick_round
from fakes.sso import SsoFake
from fakes.sso.state import IssuedRefresh
from scheduler.character_orders import refresh_character_orders
from tests.integration.esi import client_for

pytestmark = pytest.mark.e2e
REGION, STATION, JOE = 10000002, 60003760, 90000001
MINE, RIVAL = 9_100_000_001, 9_100_000_002


class Clock:
    """Test time: real time plus an offset the test moves forward (ESI fake, ingest and job share it)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def epoch(self) -> float:
        return time.time() + self.offset

    def __call__(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)


@pytest_asyncio.fixture(loop_scope="session")
async def world(pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str) -> AsyncIterator[Any]:
    clock = Clock()
    async with EsiFake(regions={REGION: 300}, cache_seconds=300, clock=clock.epoch) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        sso_client = SsoClient(sso.base_url, sso.client_id, sso.client_secret, sso.redirect_uri)
        await sso_client.start()
        try:
            async with client_for(esi) as client:  # character orders go through the one ESI transport
                yield clock, esi, sso, sso_client, EsiCharacterOrders(client.transport)
        finally:
            await sso_client.close()


async def ingest(esi: EsiFake, pool: asyncpg.Pool, cache: RedisQuoteCache, clock: Clock) -> None:
    async with client_for(esi) as client:  # a fresh client: its in-memory Expires guard starts empty
        await RegionRefresher(client, PgOrderBookStore(pool), cache, clock=clock).refresh(REGION)


async def outbox(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    return [r["payload"] for r in await pool.fetch("SELECT payload FROM alert_outbox ORDER BY id")]


async def test_undercut_back_on_top_filled_with_polite_polling_and_token_refresh(
    world: Any, pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    clock, esi, sso, sso_client, orders_client = world
    characters = PgCharacterStore(pg_pool, TokenCipher.from_setting(TokenCipher.new_key_entry("k1")))
    grant = await sso_client.refresh(sso.ledger.new_refresh_token(IssuedRefresh(JOE, [SCOPE_CHARACTER_ORDERS])))
    account = (await characters.link(grant.character, grant.refresh_token)).account_id
    for kind in ("order_undercut", "order_filled"):
        await pg_pool.execute(
            "INSERT INTO alert_rules (account_id, kind, region_id, threshold, target_platform, target_kind,"
            " target_address) VALUES ($1, $2, $3, 1, 'discord', 'dm', '42')",
            account, kind, REGION,
        )  # fmt: skip

    # our sell order sits below every other seller of its type at the hub (and is in the public book too)
    hub_sell = next(o for o in esi.snapshot(REGION).orders if o["location_id"] == STATION and not o["is_buy_order"])
    type_id = hub_sell["type_id"]
    lowest = min(
        o["price"]
        for o in esi.snapshot(REGION).orders
        if o["type_id"] == type_id and o["location_id"] == STATION and not o["is_buy_order"]
    )
    price = tick_round(lowest * 0.9)
    issued = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    public = {**hub_sell, "order_id": MINE, "price": price, "volume_remain": 10, "volume_total": 10, "issued": issued}
    mine = {k: v for k, v in public.items() if k not in ("is_buy_order", "system_id")} | {"region_id": REGION}
    publish_orders(esi, REGION, add=[public])
    set_orders(esi, JOE, [mine])
    cache = RedisQuoteCache(redis_client, RedisKeys(redis_prefix))
    await ingest(esi, pg_pool, cache, clock)

    tokens = CharacterTokens(characters, sso_client, clock=clock)
    store = PgCharacterOrderStore(pg_pool)

    async def run() -> Any:
        return await refresh_character_orders(tokens, orders_client, store, clock=clock)

    first = await run()
    assert (first.characters, first.fetched, first.alerts, first.failed) == (1, 1, 0, {})
    assert await outbox(pg_pool) == []  # our own order is not a competitor: we are on top

    # a rival undercuts by exactly one tick; the next book refresh raises one undercut alert
    rival = {**public, "order_id": RIVAL, "price": round(price - tick_size(price), 2)}
    publish_orders(esi, REGION, add=[rival])
    clock.offset += 301
    await ingest(esi, pg_pool, cache, clock)
    character_calls = len([r for r in esi.requests if r.path.startswith("/characters/")])
    second = await run()
    assert second.fresh == 1 and second.alerts == 1  # within Expires: not refetched, but compared with the book
    assert len([r for r in esi.requests if r.path.startswith("/characters/")]) == character_calls
    (undercut,) = await outbox(pg_pool)
    assert (undercut["event"], undercut["ticks"], undercut["order_id"]) == ("undercut", 1, MINE)
    assert undercut["value"] == rival["price"] and undercut["kind"] == "order_undercut"
    assert (await run()).alerts == 0  # same data again: nothing new

    # the rival leaves: back on top
    publish_orders(esi, REGION, remove=[RIVAL])
    clock.offset += 301
    await ingest(esi, pg_pool, cache, clock)
    assert (await run()).alerts == 1
    assert (await outbox(pg_pool))[-1]["event"] == "back_on_top"

    # past the orders' Expires (1200 s): ETag gives 304; the access token expired meanwhile and is refreshed
    stored_before = await characters.refresh_token(JOE)
    clock.offset += 700
    third = await run()
    assert (third.not_modified, third.fetched, third.alerts) == (1, 0, 0)
    assert esi.requests[-1].status == 304 and esi.requests[-1].headers.get("If-None-Match")
    stored_after = await characters.refresh_token(JOE)
    assert stored_after is not None and stored_after != stored_before and stored_after in sso.ledger.refresh_tokens

    # the order fills: gone from the open orders, in the history with nothing left
    set_orders(esi, JOE, [])
    set_history(esi, JOE, [{**mine, "volume_remain": 0, "state": "expired"}])
    clock.offset += 1201
    assert (await run()).alerts == 1
    assert (await outbox(pg_pool))[-1]["event"] == "filled"
    assert [p["event"] for p in await outbox(pg_pool)] == ["undercut", "back_on_top", "filled"]
