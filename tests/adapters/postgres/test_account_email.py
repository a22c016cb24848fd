"""PgAccountEmail on real Postgres: pending then verified, single-use hashed tokens, expiry, quota, change, remove."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from adapters.postgres.account_email import PgAccountEmail
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.watchlist import PgWatchlist
from core.accounts.email import MAIL_COOLDOWN, TokenStatus, TooManyMails, issue_token
from core.alerts.model import AlertTarget, TargetKind
from core.alerts.rules import parse_rule
from tests.adapters.postgres.test_alerts_eval import new_account

pytestmark = pytest.mark.integration

NOW = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)


def _mail(address: str) -> AlertTarget:
    return AlertTarget("email", TargetKind.EMAIL, address)


async def _verify(store: PgAccountEmail, account: int, address: str, now: datetime = NOW) -> None:
    token = issue_token(now)
    await store.start(account, address, token, now)
    assert (await store.confirm(token.token_hash, now)).status is TokenStatus.VALID


async def test_an_address_is_pending_until_its_single_use_token_is_confirmed(pg_pool: asyncpg.Pool) -> None:
    store, me = PgAccountEmail(pg_pool), await new_account(pg_pool)
    assert (await store.get(me)).address is None and await store.verified_address(me) is None
    token = issue_token(NOW)
    await store.start(me, "pilot@example.org", token, NOW)
    state = await store.get(me)
    assert (state.address, state.pending_address, state.pending_expires_at) == (
        None,
        "pilot@example.org",
        token.expires_at,
    )
    assert await store.verified_address(me) is None  # pending is not verified
    stored = await pg_pool.fetchrow("SELECT * FROM account_emails WHERE account_id = $1", me)
    assert stored["token_hash"] == token.token_hash and token.token not in str(dict(stored))  # only the hash is kept
    peeked = await store.peek(token.token_hash, NOW)
    assert (peeked.status, peeked.account_id, peeked.address) == (TokenStatus.VALID, me, "pilot@example.org")
    assert await store.verified_address(me) is None  # looking does not verify
    done = await store.confirm(token.token_hash, NOW + timedelta(hours=1))
    assert (done.status, done.account_id, done.address) == (TokenStatus.VALID, me, "pilot@example.org")
    assert await store.verified_address(me) == "pilot@example.org"
    assert (await store.get(me)).verified_at == NOW + timedelta(hours=1)
    assert (await store.confirm(token.token_hash, NOW)).status is TokenStatus.UNKNOWN  # single use
    assert (await store.peek(token.token_hash, NOW)).status is TokenStatus.UNKNOWN


async def test_expired_and_replaced_tokens_do_not_verify(pg_pool: asyncpg.Pool) -> None:
    store, me = PgAccountEmail(pg_pool), await new_account(pg_pool)
    old = issue_token(NOW)
    await store.start(me, "pilot@example.org", old, NOW)
    later = NOW + timedelta(hours=24)
    assert (await store.confirm(old.token_hash, later)).status is TokenStatus.EXPIRED
    assert await store.verified_address(me) is None
    new = issue_token(later)
    assert await store.resend(me, new, later) == "pilot@example.org"
    assert (await store.confirm(old.token_hash, later)).status is TokenStatus.UNKNOWN  # replaced by the new mail
    assert (await store.confirm(new.token_hash, later)).status is TokenStatus.VALID
    other = await new_account(pg_pool)
    assert await store.resend(other, issue_token(NOW), NOW) is None  # nothing waits
    assert (await store.confirm(issue_token(NOW).token_hash, NOW)).status is TokenStatus.UNKNOWN


async def test_the_mail_quota_holds_under_concurrency_and_survives_removal(pg_pool: asyncpg.Pool) -> None:
    store, me = PgAccountEmail(pg_pool), await new_account(pg_pool)
    results = await asyncio.gather(
        *(store.start(me, f"p{i}@example.org", issue_token(NOW), NOW) for i in range(4)), return_exceptions=True
    )
    assert sum(r is None for r in results) == 1 and sum(isinstance(r, TooManyMails) for r in results) == 3
    assert await store.remove(me) and not await store.remove(me)
    with pytest.raises(TooManyMails):  # remove-and-add again does not reset the count
        await store.start(me, "pilot@example.org", issue_token(NOW), NOW + timedelta(seconds=5))
    moment = NOW
    for _ in range(4):
        moment += MAIL_COOLDOWN
        await store.start(me, "pilot@example.org", issue_token(moment), moment)
    with pytest.raises(TooManyMails, match="hours"):  # five in a day
        await store.start(me, "pilot@example.org", issue_token(moment), moment + MAIL_COOLDOWN)
    assert (await store.get(me)).quota.mails_sent == 5


async def test_a_change_keeps_the_verified_address_until_confirmed_then_rules_follow(pg_pool: asyncpg.Pool) -> None:
    store, me = PgAccountEmail(pg_pool), await new_account(pg_pool)
    await _verify(store, me, "old@example.org")
    rules, watchlist = PgAlertRules(pg_pool), PgWatchlist(pg_pool)
    spec = parse_rule(kind="price", region_id=10000002, type_id=34, target=_mail("old@example.org"), threshold=4.5,
                      location_id=60003760, side="sell", direction="below")  # fmt: skip
    await rules.add(me, spec)
    await watchlist.set_digest(me, True, 8, _mail("old@example.org"))
    change = issue_token(NOW + MAIL_COOLDOWN)
    await store.start(me, "new@example.org", change, NOW + MAIL_COOLDOWN)
    assert await store.verified_address(me) == "old@example.org"  # still working while the new one waits
    assert await store.cancel_pending(me) and not await store.cancel_pending(me)
    assert (await store.confirm(change.token_hash, NOW)).status is TokenStatus.UNKNOWN
    await _verify(store, me, "new@example.org", NOW + 2 * MAIL_COOLDOWN)
    assert await store.verified_address(me) == "new@example.org"
    [rule] = await rules.list_for(me)
    assert rule.spec.target == _mail("new@example.org") and rule.active
    assert (await watchlist.digest(me)).target == _mail("new@example.org")


async def test_remove_pauses_mail_rules_stops_the_digest_and_drops_unsent_mail(pg_pool: asyncpg.Pool) -> None:
    store, me, other = PgAccountEmail(pg_pool), await new_account(pg_pool), await new_account(pg_pool)
    await _verify(store, me, "pilot@example.org")
    rules, watchlist = PgAlertRules(pg_pool), PgWatchlist(pg_pool)
    for account, target in ((me, _mail("pilot@example.org")), (me, AlertTarget("discord", TargetKind.DM, "5"))):
        spec = parse_rule(kind="spread", region_id=10000002, type_id=34, target=target, threshold=5,
                          location_id=60003760, direction="above")  # fmt: skip
        await rules.add(account, spec)
    await watchlist.set_digest(me, True, 8, _mail("pilot@example.org"))
    for key, account, status in (("a", me, "pending"), ("b", me, "sent"), ("c", other, "pending")):
        await pg_pool.execute(
            "INSERT INTO alert_outbox (account_id, idempotency_key, payload, target_platform, target_kind,"
            " target_address, status) VALUES ($1, $2, '{}', 'email', 'email', 'pilot@example.org', $3)",
            account,
            key,
            status,
        )
    assert await store.remove(me)
    assert await store.verified_address(me) is None and (await store.get(me)).pending_address is None
    assert [(r.spec.target.kind, r.active) for r in await rules.list_for(me)] == [
        (TargetKind.EMAIL, False),
        (TargetKind.DM, True),
    ]
    assert not (await watchlist.digest(me)).enabled
    statuses = dict(await pg_pool.fetch("SELECT idempotency_key, status FROM alert_outbox ORDER BY 1"))
    assert statuses == {"a": "disabled", "b": "sent", "c": "pending"}
