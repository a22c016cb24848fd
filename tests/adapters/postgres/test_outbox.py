"""PgOutbox against real Postgres: dispatch claims, the sending lease, conditional marks, disabling a target."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from adapters.postgres.alerts import PgAlertRules
from adapters.postgres.outbox import PgOutbox
from core.alerts.delivery import ClaimState, Notice
from core.alerts.model import AlertTarget, TargetKind
from tests.adapters.postgres.test_alerts_eval import new_account, spec
from tests.core.alerts.test_message import PRICE

pytestmark = pytest.mark.integration
LEASE = timedelta(seconds=30)
TG_DM = AlertTarget("telegram", TargetKind.DM, "4242")
DC_DM = AlertTarget("discord", TargetKind.DM, "777")
_keys = itertools.count(1)


async def insert_alert(
    pool: asyncpg.Pool,
    account_id: int,
    target: AlertTarget,
    *,
    not_before: datetime | None = None,
    payload: dict[str, Any] | None = None,
    rule_id: int | None = None,
) -> int:
    """An outbox row as the evaluator writes one (PRICE's payload unless given); its id."""
    body = payload if payload is not None else replace(PRICE, account_id=account_id).payload()
    return int(
        await pool.fetchval(
            "INSERT INTO alert_outbox (rule_id, account_id, idempotency_key, payload, target_platform, target_kind,"
            " target_address, not_before) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            rule_id,
            account_id,
            f"test:{next(_keys)}",
            body,
            target.platform,
            target.kind.value,
            target.address,
            not_before,
        )
    )


async def status_of(pool: asyncpg.Pool, outbox_id: int) -> asyncpg.Record:
    """The delivery columns of one row."""
    return await pool.fetchrow(
        "SELECT status, attempts, lease_owner, last_error, delivered_ref, delivered_at, not_before, dispatch_seq"
        " FROM alert_outbox WHERE id = $1",
        outbox_id,
    )


async def test_dispatch_batch_claims_due_rows_once_and_waits_for_not_before(pg_pool: asyncpg.Pool) -> None:
    outbox, now = PgOutbox(pg_pool), datetime.now(UTC)
    account = await new_account(pg_pool)
    due = await insert_alert(pg_pool, account, TG_DM)
    later = await insert_alert(pg_pool, account, DC_DM, not_before=now + timedelta(hours=1))
    async with outbox.dispatch_batch(now, timedelta(minutes=10)) as rows:
        assert [(r.outbox_id, r.platform, r.seq) for r in rows] == [(due, "telegram", 1)]
    assert (await status_of(pg_pool, due))["status"] == "queued"
    async with outbox.dispatch_batch(now, timedelta(minutes=10)) as rows:
        assert rows == []
    async with outbox.dispatch_batch(now + timedelta(hours=1), timedelta(hours=2)) as rows:
        assert [r.outbox_id for r in rows] == [later]


async def test_a_failed_dispatch_rolls_back_and_a_stuck_row_is_queued_again(pg_pool: asyncpg.Pool) -> None:
    outbox, now = PgOutbox(pg_pool), datetime.now(UTC)
    row = await insert_alert(pg_pool, await new_account(pg_pool), TG_DM)
    with pytest.raises(RuntimeError):
        async with outbox.dispatch_batch(now, timedelta(minutes=10)) as rows:
            assert len(rows) == 1
            raise RuntimeError("crash midway")
    assert (await status_of(pg_pool, row))["status"] == "pending"
    async with outbox.dispatch_batch(now, timedelta(minutes=10)) as rows:
        assert [r.seq for r in rows] == [1]
    async with outbox.dispatch_batch(now + timedelta(minutes=11), timedelta(minutes=10)) as rows:
        assert [(r.outbox_id, r.seq) for r in rows] == [(row, 2)]


async def test_the_lease_lets_one_deliverer_send_and_marks_are_conditional(pg_pool: asyncpg.Pool) -> None:
    outbox = PgOutbox(pg_pool)
    row = await insert_alert(pg_pool, await new_account(pg_pool), TG_DM)
    claim = await outbox.begin_send(row, "a", LEASE)
    assert claim.state is ClaimState.CLAIMED and claim.message is not None
    assert (claim.message.target, claim.message.attempts, claim.message.payload["kind"]) == (TG_DM, 1, "price")
    assert (await outbox.begin_send(row, "b", LEASE)).state is ClaimState.BUSY
    assert not await outbox.mark_sent(row, "b", "x")
    assert await outbox.mark_sent(row, "a", "m-1")
    stored = await status_of(pg_pool, row)
    assert (stored["status"], stored["delivered_ref"], stored["lease_owner"]) == ("sent", "m-1", None)
    assert stored["delivered_at"] is not None
    assert (await outbox.begin_send(row, "b", LEASE)).state is ClaimState.DONE


async def test_an_expired_lease_is_taken_over(pg_pool: asyncpg.Pool) -> None:
    outbox = PgOutbox(pg_pool)
    row = await insert_alert(pg_pool, await new_account(pg_pool), TG_DM)
    await outbox.begin_send(row, "dead", timedelta(0))
    claim = await outbox.begin_send(row, "b", LEASE)
    assert claim.state is ClaimState.CLAIMED and claim.message is not None and claim.message.attempts == 2
    assert not await outbox.mark_sent(row, "dead", None)


async def test_retry_later_and_failed(pg_pool: asyncpg.Pool) -> None:
    outbox, later = PgOutbox(pg_pool), datetime.now(UTC) + timedelta(minutes=5)
    account = await new_account(pg_pool)
    retry, fail = await insert_alert(pg_pool, account, TG_DM), await insert_alert(pg_pool, account, DC_DM)
    for row in (retry, fail):
        await outbox.begin_send(row, "a", LEASE)
    assert await outbox.retry_later(retry, "a", later, "timeout")
    stored = await status_of(pg_pool, retry)
    assert (stored["status"], stored["not_before"], stored["last_error"]) == ("pending", later, "timeout")
    assert (await outbox.begin_send(retry, "a", LEASE)).state is ClaimState.DONE  # not due yet
    assert await outbox.mark_failed(fail, "a", "x" * 900)
    stored = await status_of(pg_pool, fail)
    assert stored["status"] == "failed" and len(stored["last_error"]) == 500


async def test_disabling_a_target_pauses_its_rules_drops_its_rows_and_writes_one_notice(pg_pool: asyncpg.Pool) -> None:
    outbox, rules = PgOutbox(pg_pool), PgAlertRules(pg_pool)
    account = await new_account(pg_pool)
    await pg_pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id) VALUES ('discord', '777', $1)", account
    )
    telegram_rule = await rules.add(account, replace(spec(), target=TG_DM))
    mail = AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")
    mail_rule = await rules.add(account, replace(spec(), target=mail))
    row = await insert_alert(pg_pool, account, TG_DM, rule_id=telegram_rule.id)
    queued_too = await insert_alert(pg_pool, account, AlertTarget("telegram", TargetKind.CHAT, "4242"))
    candidates = await outbox.notice_candidates(account, {"discord", "telegram", "email"})
    assert candidates == [DC_DM, mail, TG_DM]
    await outbox.begin_send(row, "a", LEASE)
    notice = Notice(DC_DM, f"notice:{row}", {"notice": "paused", "account_id": account})
    assert await outbox.disable_target(row, "a", "the bot was blocked by the user", notice)
    assert (await status_of(pg_pool, row))["status"] == "disabled"
    assert (await status_of(pg_pool, queued_too))["status"] == "disabled"
    assert [(r.id, r.active) for r in await rules.list_for(account)] == [
        (telegram_rule.id, False),
        (mail_rule.id, True),
    ]
    notices = await pg_pool.fetch("SELECT * FROM alert_outbox WHERE idempotency_key = $1", f"notice:{row}")
    assert [(n["target_platform"], n["target_address"], n["status"], n["payload"]) for n in notices] == [
        ("discord", "777", "pending", {"notice": "paused", "account_id": account})
    ]
    assert not await outbox.disable_target(row, "a", "again", notice)  # the lease is gone: nothing changes twice
