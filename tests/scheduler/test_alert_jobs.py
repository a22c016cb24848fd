"""The scheduler's alert jobs: refreshes evaluate alert rules after the swap, digests go out every 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.watchlist import PgWatchlist
from core.alerts.model import AlertKind, AlertTarget, Direction, RuleSpec, Side, TargetKind
from core.alerts.values import DEFAULT_FEES, fee_assumption, margin_pct
from evetrader.app import App
from evetrader.bootstrap.market import region_refresher
from evetrader.bootstrap.scheduler import alerting_refresher, dispatcher_for, scheduler_deps, with_alerts
from scheduler.service import SchedulerService

AMARR_REGION, TRIT = 10000043, 34
DM = AlertTarget("discord", TargetKind.DM, "1234")


async def _account(app: App) -> int:
    return int(await app.pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id"))


async def test_a_scheduled_refresh_evaluates_the_regions_alert_rules(app: App) -> None:
    me = await _account(app)
    # any sell order in Domain is below 1e12 ISK: the region-wide rule fires on the first snapshot
    spec = RuleSpec(AlertKind.PRICE, AMARR_REGION, TRIT, None, Side.SELL, Direction.BELOW, 1e12, 0.0, timedelta(0), DM)
    await PgAlertRules(app.pool).add(me, spec)
    await app.redis.set(app.keys.ingest_claim(AMARR_REGION), b"1")
    outcome = await dispatcher_for(app).execute(with_alerts(region_refresher(app), app.pool), AMARR_REGION)
    assert outcome is not None and outcome.meta is not None and outcome.meta.as_of is not None
    best = await app.pool.fetchval(
        "SELECT min(best_sell) FROM market_quotes WHERE region_id = $1 AND type_id = $2", AMARR_REGION, TRIT
    )
    [row] = await app.pool.fetch("SELECT payload FROM alert_outbox")
    assert row["payload"]["value"] == best and datetime.fromisoformat(row["payload"]["as_of"]) == outcome.meta.as_of


async def test_the_digest_job_runs_every_15_minutes_and_writes_each_digest_once(app: App) -> None:
    me = await _account(app)
    await PgWatchlist(app.pool).add(me, 34)
    await PgWatchlist(app.pool).set_digest(me, True, 0, DM)  # 00:00 UTC: due whenever the test runs
    service = SchedulerService(scheduler_deps(app), [])
    assert await service.send_digests() == 1
    assert await service.send_digests() == 0
    key = await app.pool.fetchval("SELECT idempotency_key FROM alert_outbox WHERE account_id = $1", me)
    assert key == f"digest:{me}:{datetime.now(UTC).date().isoformat()}"
    scheduler = service._jobs()
    try:
        job = scheduler.get_job("digests")
        assert job is not None and "*/15" in str(job.trigger)
    finally:
        scheduler.shutdown(wait=False)


async def test_a_trader_with_orders_and_no_watchlist_gets_the_orders_digest(app: App) -> None:
    me = await _account(app)
    await PgWatchlist(app.pool).set_digest(me, True, 0, DM)
    service = SchedulerService(scheduler_deps(app), [])
    await app.pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES (95, $1, 'Seller', 'o')", me
    )
    assert await service.send_digests() == 0  # a character without orders: nothing to say
    await app.pool.execute(
        "INSERT INTO character_orders (character_id, order_id, type_id, region_id, location_id, is_buy_order, price,"
        " volume_remain, volume_total, issued, duration, on_top) VALUES (95, 1, 34, 10000002, 60003760, false, 5.0,"
        " 10, 10, now(), 90, true)"
    )
    assert await service.send_digests() == 1
    payload = await app.pool.fetchval("SELECT payload FROM alert_outbox WHERE account_id = $1", me)
    name = (await app.catalog()).name_of(34) or "type 34"  # this fixture's static data may be empty
    assert payload["orders"][1] == f"Seller: sell {name} at Jita: 10/10 left @ 5.00, on top"
    assert "Your orders:" in payload["text"]


async def test_margin_alerts_use_the_configured_fee_schedule(app: App) -> None:
    me = await _account(app)
    spec = RuleSpec(AlertKind.SPREAD, AMARR_REGION, TRIT, None, None, Direction.BELOW, 1e9, 0.0, timedelta(0), DM)
    await PgAlertRules(app.pool).add(me, spec)
    await app.redis.set(app.keys.ingest_claim(AMARR_REGION), b"1")
    settings = app.settings.model_copy(update={"fee_sales_tax_base": 0.3, "fee_broker_base": 0.05})
    async with App(settings) as taxed:  # the scheduler's refresher takes FEE_* from the settings
        assert (await dispatcher_for(taxed).execute(alerting_refresher(taxed), AMARR_REGION)) is not None
    best = await app.pool.fetchrow(
        "SELECT max(best_buy) AS buy, min(best_sell) AS sell FROM market_quotes WHERE region_id = $1 AND type_id = $2",
        AMARR_REGION,
        TRIT,
    )
    [row] = await app.pool.fetch("SELECT payload FROM alert_outbox")
    expected = margin_pct(best["buy"], best["sell"], fee_assumption(settings.fee_schedule()))
    assert expected is not None and expected != margin_pct(best["buy"], best["sell"], DEFAULT_FEES)
    assert row["payload"]["value"] == pytest.approx(expected)
