"""An alert made with /alert fires after the next real ingest (ESI fake -> Postgres), once per snapshot.

The evaluation runs in the ingesting process right after the swap, with the quotes' own as_of: a re-ingest of the
same snapshot (ESI answers 304) writes nothing new, and neither does evaluating that snapshot again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.postgres.accounts import PgIdentityStore
from adapters.postgres.alerts_eval import PgAlertEvaluator, fired_from_record
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.orderbook import PgOrderBookStore
from adapters.postgres.watchlist import PgWatchlist
from adapters.redis.quotes import RedisQuoteCache
from core.alerts.evaluation import SnapshotAlerts
from core.alerts.message import alert_message
from core.chat import Caller, Invocation
from core.chat.gateway import CommandGateway
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from core.formatting import exact_isk
from core.market.ingest import RefreshResult, RegionRefresher
from core.usecases.alerts import AlertServices
from evetrader.app import App
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.esi import EsiFake
from tests.integration.esi import client_for

JITA_REGION, JITA_STATION = 10000002, 60003760
PILOT = Caller("telegram", "4242", "Pilot", chat_id="4242", is_dm=True)
pytestmark = pytest.mark.e2e


class Clock:
    """A clock the test moves past a snapshot's Expires without waiting."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest_asyncio.fixture(loop_scope="session")
async def app(pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path) -> AsyncIterator[tuple[App, EsiFake]]:
    async with EsiFake(regions={JITA_REGION: 3_000}, cache_seconds=300) as esi:
        settings = load_settings(
            database_url=pg_dsn,
            redis_url=redis_url,
            redis_prefix=redis_prefix,
            data_dir=tmp_path,
            esi_base_url=esi.base_url,
        )
        async with App(settings) as ctx:
            await ctx.migrate()
            await ensure_static_data(ctx)
            yield ctx, esi


async def refresh(ctx: App, esi: EsiFake, clock: Clock, alerts: SnapshotAlerts) -> RefreshResult:
    """One refresh by a fresh ESI client (as after a restart), with the alert evaluation hooked in."""
    async with client_for(esi) as client:
        cache = RedisQuoteCache(ctx.redis, ctx.keys)
        refresher = RegionRefresher(client, PgOrderBookStore(ctx.pool), cache, clock=clock).with_listener(alerts)
        return (await refresher.refresh(JITA_REGION)).result


async def test_alert_from_chat_fires_once_after_the_crossing_snapshot(app: tuple[App, EsiFake]) -> None:
    ctx, esi = app
    clock = Clock()
    alerts = SnapshotAlerts(PgAlertEvaluator(ctx.pool), clock)
    assert await refresh(ctx, esi, clock, alerts) is RefreshResult.UPDATED  # the book before the alert exists
    item = await ctx.pool.fetchrow(
        "SELECT q.type_id, t.name, q.best_sell FROM market_quotes q JOIN sde_types t USING (type_id)"
        " WHERE q.location_id = $1 AND q.best_sell IS NOT NULL AND t.name ~ '^[A-Za-z ]+$'"
        " ORDER BY q.sell_orders DESC, q.type_id LIMIT 1",
        JITA_STATION,
    )
    threshold = round(item["best_sell"] * 10, 2)  # the next book's best sell is certainly below it

    catalog = await ctx.catalog()
    base = CommandContext(catalog=catalog, alerts=AlertServices(PgAlertRules(ctx.pool), PgWatchlist(ctx.pool), catalog))

    async def context_for(caller: Caller) -> CommandContext:
        return base

    gateway = CommandGateway(build_registry(), context_for, identities=PgIdentityStore(ctx.pool))
    created = await gateway.run(Invocation.from_text(f"/alert add {item['name']} sell below {threshold} jita", PILOT))
    assert not created.is_error, created.text
    assert await ctx.pool.fetchval("SELECT count(*) FROM alert_outbox") == 0

    esi.advance(JITA_REGION)
    clock.offset = timedelta(seconds=301)
    assert await refresh(ctx, esi, clock, alerts) is RefreshResult.UPDATED
    [row] = await ctx.pool.fetch("SELECT * FROM alert_outbox")
    as_of = await ctx.pool.fetchval("SELECT DISTINCT as_of FROM market_quotes WHERE region_id = $1", JITA_REGION)
    best_sell = await ctx.pool.fetchval(
        "SELECT best_sell FROM market_quotes WHERE location_id = $1 AND type_id = $2", JITA_STATION, item["type_id"]
    )
    rule_id = created.data["id"]
    assert row["idempotency_key"] == f"{rule_id}@{as_of.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"
    assert (row["target_platform"], row["target_kind"], row["target_address"]) == ("telegram", "dm", "4242")
    fired = fired_from_record(row)
    assert fired.as_of == as_of and fired.value == best_sell and [a.outbox_id for a in alerts.last_fired] == [row["id"]]
    text = alert_message(fired, item["name"], clock())
    expected = f"{item['name']} sell at Jita fell below {exact_isk(threshold)} ISK: now {exact_isk(best_sell)} ("
    assert text.startswith(expected), text
    assert f"as of {as_of.astimezone(UTC):%H:%M} UTC" in text

    clock.offset = timedelta(seconds=602)  # past Expires again; ESI still has the same snapshot
    assert await refresh(ctx, esi, clock, alerts) is RefreshResult.UNCHANGED
    assert await alerts.evaluate(JITA_REGION, as_of) == []  # the same snapshot evaluated again: nothing new
    assert await ctx.pool.fetchval("SELECT count(*) FROM alert_outbox") == 1
    listing = await gateway.run(Invocation.from_text("/alert list", PILOT))
    assert listing.data["alerts"] == [{"id": rule_id, "state": "fired"}]
