"""PgWatchlist and PgDigestStore on real Postgres: limits, digest settings, due accounts, prices, one row a day."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import asyncpg
import pytest

from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.watchlist import PgDigestStore, PgWatchlist, item_names
from core.alerts.digest import DigestService
from core.alerts.model import AlertTarget, QuietHours, RuleError, TargetKind
from core.alerts.watchlist import WatchlistLimitReached
from core.market.hubs import HUBS
from core.market.model import HistoryRow
from tests.adapters.postgres.test_alerts_eval import new_account, set_quotes

pytestmark = pytest.mark.integration

JITA = HUBS[0]
TRIT, PYE = 34, 35
NOW = datetime(2026, 8, 1, 9, 30, tzinfo=UTC)
DM = AlertTarget("discord", TargetKind.DM, "1234")


async def test_watchlist_add_is_idempotent_limited_under_concurrency_and_removable(pg_pool: asyncpg.Pool) -> None:
    store, me = PgWatchlist(pg_pool, max_items=2), await new_account(pg_pool)
    assert await store.add(me, TRIT, JITA.region_id) and not await store.add(me, TRIT)
    results = await asyncio.gather(*(store.add(me, t) for t in (35, 36, 37)), return_exceptions=True)
    assert sum(r is True for r in results) == 1 and sum(isinstance(r, WatchlistLimitReached) for r in results) == 2
    first, _ = await store.items(me)
    assert first.type_id == TRIT
    assert await pg_pool.fetchval("SELECT count(*) FROM watched_types WHERE type_id = $1", TRIT) == 1
    assert await store.remove(me, TRIT) and not await store.remove(me, TRIT)
    with pytest.raises(RuleError, match="unknown account"):
        await store.add(10**12, TRIT)


async def test_digest_settings_need_a_target_first_and_keep_hour_and_target(pg_pool: asyncpg.Pool) -> None:
    store, me = PgWatchlist(pg_pool), await new_account(pg_pool)
    assert not (await store.digest(me)).enabled
    assert not (await store.set_digest(me, False)).enabled  # off without ever being on: nothing to store
    with pytest.raises(RuleError, match="where the digest"):
        await store.set_digest(me, True)
    with pytest.raises(RuleError, match="between 0 and 23"):
        await store.set_digest(me, True, 24, DM)
    on = await store.set_digest(me, True, 6, DM)
    assert (on.enabled, on.hour, on.target) == (True, 6, DM)
    off = await store.set_digest(me, False)
    assert (off.enabled, off.hour, off.target) == (False, 6, DM)
    assert (await store.set_digest(me, True)).hour == 6


async def test_digest_store_finds_due_accounts_prices_and_writes_once_per_day(pg_pool: asyncpg.Pool) -> None:
    watch, digests = PgWatchlist(pg_pool), PgDigestStore(pg_pool)
    berlin, idle, empty = await new_account(pg_pool), await new_account(pg_pool), await new_account(pg_pool)
    await pg_pool.execute("INSERT INTO sde_types (type_id, name, group_id) VALUES (34, 'Tritanium', 18)"
                          " ON CONFLICT DO NOTHING")  # fmt: skip
    for account_id in (berlin, idle):
        await watch.add(account_id, TRIT)
        await watch.add(account_id, PYE)
    await watch.set_digest(berlin, True, 11, DM)  # 11:30 in Berlin at NOW
    await watch.set_digest(idle, False, 11, DM)
    await watch.set_digest(empty, True, 0, DM)  # no watchlist: no digest
    await PgAlertRules(pg_pool).set_quiet_hours(berlin, QuietHours("Europe/Berlin", time(23), time(6)))
    [found] = await digests.candidates(NOW)
    assert (found.account_id, found.timezone, found.hour, found.hub_name) == (berlin, "Europe/Berlin", 11, None)
    await set_quotes(pg_pool, {(JITA.station_id, TRIT): (4.40, 4.62)})
    history = [HistoryRow(date(2026, 7, 31), 4.5, 4.7, 4.3, 1000, 10), HistoryRow(date(2026, 8, 1), 9, 9, 9, 1, 1)]
    await PgHistoryStore(pg_pool).upsert(JITA.region_id, TRIT, history, etag=None, expires=None)
    prices = await digests.watch_prices(berlin, JITA, date(2026, 8, 1))
    assert [(p.name, p.best_sell, p.previous_average, p.previous_day) for p in prices] == [
        ("Tritanium", 4.62, 4.5, date(2026, 7, 31)),  # the day itself is not "before"
        ("type 35", None, None, None),
    ]
    assert await item_names(pg_pool, [TRIT, 999_999]) == {TRIT: "Tritanium"}
    service = DigestService(digests, clock=lambda: NOW)
    assert await service.run() == 1 and await service.run() == 0
    row = await pg_pool.fetchrow("SELECT * FROM alert_outbox")
    assert row["idempotency_key"] == f"digest:{berlin}:2026-08-01" and row["rule_id"] is None
    assert (row["target_platform"], row["target_kind"], row["target_address"]) == ("discord", "dm", "1234")
    assert (
        row["payload"]["text"].splitlines()[1]
        == "Tritanium: sell 4.62 / buy 4.40 ISK (+2.7% vs 2026-07-31 average 4.50)"
    )
    assert (await watch.digest(berlin)).last_sent_on == date(2026, 8, 1)
    assert await digests.candidates(NOW + timedelta(hours=1)) == []
    assert len(await digests.candidates(NOW + timedelta(days=1))) == 1  # a new local date
