"""The e-mail AlertSender: one plain-text message per alert over SMTP, SMTP replies turned into delivery outcomes."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from adapters.mail.settings import MailSettings
from core.alerts.delivery import (
    AlertText,
    Delivered,
    Rejected,
    SendOutcome,
    TargetGone,
    TransientFailure,
)
from core.alerts.model import AlertTarget, TargetKind


def message_id(nonce: str, sender_address: str) -> str:
    """A Message-ID stable per outbox row (a resend after a crash carries the same one, so clients can dedupe)."""
    domain = sender_address.rpartition("@")[2] or "evetrader.local"
    return f"<{hashlib.sha256(nonce.encode()).hexdigest()[:32]}@{domain}>"


def build_mail(settings: MailSettings, to: str, text: AlertText) -> EmailMessage:
    """The message: From, To, Subject, Date, a stable Message-ID and the alert as the plain-text body."""
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = to
    mail["Subject"] = text.subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = message_id(text.nonce, settings.sender_address)
    mail.set_content(text.body + "\n")
    return mail


def outcome_of_error(exc: aiosmtplib.SMTPException) -> SendOutcome:
    """A delivery outcome for an SMTP failure: 5xx for the recipient disables it, 4xx and network errors retry."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in exc.recipients]
        if codes and all(code >= 500 for code in codes):
            return TargetGone("the mail server refused the address")
        return TransientFailure(f"recipient deferred ({', '.join(map(str, codes))})")
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return TargetGone("the mail server refused the address") if exc.code >= 500 else TransientFailure("deferred")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return TransientFailure("the mail server refused our login")
    if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code >= 500:
        return Rejected(f"the mail server rejected the message ({exc.code})")
    return TransientFailure(f"mail server unavailable ({type(exc).__name__})")


class SmtpAlertSender:
    """AlertSender for e-mail targets; one SMTP connection per message (alerts are few and far between)."""

    platform = "email"

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    async def send(self, target: AlertTarget, text: AlertText) -> SendOutcome:
        """Send one alert mail to the target's address."""
        if target.kind is not TargetKind.EMAIL:
            return Rejected(f"not an e-mail target: {target.kind.value}")
        s = self.settings
        mail = build_mail(s, target.address, text)
        try:
            await aiosmtplib.send(
                mail,
                sender=s.sender_address,
                recipients=[target.address],
                hostname=s.host,
                port=s.port,
                username=s.username,
                password=s.password,
                use_tls=s.use_tls,
                start_tls=s.start_tls,
                timeout=s.timeout_s,
            )
        except aiosmtplib.SMTPException as exc:
            return outcome_of_error(exc)
        except OSError as exc:
            return TransientFailure(f"mail server unreachable ({type(exc).__name__})")
        return Delivered(str(mail["Message-ID"]))
