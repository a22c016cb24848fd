"""PgAlertRules against real Postgres: add/list/remove own rules, the atomic per-account limit, preferences."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import asyncpg
import pytest

from adapters.postgres.alerts import PgAlertRules, evaluate_region
from core.alerts.model import AlertKind, QuietHours, RuleError, RuleLimitReached
from core.alerts.rules import DEFAULT_MAX_RULES
from tests.adapters.postgres.test_alerts_eval import FORGE, JITA, TRIT, new_account, set_quotes, spec

pytestmark = pytest.mark.integration


async def test_add_list_and_remove_only_your_own(pg_pool: asyncpg.Pool) -> None:
    repo = PgAlertRules(pg_pool)
    alice, bob = await new_account(pg_pool), await new_account(pg_pool)
    first = await repo.add(alice, spec())
    second = await repo.add(alice, spec(AlertKind.SPREAD, side=None, threshold=12.5, hysteresis=2.5))
    theirs = await repo.add(bob, spec(cooldown=timedelta(minutes=30)))
    assert [r.id for r in await repo.list_for(alice)] == [first.id, second.id]
    assert second.spec == spec(AlertKind.SPREAD, side=None, threshold=12.5, hysteresis=2.5)
    assert (first.active, first.armed, first.last_fired_at, first.last_value) == (True, True, None, None)
    assert theirs.spec.cooldown == timedelta(minutes=30)
    assert not await repo.remove(alice, theirs.id)
    assert not await repo.set_active(alice, theirs.id, False)
    assert [r.id for r in await repo.list_for(bob)] == [theirs.id]
    assert await repo.remove(alice, first.id)
    assert not await repo.remove(alice, first.id)
    assert [r.id for r in await repo.list_for(alice)] == [second.id]


async def test_removing_a_rule_disables_its_pending_alerts(pg_pool: asyncpg.Pool) -> None:
    repo = PgAlertRules(pg_pool)
    account = await new_account(pg_pool)
    rule = await repo.add(account, spec())
    await set_quotes(pg_pool, {(JITA, TRIT): (4.0, 4.2)})
    now = datetime(2026, 8, 1, 12, tzinfo=UTC)
    assert len(await evaluate_region(pg_pool, FORGE, now, now)) == 1
    assert await repo.remove(account, rule.id)
    row = await pg_pool.fetchrow("SELECT rule_id, status FROM alert_outbox")
    assert (row["rule_id"], row["status"]) == (None, "disabled")


async def test_the_rule_limit_holds_under_concurrent_adds(pg_pool: asyncpg.Pool) -> None:
    repo = PgAlertRules(pg_pool)
    account = await new_account(pg_pool)
    assert (await repo.preferences(account)).max_rules == DEFAULT_MAX_RULES
    await repo.set_max_rules(account, 3)
    outcomes = await asyncio.gather(*(repo.add(account, spec()) for _ in range(6)), return_exceptions=True)
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 3
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(e, RuleLimitReached) for e in errors)
    assert str(errors[0]) == "you have 3 alert rules and the limit is 3: remove one first"
    assert len(await repo.list_for(account)) == 3
    other = await new_account(pg_pool)
    await repo.add(other, spec())  # another account's limit is its own


async def test_add_rejects_invalid_specs_and_unknown_accounts(pg_pool: asyncpg.Pool) -> None:
    repo = PgAlertRules(pg_pool)
    account = await new_account(pg_pool)
    with pytest.raises(RuleError, match="hysteresis"):
        await repo.add(account, spec(threshold=1.0, hysteresis=2.0))
    with pytest.raises(RuleError, match="unknown account"):
        await repo.add(account + 1000, spec())
    assert await repo.list_for(account) == []


async def test_quiet_hours_and_pausing_round_trip(pg_pool: asyncpg.Pool) -> None:
    repo = PgAlertRules(pg_pool)
    account = await new_account(pg_pool)
    quiet = QuietHours("Europe/Berlin", time(0), time(7, 30))  # midnight is a valid start
    await repo.set_quiet_hours(account, quiet)
    assert (await repo.preferences(account)).quiet == quiet
    await repo.set_quiet_hours(account, None)
    assert (await repo.preferences(account)).quiet is None
    zone = await pg_pool.fetchval("SELECT timezone FROM alert_preferences WHERE account_id = $1", account)
    assert zone == "Europe/Berlin"  # turning quiet hours off keeps the zone the daily digest is timed in
    rule = await repo.add(account, spec())
    await pg_pool.execute("UPDATE alert_rules SET armed = false WHERE id = $1", rule.id)
    assert await repo.set_active(account, rule.id, False)
    assert await repo.set_active(account, rule.id, True)
    (stored,) = await repo.list_for(account)
    assert (stored.active, stored.armed) == (True, True)


async def test_order_alerts_need_a_linked_character(pg_pool: asyncpg.Pool) -> None:
    repo = PgAlertRules(pg_pool)
    account = await new_account(pg_pool)
    undercut = spec(AlertKind.ORDER_UNDERCUT, side=None, threshold=1.0, location_id=None)
    with pytest.raises(RuleError, match="linked EVE character"):
        await repo.add(account, undercut)
    await pg_pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES (90000001, $1, 'Trader', 'o')",
        account,
    )
    assert (await repo.add(account, undercut)).spec.kind is AlertKind.ORDER_UNDERCUT
