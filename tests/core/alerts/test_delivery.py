"""The delivery policy: outcomes -> sent / wait / retry with backoff / fail / disable; texts; notices to elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.alerts.delivery import (
    Action,
    Delivered,
    OutboxMessage,
    RateLimited,
    Rejected,
    RetryPolicy,
    TargetGone,
    TransientFailure,
    backoff,
    build_notice,
    compose,
    decide,
    identity_targets,
    nonce_for,
    notice_target,
)
from core.alerts.model import AlertTarget, TargetKind
from tests.core.alerts.test_message import AS_OF, PRICE

NOW = AS_OF + timedelta(minutes=2)
POLICY = RetryPolicy(max_attempts=4, base_backoff=timedelta(seconds=10), max_backoff=timedelta(seconds=60))
TG_DM = AlertTarget("telegram", TargetKind.DM, "4242")
DC_DM = AlertTarget("discord", TargetKind.DM, "777")
DC_CHANNEL = AlertTarget("discord", TargetKind.CHANNEL, "998877")
MAIL = AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")


def row(payload: dict[str, object] | None = None, target: AlertTarget = TG_DM, attempts: int = 1) -> OutboxMessage:
    """An outbox row carrying PRICE's payload unless given another."""
    body = PRICE.payload() if payload is None else payload
    return OutboxMessage(7, "3@2026-08-01", 1, 3, body, target, attempts)


def test_a_delivered_send_is_marked_sent_with_its_ref() -> None:
    decision = decide(Delivered("m1"), 1, NOW, POLICY)
    assert (decision.action, decision.ref) == (Action.SENT, "m1")


def test_transient_failures_back_off_exponentially_then_give_up() -> None:
    waits = [decide(TransientFailure("timeout"), n, NOW, POLICY).retry_at for n in (1, 2, 3)]
    assert waits == [NOW + timedelta(seconds=s) for s in (10, 20, 40)]
    assert backoff(9, POLICY) == timedelta(seconds=60)
    last = decide(TransientFailure("timeout"), 4, NOW, POLICY)
    assert last.action is Action.FAIL and "gave up after 4 attempts" in (last.error or "")


def test_a_short_429_is_waited_out_in_place_a_few_times_then_rescheduled() -> None:
    first = decide(RateLimited(2.5), 1, NOW, POLICY, inline_waits=0)
    assert (first.action, first.wait_s) == (Action.WAIT, 2.5)
    again = decide(RateLimited(2.5), 1, NOW, POLICY, inline_waits=POLICY.max_inline_waits)
    assert (again.action, again.retry_at) == (Action.RETRY, NOW + timedelta(seconds=2.5))


def test_a_long_429_is_rescheduled_and_never_exhausts_the_attempts() -> None:
    decision = decide(RateLimited(600), 99, NOW, POLICY)
    assert (decision.action, decision.retry_at) == (Action.RETRY, NOW + timedelta(seconds=600))


def test_a_gone_target_is_disabled_and_a_rejected_message_fails() -> None:
    assert decide(TargetGone("the bot was blocked"), 1, NOW).action is Action.DISABLE
    assert decide(Rejected("bad request"), 1, NOW).action is Action.FAIL


def test_a_fired_alert_is_composed_with_the_item_name_and_a_stable_nonce() -> None:
    text = compose(row(), {34: "Tritanium"}.get, NOW)
    assert text.body == "Tritanium sell at Jita fell below 4.50 ISK: now 4.31 (-4.2%), as of 12:05 UTC, data 2 min old"
    assert text.subject == "EVE Trader alert: Tritanium price"
    assert text.nonce == nonce_for(7) == "evt-alert-7" and len(text.nonce) <= 25
    unknown = compose(row(), None, NOW)
    assert unknown.body.startswith("type 34 sell at Jita")


@pytest.mark.parametrize(
    ("payload", "subject", "body"),
    [
        ({"notice": "Alerts are paused"}, "EVE Trader: alert delivery paused", "Alerts are paused"),
        ({"text": "Your digest", "subject": "Daily digest"}, "Daily digest", "Your digest"),
        ({"kind": "order_filled", "order_id": 5}, "EVE Trader alert", "Your order filled alert fired."),
    ],
)
def test_notices_pre_rendered_texts_and_unknown_payloads(payload: dict[str, object], subject: str, body: str) -> None:
    text = compose(row(payload), None, NOW)
    assert (text.subject, text.body) == (subject, body)


def test_identities_become_dm_targets_on_deliverable_platforms_only() -> None:
    found = identity_targets([("discord", "777"), ("console", "me"), ("telegram", "4242")], {"discord", "telegram"})
    assert found == [DC_DM, AlertTarget("telegram", TargetKind.DM, "4242")]


def test_the_notice_goes_to_another_place_on_a_platform_we_deliver_to() -> None:
    telegram_chat = AlertTarget("telegram", TargetKind.CHAT, "4242")  # the same private chat as TG_DM
    assert notice_target(TG_DM, [telegram_chat, MAIL, DC_DM], {"telegram", "discord"}) == DC_DM
    assert notice_target(TG_DM, [telegram_chat], {"telegram", "discord"}) is None


def test_build_notice_names_the_failed_target_and_the_reason() -> None:
    notice = build_notice(row(), "the bot was blocked by the user", [TG_DM, DC_DM], {"telegram", "discord"})
    assert notice is not None and notice.target == DC_DM and notice.idempotency_key == "notice:7"
    assert notice.payload["notice"].startswith(
        "Alerts to your Telegram direct messages are paused: the bot was blocked by the user."
    )
    channel = build_notice(row(target=DC_CHANNEL), "the channel no longer exists", [DC_DM], {"discord"})
    assert channel is not None and "Discord channel 998877" in channel.payload["notice"]


def test_a_failed_notice_causes_no_further_notice() -> None:
    assert build_notice(row({"notice": "paused"}), "blocked", [DC_DM], {"discord", "telegram"}) is None


def test_the_policy_keeps_utc_datetimes() -> None:
    decision = decide(TransientFailure("x"), 1, datetime(2026, 1, 1, tzinfo=UTC))
    assert decision.retry_at is not None and decision.retry_at.tzinfo is UTC


def test_a_fired_alert_carries_its_rule_buttons_and_a_notice_none() -> None:
    actions = [button.action for button in compose(row(), None, NOW).buttons]
    assert actions == ["alert snooze 3 60", "alert pause 3", "alert remove 3"]
    assert compose(row({"notice": "paused"}), None, NOW).buttons == ()
