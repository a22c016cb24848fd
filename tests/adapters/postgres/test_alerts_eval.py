"""evaluate_region against real Postgres: each snapshot kind, hysteresis, cooldown, idempotency, quiet hours."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import asyncpg
import pytest

from adapters.postgres.alerts import PgAlertRules, evaluate_region
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.orderbook import PgOrderBookStore
from core.alerts.model import AlertKind, AlertRule, AlertTarget, Direction, QuietHours, RuleSpec, Side, TargetKind
from core.alerts.policy import RuleState, quiet_until, step
from core.alerts.values import margin_pct, volume_ratio
from core.market.model import HistoryRow
from tests.adapters.postgres.test_orderbook import commit_info, order
from tests.core.market.order_rows import order_page

pytestmark = pytest.mark.integration

FORGE, DOMAIN, JITA, PERIMETER, AMARR = 10000002, 10000043, 60003760, 60003761, 60008494
TRIT, PYE = 34, 35
T0 = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
DM = AlertTarget("discord", TargetKind.DM, "1234")


def spec(
    kind: AlertKind = AlertKind.PRICE,
    *,
    side: Side | None = Side.SELL,
    direction: Direction = Direction.BELOW,
    threshold: float = 4.5,
    hysteresis: float = 0.0,
    cooldown: timedelta = timedelta(0),
    type_id: int = TRIT,
    region_id: int = FORGE,
    location_id: int | None = JITA,
) -> RuleSpec:
    """A rule spec with test defaults (Tritanium sell below 4.50 at Jita, no hysteresis, no cooldown)."""
    return RuleSpec(kind, region_id, type_id, location_id, side, direction, threshold, hysteresis, cooldown, DM)


async def new_account(pool: asyncpg.Pool) -> int:
    """A fresh account id."""
    return int(await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id"))


async def add_rule(pool: asyncpg.Pool, rule: RuleSpec, account_id: int | None = None) -> AlertRule:
    """Store a rule through the repository (a fresh account unless given)."""
    return await PgAlertRules(pool).add(account_id or await new_account(pool), rule)


async def set_quotes(
    pool: asyncpg.Pool, books: dict[tuple[int, int], tuple[float | None, float | None]], region: int = FORGE
) -> None:
    """Replace the region's quotes with {(location, type): (best_buy, best_sell)} (a cheap stand-in for an ingest)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS market_quotes_{region}_0 PARTITION OF market_quotes FOR VALUES IN ({region})"
        )
        await conn.execute("DELETE FROM market_quotes WHERE region_id = $1", region)
        await conn.executemany(
            "INSERT INTO market_quotes (region_id, location_id, type_id, best_buy, best_sell, buy_volume, sell_volume,"
            " buy_orders, sell_orders, buy_depth, sell_depth, as_of) VALUES ($1, $2, $3, $4, $5, 1, 1, 1, 1, 1, 1, $6)",
            [(region, loc, type_id, buy, sell, T0) for (loc, type_id), (buy, sell) in books.items()],
        )


async def outbox_count(pool: asyncpg.Pool) -> int:
    """Rows in the outbox."""
    return int(await pool.fetchval("SELECT count(*) FROM alert_outbox"))


async def test_price_rule_fires_after_a_real_ingest_and_writes_the_outbox(pg_pool: asyncpg.Pool) -> None:
    rule = await add_rule(pg_pool, spec())
    async with PgOrderBookStore(pg_pool).stage(FORGE) as stage:
        await stage.add_page(order_page([order(TRIT, 4.31, 100), order(TRIT, 4.6, 50), order(TRIT, 4.1, 10, buy=True)]))
        meta = await stage.commit(commit_info())
    as_of, now = meta.last_modified, T0 + timedelta(minutes=3)
    assert as_of is not None
    (fired,) = await evaluate_region(pg_pool, FORGE, as_of, now)
    assert (fired.rule_id, fired.account_id, fired.kind, fired.side, fired.direction) == (
        rule.id,
        rule.account_id,
        AlertKind.PRICE,
        Side.SELL,
        Direction.BELOW,
    )
    assert (fired.value, fired.threshold, fired.best_buy, fired.best_sell) == (4.31, 4.5, 4.1, 4.31)
    assert (fired.as_of, fired.fired_at, fired.target, fired.deliver_after) == (as_of, now, DM, None)
    assert fired.idempotency_key == f"{rule.id}@2026-08-01T12:00:00.000000Z"
    row = await pg_pool.fetchrow("SELECT * FROM alert_outbox")
    assert (row["id"], row["status"], row["attempts"], row["target_platform"], row["target_address"]) == (
        fired.outbox_id,
        "pending",
        0,
        "discord",
        "1234",
    )
    (stored,) = await PgAlertRules(pg_pool).list_for(rule.account_id)
    assert (stored.armed, stored.last_fired_at, stored.last_value) == (False, now, 4.31)


async def test_buy_side_above_fires_and_the_other_side_is_not_looked_at(pg_pool: asyncpg.Pool) -> None:
    buy = await add_rule(pg_pool, spec(side=Side.BUY, direction=Direction.ABOVE, threshold=5.0))
    await add_rule(pg_pool, spec(side=Side.SELL, direction=Direction.ABOVE, threshold=7.0))
    await set_quotes(pg_pool, {(JITA, TRIT): (5.2, 6.0)})
    fired = await evaluate_region(pg_pool, FORGE, T0, T0)
    assert [(f.rule_id, f.value) for f in fired] == [(buy.id, 5.2)]


async def test_wobble_around_the_threshold_fires_once_until_it_leaves_the_band(pg_pool: asyncpg.Pool) -> None:
    await add_rule(pg_pool, spec(threshold=4.5, hysteresis=0.2))
    fires = []
    for i, price in enumerate([4.6, 4.4, 4.55, 4.45, 4.6, 4.49, 4.7, 4.4]):
        await set_quotes(pg_pool, {(JITA, TRIT): (4.0, price)})
        at = T0 + timedelta(minutes=5 * i)
        fires.append(len(await evaluate_region(pg_pool, FORGE, at, at)))
    assert fires == [0, 1, 0, 0, 0, 0, 0, 1]  # 4.7 = 4.5 + 0.2 re-arms; the wobble in between stays quiet


async def test_cooldown_holds_a_second_crossing_until_it_has_passed(pg_pool: asyncpg.Pool) -> None:
    await add_rule(pg_pool, spec(cooldown=timedelta(hours=1)))
    fires = []
    for minutes, price in [(0, 4.4), (10, 4.6), (20, 4.4), (50, 4.3), (61, 4.3), (70, 4.3)]:
        await set_quotes(pg_pool, {(JITA, TRIT): (4.0, price)})
        at = T0 + timedelta(minutes=minutes)
        fires.append(len(await evaluate_region(pg_pool, FORGE, at, at)))
    assert fires == [1, 0, 0, 0, 1, 0]


async def test_a_snoozed_rule_stays_quiet_until_the_snooze_ends_then_fires_if_still_crossed(
    pg_pool: asyncpg.Pool,
) -> None:
    rule = await add_rule(pg_pool, spec())
    assert await PgAlertRules(pg_pool).snooze(rule.account_id, rule.id, T0 + timedelta(hours=1))
    fires = []
    for minutes in (0, 30, 60):
        await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 4.2)})
        at = T0 + timedelta(minutes=minutes)
        fires.append(len(await evaluate_region(pg_pool, FORGE, at, at)))
    assert fires == [0, 0, 1]


async def test_rerunning_a_snapshot_never_fires_twice(pg_pool: asyncpg.Pool) -> None:
    rule = await add_rule(pg_pool, spec())
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 4.2)})
    assert len(await evaluate_region(pg_pool, FORGE, T0, T0)) == 1
    assert await evaluate_region(pg_pool, FORGE, T0, T0 + timedelta(seconds=5)) == []
    await pg_pool.execute("UPDATE alert_rules SET armed = true, last_fired_at = NULL WHERE id = $1", rule.id)
    assert await evaluate_region(pg_pool, FORGE, T0, T0 + timedelta(seconds=9)) == []  # the key holds
    assert await outbox_count(pg_pool) == 1
    assert await pg_pool.fetchval("SELECT armed FROM alert_rules WHERE id = $1", rule.id) is False


async def test_region_wide_rules_use_the_best_price_over_all_locations(pg_pool: asyncpg.Pool) -> None:
    sell = await add_rule(pg_pool, spec(location_id=None, threshold=4.5))
    buy = await add_rule(pg_pool, spec(location_id=None, side=Side.BUY, direction=Direction.ABOVE, threshold=4.2))
    jita_only = await add_rule(pg_pool, spec(threshold=4.5))
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 4.8), (PERIMETER, TRIT): (4.3, 4.4), (PERIMETER, PYE): (1, 2)})
    fired = {f.rule_id: f for f in await evaluate_region(pg_pool, FORGE, T0, T0)}
    assert set(fired) == {sell.id, buy.id} and jita_only.id not in fired
    assert (fired[sell.id].value, fired[sell.id].location_id, fired[buy.id].value) == (4.4, None, 4.3)


async def test_spread_rule_fires_on_the_margin_after_fees(pg_pool: asyncpg.Pool) -> None:
    wide = await add_rule(pg_pool, spec(AlertKind.SPREAD, side=None, direction=Direction.ABOVE, threshold=10.0))
    await add_rule(pg_pool, spec(AlertKind.SPREAD, side=None, direction=Direction.ABOVE, threshold=10.0, type_id=PYE))
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 5.0), (JITA, PYE): (10.0, 11.0)})
    (fired,) = await evaluate_region(pg_pool, FORGE, T0, T0)
    assert fired.rule_id == wide.id
    assert fired.value == pytest.approx(margin_pct(4.0, 5.0), rel=1e-12)
    assert margin_pct(10.0, 11.0) is not None and margin_pct(10.0, 11.0) < 10.0  # type: ignore[operator]


async def test_volume_spike_compares_the_latest_day_with_the_30_day_average(pg_pool: asyncpg.Pool) -> None:
    volume = spec(AlertKind.VOLUME_SPIKE, side=None, direction=Direction.ABOVE, threshold=3.0, location_id=None)
    spike = await add_rule(pg_pool, volume)
    two_days_old = await add_rule(pg_pool, replace(volume, type_id=PYE, threshold=2.0))
    stale = await add_rule(pg_pool, replace(volume, type_id=36))
    calm = await add_rule(pg_pool, replace(volume, type_id=37))
    store, day = PgHistoryStore(pg_pool), date(2026, 7, 31)  # the snapshot is of 2026-08-01

    def days(latest: date, volume: int, before: int, count: int = 30) -> list[HistoryRow]:
        """`count` days of `before` volume ending the day before `latest`, then `latest` with `volume`."""
        back = [HistoryRow(latest - timedelta(days=d), 5, 5, 5, before, 10) for d in range(1, count + 1)]
        return [*back, HistoryRow(latest, 5, 5, 5, volume, 10)]

    await store.upsert(FORGE, TRIT, days(day, 5000, 1000, count=20), etag=None, expires=None)  # 5000 / (20000 / 30)
    await store.upsert(FORGE, PYE, days(day - timedelta(days=1), 2500, 1000), etag=None, expires=None)  # 2.5x
    await store.upsert(FORGE, 36, days(day - timedelta(days=2), 10**6, 10), etag=None, expires=None)  # too old
    await store.upsert(FORGE, 37, days(day, 2000, 1000), etag=None, expires=None)  # 2x < 3x
    await store.upsert(DOMAIN, TRIT, days(day, 10**9, 1), etag=None, expires=None)  # another region
    fired = {f.rule_id: f for f in await evaluate_region(pg_pool, FORGE, T0, T0)}
    assert set(fired) == {spike.id, two_days_old.id} and not {stale.id, calm.id} & set(fired)
    alert = fired[spike.id]
    assert alert.value == pytest.approx(volume_ratio(5000, 20 * 1000), rel=1e-12)  # 7.5
    assert (alert.volume, alert.volume_day) == (5000, day) and alert.avg_volume == pytest.approx(20000 / 30)
    older = fired[two_days_old.id]  # its whole 30-day window counts, up to 32 days before the snapshot
    assert (older.value, older.avg_volume, older.volume_day) == (2.5, 1000.0, date(2026, 7, 30))


async def test_inactive_rules_and_other_regions_are_ignored(pg_pool: asyncpg.Pool) -> None:
    paused = await add_rule(pg_pool, spec())
    assert await PgAlertRules(pg_pool).set_active(paused.account_id, paused.id, False)
    await add_rule(pg_pool, spec(region_id=DOMAIN, location_id=AMARR))
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 4.2)})
    await set_quotes(pg_pool, {(AMARR, TRIT): (4.0, 4.2)}, region=DOMAIN)
    assert await evaluate_region(pg_pool, FORGE, T0, T0) == []
    assert await pg_pool.fetchval("SELECT armed FROM alert_rules WHERE id = $1", paused.id) is True


async def test_missing_quote_or_empty_side_changes_nothing(pg_pool: asyncpg.Pool) -> None:
    rule = await add_rule(pg_pool, spec())
    await add_rule(pg_pool, spec(type_id=PYE))
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, None)})
    assert await evaluate_region(pg_pool, FORGE, T0, T0) == []
    (stored,) = await PgAlertRules(pg_pool).list_for(rule.account_id)
    assert (stored.armed, stored.last_value) == (True, None)


QUIET_CASES = [  # (zone, start, end, now, deferred)
    ("Europe/Berlin", time(22), time(7), datetime(2026, 8, 1, 23, 30, tzinfo=UTC), True),  # 01:30 local, wraps
    ("Europe/Berlin", time(22), time(7), datetime(2026, 8, 1, 12, 0, tzinfo=UTC), False),
    ("America/New_York", time(1), time(6), datetime(2026, 8, 1, 6, 0, tzinfo=UTC), True),  # 02:00 local
    ("UTC", time(11), time(13), datetime(2026, 8, 1, 12, 0, tzinfo=UTC), True),
]


async def test_quiet_hours_defer_delivery_to_their_end(pg_pool: asyncpg.Pool) -> None:
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 4.2)})
    for i, (zone, start, end, now, deferred) in enumerate(QUIET_CASES):
        rule = await add_rule(pg_pool, spec())
        quiet = QuietHours(zone, start, end)
        await PgAlertRules(pg_pool).set_quiet_hours(rule.account_id, quiet)
        (fired,) = await evaluate_region(pg_pool, FORGE, T0 + timedelta(minutes=i), now)
        assert fired.rule_id == rule.id
        assert fired.deliver_after == quiet_until(quiet, now)
        assert (fired.deliver_after is not None) is deferred, zone
        assert await pg_pool.fetchval("SELECT not_before FROM alert_outbox WHERE id = $1", fired.outbox_id) == (
            fired.deliver_after
        )


async def test_sql_agrees_with_the_core_policy_on_a_random_walk(pg_pool: asyncpg.Pool) -> None:
    rnd = random.Random(20260801)
    account = await new_account(pg_pool)
    await PgAlertRules(pg_pool).set_max_rules(account, 100)
    rules = []
    for i in range(24):
        rule = spec(
            side=rnd.choice(list(Side)),
            direction=rnd.choice(list(Direction)),
            threshold=round(rnd.uniform(4.3, 4.7), 2),
            hysteresis=rnd.choice([0.0, 0.05, 0.1, 0.2]),
            cooldown=timedelta(minutes=rnd.choice([0, 10, 30])),
            location_id=None if i % 3 == 0 else JITA,
        )
        rules.append(await add_rule(pg_pool, rule, account))
    states = {r.id: RuleState() for r in rules}
    for tick in range(30):
        jita, other = rnd.uniform(4.2, 4.8), rnd.uniform(4.2, 4.8)
        await set_quotes(pg_pool, {(JITA, TRIT): (jita - 0.3, jita), (PERIMETER, TRIT): (other - 0.3, other)})
        at = T0 + timedelta(minutes=5 * tick)
        got = {f.rule_id for f in await evaluate_region(pg_pool, FORGE, at, at)}
        want = set()
        for r in rules:
            buy, sell = (jita - 0.3, jita) if r.spec.location_id else (max(jita, other) - 0.3, min(jita, other))
            value = buy if r.spec.side is Side.BUY else sell
            s = r.spec
            fired, states[r.id] = step(s.direction, s.threshold, s.hysteresis, s.cooldown, states[r.id], value, at)
            if fired:
                want.add(r.id)
        assert got == want, tick
