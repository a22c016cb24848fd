"""SmtpAlertSender (aiosmtplib) against SmtpFake: the alert mail's headers and body, SMTP_URL parsing, outcomes."""

from __future__ import annotations

import pytest

from adapters.mail import MailSettings, MailSettingsError, SmtpAlertSender
from core.alerts.delivery import AlertText, Delivered, Rejected, TargetGone, TransientFailure, nonce_for
from core.alerts.model import AlertTarget, TargetKind
from fakes.smtp import SmtpFake

SENDER = "EVE Trader <alerts@evetrader.test>"
TEXT = AlertText(
    "EVE Trader alert: Tritanium price",
    "Tritanium sell at Jita fell below 4.50 ISK: now 4.31 (-4.2%), as of 12:05 UTC, data 3 min old",
    nonce_for(7),
)
PILOT = AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")


def test_smtp_url_parsing() -> None:
    plain = MailSettings.from_url("smtp://bot:p%40ss@mail.example.org:587?starttls=true", SENDER)
    assert (plain.host, plain.port, plain.username, plain.password) == ("mail.example.org", 587, "bot", "p@ss")
    assert (plain.use_tls, plain.start_tls, plain.sender_address) == (False, True, "alerts@evetrader.test")
    assert "p@ss" not in repr(plain)
    implicit = MailSettings.from_url("smtps://mail.example.org", SENDER)
    assert (implicit.port, implicit.use_tls, implicit.start_tls, implicit.username) == (465, True, False, None)
    assert MailSettings.from_url("smtp://mail.example.org", SENDER).start_tls is None  # when offered
    for url, sender in [("http://x", SENDER), ("smtp://x?starttls=maybe", SENDER), ("smtp://x", "nobody")]:
        with pytest.raises(MailSettingsError):
            MailSettings.from_url(url, sender)


async def test_an_alert_mail_has_subject_plain_body_from_and_to() -> None:
    async with SmtpFake(credentials=("bot", "s3cret")) as fake:
        sender = SmtpAlertSender(MailSettings.from_url(fake.url, SENDER, timeout_s=5))
        outcome = await sender.send(PILOT, TEXT)
        [mail] = await fake.wait_for(1)
    assert isinstance(outcome, Delivered) and outcome.ref == mail.message["Message-ID"]
    assert (mail.mail_from, mail.rcpt_tos, mail.login) == ("alerts@evetrader.test", ["pilot@example.org"], "bot")
    message = mail.message
    assert (message["From"], message["To"], message["Subject"]) == (SENDER, "pilot@example.org", TEXT.subject)
    assert message.get_content_type() == "text/plain" and mail.body == TEXT.body + "\n"
    assert message["Message-ID"].endswith("@evetrader.test>") and message["Date"]


async def test_smtp_failures_become_outcomes() -> None:
    async with SmtpFake() as fake:
        sender = SmtpAlertSender(MailSettings.from_url(fake.url, SENDER, timeout_s=5))
        fake.refuse("gone@example.org")
        gone = await sender.send(AlertTarget("email", TargetKind.EMAIL, "gone@example.org"), TEXT)
        fake.refuse("busy@example.org", 450, "4.2.1 Mailbox busy")
        busy = await sender.send(AlertTarget("email", TargetKind.EMAIL, "busy@example.org"), TEXT)
        fake.fail_next(451)
        deferred = await sender.send(PILOT, TEXT)
        not_mail = await sender.send(AlertTarget("discord", TargetKind.DM, "1"), TEXT)
        port = fake.port
    assert isinstance(gone, TargetGone) and gone.reason == "the mail server refused the address"
    assert isinstance(busy, TransientFailure) and isinstance(deferred, TransientFailure)
    assert isinstance(not_mail, Rejected)
    closed = SmtpAlertSender(MailSettings.from_url(f"smtp://127.0.0.1:{port}", SENDER, timeout_s=2))
    assert isinstance(await closed.send(PILOT, TEXT), TransientFailure)
