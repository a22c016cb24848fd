"""Structure markets against the ESI and SSO fakes and real Postgres: /market add by name (search) with a
character's token, ingest through the snapshot swap (paged, token-authorized), /price at the structure, a character
without access gets a clear message, and a 403 on refresh keeps the last snapshot whole."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from adapters.crypto import TokenCipher
from adapters.esi.settings import EsiSettings
from adapters.esi.structures import EsiStructures
from adapters.esi.transport import EsiTransport
from adapters.postgres.alerts_eval import PgAlertEvaluator
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.catalog_source import PgCatalogSource, keep_structures_fresh
from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.characters import PgCharacterStore
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.market_reader import PgMarketReader
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.structure_markets import PgStructureMarkets
from adapters.redis.keys import RedisKeys
from adapters.redis.quotes import RedisQuoteCache
from adapters.sso.client import SsoClient
from core.accounts.sso import SCOPE_READ_STRUCTURES, SCOPE_SEARCH_STRUCTURES, SCOPE_STRUCTURE_MARKETS
from core.accounts.tokens import CharacterTokens
from core.alerts.evaluation import SnapshotAlerts
from core.alerts.model import AlertKind, AlertTarget, TargetKind
from core.alerts.rules import parse_rule
from core.appraisal.parsers import default_parsers
from core.chat import Caller, CommandContext, Invocation, Reply, SourceAge, dispatch
from core.commands.appraise import appraise_paste
from core.commands.default import build_registry
from core.market.history import HistoryRefresher
from core.market.history_demand import HistoryOnDemand
from core.market.ingest import RegionRefresher
from core.usecases.accounts import AccountServices
from core.usecases.alerts import alert_place
from core.usecases.market_services import MarketServices
from core.usecases.structures import StructureMarkets
from fakes.esi import EsiFake
from fakes.esi.characters import trust_sso
from fakes.esi.structures import add_structure, set_structure_orders, structures
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter, IssuedRefresh
from scheduler.structures import refresh_structures
from tests.core.commands.sample_catalog import sample_catalog
from tests.integration.esi import client_for
from tests.scheduler.test_wallet import Clock

pytestmark = pytest.mark.e2e
JOE, BOB = 90000021, 90000022  # Joe may dock at the tower, Bob may not
TOWER, TOWER_NAME, PERIMETER = 1_035_466_617_946, "Perimeter - Tranquility Trading Tower", 30000144
TRITANIUM, JITA_REGION = 34, 10000002
SCOPES = [SCOPE_STRUCTURE_MARKETS, SCOPE_READ_STRUCTURES, SCOPE_SEARCH_STRUCTURES]
REGISTRY = build_registry()


def order(order_id: int, price: float, *, buy: bool = False, volume: int = 1000) -> dict[str, Any]:
    """A structure market order in ESI's shape (no system_id, as ESI gives it)."""
    return {"order_id": order_id, "type_id": TRITANIUM, "location_id": TOWER, "is_buy_order": buy, "price": price,
            "volume_remain": volume, "volume_total": volume, "min_volume": 1, "duration": 90,
            "issued": "2026-01-02T03:04:05Z", "range": "station"}  # fmt: skip


@pytest_asyncio.fixture(loop_scope="session")
async def world(pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str) -> AsyncIterator[Any]:
    clock = Clock()
    people = (FakeCharacter(JOE, "Joe Trader", "owner-joe"), FakeCharacter(BOB, "Bob Outsider", "owner-bob"))
    async with EsiFake(regions={10000002: 20}, clock=clock.epoch) as esi, SsoFake(characters=people) as sso:
        trust_sso(esi, sso)
        orders = [order(1, 5.10), order(2, 5.00), order(3, 4.20, buy=True), order(4, 4.00, buy=True)]
        add_structure(esi, TOWER, TOWER_NAME, solar_system_id=PERIMETER, docking={JOE}, orders=orders, page_rows=3)
        sso_client = SsoClient(sso.base_url, sso.client_id, sso.client_secret, sso.redirect_uri)
        transport = EsiTransport(
            EsiSettings(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01")
        )
        await sso_client.start()
        await transport.start()
        try:
            characters = PgCharacterStore(pg_pool, TokenCipher.from_setting(TokenCipher.new_key_entry("k1")))
            accounts = {}
            for character in (JOE, BOB):
                grant = await sso_client.refresh(sso.ledger.new_refresh_token(IssuedRefresh(character, SCOPES)))
                await characters.link(grant.character, grant.refresh_token)
                accounts[character] = await pg_pool.fetchval(
                    "SELECT account_id FROM characters WHERE character_id = $1", character
                )
            tokens = CharacterTokens(characters, sso_client, clock=clock)
            yield clock, esi, tokens, EsiStructures(transport), accounts, RedisKeys(redis_prefix)
        finally:
            await transport.close()
            await sso_client.close()


def context(
    pool: asyncpg.Pool, markets: StructureMarkets, account_id: int, history: HistoryOnDemand | None = None
) -> tuple[CommandContext, Caller]:
    services = AccountServices(None, None, "http://panel.invalid", structures=markets)  # type: ignore[arg-type]
    market = MarketServices(reader=PgMarketReader(pool), history=history, parsers=default_parsers())
    ctx = CommandContext(catalog=sample_catalog(), services=market, accounts=services)
    return ctx, Caller("console", f"u{account_id}", "Tester", is_dm=True, account_id=account_id)


async def ask(text: str, ctx: CommandContext, caller: Caller) -> Reply:
    return await dispatch(REGISTRY, Invocation.from_text(text, caller), ctx)


async def test_add_ingest_price_and_a_refused_character(world: Any, pg_pool: asyncpg.Pool, redis_client) -> None:
    clock, esi, tokens, api, accounts, keys = world
    store, books = PgStructureMarkets(pg_pool), PgOrderBookStore(pg_pool)
    markets = StructureMarkets(api, store, tokens)
    ctx, joe = context(pg_pool, markets, accounts[JOE])

    added = await ask("/market add tranquility trading", ctx, joe)
    assert not added.is_error, added.text
    assert added.data["added"]["structure_id"] == TOWER and added.data["added"]["name"] == TOWER_NAME
    market_id = added.data["added"]["market_id"]
    assert market_id >= 90_000_001

    _, bob = context(pg_pool, markets, accounts[BOB])
    refused = await ask(f"/market add {TOWER}", ctx, bob)
    assert refused.is_error and "docking access" in refused.text and "Forbidden" in refused.text

    async with client_for(esi) as client:
        base = RegionRefresher(client, books, RedisQuoteCache(redis_client, keys))
        first = await refresh_structures(store, books, tokens, api, base)
        meta = first.refreshed[TOWER].meta
        assert first.failed == {} and meta is not None and meta.pages == 2  # 4 orders, 3 a page
        market_requests = [r for r in esi.requests if r.path.startswith(f"/markets/structures/{TOWER}")]
        assert all(r.headers.get("Authorization", "").startswith("Bearer ") for r in market_requests)

        price = await ask("/price tritanium perimeter trading tower", ctx, joe)
        assert not price.is_error, price.text
        assert (price.data["best_sell"], price.data["best_buy"], price.data["location_id"]) == (5.00, 4.20, TOWER)

        # Joe loses docking rights: the refresh says why and the last snapshot stays whole.
        structures(esi)[TOWER].docking.clear()
        set_structure_orders(esi, TOWER, [order(9, 1.0)])
        clock.offset += 400  # past the 300 s cache and Expires (the in-memory guard runs on real time)
        for page in ("", "?page=2"):
            api._transport.expiry.forget(f"/markets/structures/{TOWER}/{page}")
        base = RegionRefresher(client, books, RedisQuoteCache(redis_client, keys), clock=_later(400))
        second = await refresh_structures(store, books, tokens, api, base)
        assert "Market access denied" in second.failed[TOWER]
        kept = await ask("/price tritanium perimeter trading tower", ctx, joe)
        assert (kept.data["best_sell"], kept.data["best_buy"]) == (5.00, 4.20)
        kept_meta = await books.snapshot_meta(market_id)
        assert (
            kept_meta is not None and kept_meta.orders == 4 and "Market access denied" in (kept_meta.last_error or "")
        )

        # Access back: the new book replaces the old one whole (no order of the old generation is left).
        structures(esi)[TOWER].docking.add(JOE)
        await pg_pool.execute("UPDATE market_snapshots SET expires = now() WHERE region_id = $1", market_id)
        third = await refresh_structures(store, books, tokens, api, base)
        assert third.failed == {}, third.failed
        rows = await pg_pool.fetch("SELECT order_id FROM market_orders WHERE region_id = $1", market_id)
        assert [r["order_id"] for r in rows] == [9]

    removed = await ask("/market remove perimeter", ctx, joe)
    assert not removed.is_error, removed.text
    assert await pg_pool.fetchval("SELECT count(*) FROM market_orders WHERE region_id = $1", market_id) == 0
    assert await books.snapshot_meta(market_id) is None


def _later(seconds: float) -> Any:
    from datetime import UTC, datetime, timedelta

    return lambda: datetime.now(UTC) + timedelta(seconds=seconds)


async def test_the_structure_is_a_location_everywhere(world: Any, pg_pool: asyncpg.Pool, redis_client) -> None:
    """History from the structure's region (never its market id), the owner's fee in the finders and relist fees,
    /trade station and haul, an appraisal, /compare, a price alert after the structure's swap, and the reload."""
    _clock, esi, tokens, api, accounts, keys = world
    store, books, history_store = PgStructureMarkets(pg_pool), PgOrderBookStore(pg_pool), PgHistoryStore(pg_pool)
    markets = StructureMarkets(api, store, tokens)
    async with client_for(esi) as client:
        on_demand = HistoryOnDemand(HistoryRefresher(client, history_store), history_store)
        ctx, joe = context(pg_pool, markets, accounts[JOE], history=on_demand)
        added = await ask(f"/market add {TOWER}", ctx, joe)
        assert not added.is_error, added.text
        market_id = added.data["added"]["market_id"]
        region_id, location_id = alert_place(AlertKind.PRICE, _tower(ctx))
        rule = await PgAlertRules(pg_pool).add(
            accounts[JOE],
            parse_rule(kind="price", side="sell", direction="below", threshold=6.0, type_id=TRITANIUM,
                       target=AlertTarget("console", TargetKind.DM, "joe"), region_id=region_id,
                       location_id=location_id),
        )  # fmt: skip
        assert (rule.spec.region_id, rule.spec.location_id) == (market_id, TOWER)
        alerts = SnapshotAlerts(PgAlertEvaluator(pg_pool))
        quotes = RedisQuoteCache(redis_client, keys)
        await RegionRefresher(client, books, quotes).refresh(JITA_REGION)
        summary = await refresh_structures(
            store, books, tokens, api, RegionRefresher(client, books, quotes, listener=alerts)
        )
        assert summary.failed == {}, summary.failed
        assert [(f.rule_id, f.location_id) for f in alerts.last_fired] == [(rule.id, TOWER)]  # sell 5.00 < 6

        price = await ask(f"/price tritanium {TOWER}", ctx, joe)
        assert not price.is_error and price.data["median_30d"] is not None, price.text
        assert price.footer is not None and [s.name for s in price.footer.sources] == ["structure orders", "history"]
        history = await ask(f"/history tritanium {TOWER}", ctx, joe)
        assert not history.is_error and history.data["region_id"] == JITA_REGION, history.text
        asked = [r.path for r in esi.requests if "/history" in r.path]
        assert asked and all(p.startswith(f"/markets/{JITA_REGION}/history") for p in asked), asked

        # The owner's broker fee: 0% (+ SCC's 0.5%) leaves a margin between 4.20 and 5.00; 10% eats it.
        assert not (await ask(f"/market fee {TOWER} 0", ctx, joe)).is_error
        assert _tower(ctx).broker_fee == 0.0
        cheap = await ask(f"/trade station {TOWER} 5", ctx, joe)
        assert not cheap.is_error and [c["type_id"] for c in cheap.data["candidates"]] == [TRITANIUM], cheap.text
        assert not (await ask(f"/market fee {TOWER} 10", ctx, joe)).is_error
        dear = await ask(f"/trade station {TOWER} 5", ctx, joe)
        assert not dear.is_error and "candidates" not in dear.data, dear.text

        haul = await ask(f"/trade haul jita {TOWER}", ctx, joe)
        assert (
            not haul.is_error and haul.title == f"Hauling Jita IV - Moon 4 - Caldari Navy Assembly Plant → {TOWER_NAME}"
        ), haul.text
        appraisal = await appraise_paste(ctx, "Tritanium 100", _tower(ctx))
        assert (appraisal.data["totals"]["sell"], appraisal.data["totals"]["buy"]) == (500.0, 420.0)
        compared = await ask("/compare tritanium", ctx, joe)  # Joe's structure after the hubs, with its own age
        assert not compared.is_error and TOWER_NAME not in compared.data["hubs"], compared.text
        assert compared.title == "Tritanium at the hubs and your structures"
        assert compared.tables[0].rows[-1][0] == TOWER_NAME and compared.data["buy_at"] == TOWER_NAME  # 5.00 < Jita
        tower = compared.data["structures"][TOWER_NAME]
        assert (tower["best_sell"], tower["best_buy"], tower["location_id"]) == (5.00, 4.20, TOWER)
        tower_age = (await books.snapshot_meta(market_id)).last_modified  # type: ignore[union-attr]
        assert compared.footer is not None
        assert compared.footer.sources[-1] == SourceAge(f"{TOWER_NAME} orders", tower_age)
        last = compared.data["sources"][-1]
        assert (last["kind"], last["id"], last["name"]) == ("market_orders", market_id, f"{TOWER_NAME} orders")
        _, bob = context(pg_pool, markets, accounts[BOB])
        others = await ask("/compare tritanium", ctx, bob)  # Bob tracks none: the five hubs only
        assert "structures" not in others.data and len(others.data["sources"]) == 5, others.data

        # Reprice advice finds the structure's own book (its partition), not the region's.
        competition = await PgCharacterOrderStore(pg_pool).competition([(JITA_REGION, TOWER, TRITANIUM, False)], [])
        assert competition.best == {(JITA_REGION, TOWER, TRITANIUM, False): 5.00}

    # Another process's catalog sees the structure (and its fee) after its next reload.
    other = sample_catalog()
    reload = asyncio.create_task(keep_structures_fresh(lambda: other, PgCatalogSource(pg_pool), every_s=0.01))
    try:
        for _ in range(500):
            if other.structures():
                break
            await asyncio.sleep(0.01)
    finally:
        reload.cancel()
    assert [(s.station_id, s.home_region_id, s.broker_fee) for s in other.structures()] == [(TOWER, JITA_REGION, 0.1)]


def _tower(ctx: CommandContext) -> Any:
    return ctx.catalog.location(str(TOWER))  # type: ignore[union-attr]
