"""Account e-mail policy: address checks and their messages, masking, tokens (hashed, shaped, 24 h), the mail quota."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.accounts.email import (
    MAIL_COOLDOWN,
    MAIL_WINDOW,
    MAILS_PER_WINDOW,
    EmailInvalid,
    MailQuota,
    TokenStatus,
    TooManyMails,
    after_mail,
    hash_token,
    issue_token,
    mail_wait,
    mask_address,
    normalize_address,
    same_address,
    token_looks_valid,
    token_status,
    verification_link,
    verification_mail,
)

NOW = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Pilot@Example.ORG ", "Pilot@example.org"),  # trimmed, domain lower-cased, local part kept
        ("first.last+eve@mail.example.co.uk", "first.last+eve@mail.example.co.uk"),
        ("pilot@bücher.example", "pilot@xn--bcher-kva.example"),  # IDN domains as punycode
        ("pilot@example.org.", "pilot@example.org"),
    ],
)
def test_good_addresses_are_normalised(raw: str, expected: str) -> None:
    assert normalize_address(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "enter an e-mail address"),
        ("pilot", "looks like name@example.org"),
        ("@example.org", "looks like name@example.org"),
        ("pilot@", "looks like name@example.org"),
        ("pi lot@example.org", "no spaces"),
        ("pilot@localhost", "not a domain that can receive mail"),
        ("pilot@exa_mple.org", "not a domain that can receive mail"),
        ("pilot@-example.org", "not a domain that can receive mail"),
        ("pilot@10.0.0.1", "not a domain that can receive mail"),
        ("pi..lot@example.org", "letters, digits, dots"),
        (".pilot@example.org", "letters, digits, dots"),
        ("pilöt@example.org", "letters, digits, dots"),
        ("<pilot@example.org>", "letters, digits, dots"),
        ("a" * 65 + "@example.org", "letters, digits, dots"),
        ("pilot@" + "a" * 250 + ".org", "at most 254 characters"),
        ("pilot@example.org\r\nBcc: x@y.org", "no spaces"),  # no header injection through the address
    ],
)
def test_bad_addresses_say_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(EmailInvalid, match=message):
        normalize_address(raw)


def test_same_address_ignores_case_and_mask_hides_the_local_part() -> None:
    assert same_address("Pilot@Example.org", "pilot@example.org") and not same_address("a@example.org", None)
    assert not same_address("a@example.org", "b@example.org")
    assert mask_address("pilot@example.org") == "p***t@example.org"
    assert mask_address("ab@example.org") == "a***@example.org" and mask_address("a@x.org") == "a***@x.org"


def test_tokens_are_random_hashed_shaped_and_valid_for_24_hours() -> None:
    first, second = issue_token(NOW), issue_token(NOW)
    assert first.token != second.token and token_looks_valid(first.token)
    assert first.token_hash == hash_token(first.token) and len(first.token_hash) == 32
    assert first.token.encode() not in first.token_hash and first.expires_at == NOW + timedelta(hours=24)
    for bad in ("", "short", first.token + "x", first.token[:-1] + "/", "../" * 15):
        assert not token_looks_valid(bad), bad
    assert token_status(first.expires_at, NOW + timedelta(hours=23, minutes=59)) is TokenStatus.VALID
    assert token_status(first.expires_at, NOW + timedelta(hours=24)) is TokenStatus.EXPIRED
    assert token_status(None, NOW) is TokenStatus.UNKNOWN


def test_the_mail_carries_the_link_and_says_how_long_it_works() -> None:
    link = verification_link("https://panel.example.org/", "T" * 43)
    assert link == "https://panel.example.org/email/verify/" + "T" * 43
    subject, body = verification_mail(link)
    assert "evetrader" in subject and link in body and "24 hours" in body and "ignore this mail" in body


def test_the_quota_allows_a_mail_a_minute_and_five_a_day() -> None:
    quota = MailQuota()
    assert mail_wait(quota, NOW) == timedelta(0)
    quota = after_mail(quota, NOW)
    assert (quota.mails_sent, quota.window_start) == (1, NOW)
    assert mail_wait(quota, NOW + timedelta(seconds=20)) == MAIL_COOLDOWN - timedelta(seconds=20)
    moment = NOW
    for _ in range(MAILS_PER_WINDOW - 1):
        moment += MAIL_COOLDOWN
        assert mail_wait(quota, moment) == timedelta(0)
        quota = after_mail(quota, moment)
    later = moment + timedelta(hours=1)
    assert quota.mails_sent == MAILS_PER_WINDOW and mail_wait(quota, later) == NOW + MAIL_WINDOW - later
    assert str(TooManyMails(mail_wait(quota, later))).endswith("try again in 23 hours")  # 22 h 56 min, rounded up
    assert str(TooManyMails(timedelta(minutes=90))).endswith("try again in 90 minutes")
    assert mail_wait(quota, NOW + MAIL_WINDOW) == timedelta(0)
    fresh = after_mail(quota, NOW + MAIL_WINDOW)
    assert (fresh.mails_sent, fresh.window_start) == (1, NOW + MAIL_WINDOW)
    assert str(TooManyMails(timedelta(seconds=10))).endswith("try again in 1 minute")
