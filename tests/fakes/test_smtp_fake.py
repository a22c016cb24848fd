"""SmtpFake with a plain SMTP client (stdlib smtplib in a thread): it records accepted mail, demands the login it
was given, refuses scripted recipients and fails scripted DATA."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

import pytest

from fakes.smtp import SmtpFake


def _mail(to: str = "pilot@example.org") -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "alerts@evetrader.test", to, "Hello"
    mail.set_content("Tritanium fell below 4.50 ISK\n")
    return mail


def _send(port: int, mail: EmailMessage, login: tuple[str, str] | None = None) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
        if login:
            client.login(*login)
        client.send_message(mail)


async def test_it_records_the_envelope_and_the_parsed_message() -> None:
    async with SmtpFake() as fake:
        await asyncio.to_thread(_send, fake.port, _mail())
        [received] = await fake.wait_for(1)
    assert (received.mail_from, received.rcpt_tos, received.login) == (
        "alerts@evetrader.test",
        ["pilot@example.org"],
        None,
    )
    assert received.message["Subject"] == "Hello" and received.body == "Tritanium fell below 4.50 ISK\n"
    assert fake.url == f"smtp://127.0.0.1:{fake.port}?starttls=false"


async def test_it_requires_its_credentials() -> None:
    async with SmtpFake(credentials=("bot", "s3cret")) as fake:
        with pytest.raises(smtplib.SMTPSenderRefused):  # no AUTH: MAIL FROM is refused with 530
            await asyncio.to_thread(_send, fake.port, _mail())
        with pytest.raises(smtplib.SMTPAuthenticationError):
            await asyncio.to_thread(_send, fake.port, _mail(), ("bot", "wrong"))
        await asyncio.to_thread(_send, fake.port, _mail(), ("bot", "s3cret"))
        [received] = await fake.wait_for(1)
    assert received.login == "bot" and fake.url.startswith("smtp://bot:s3cret@127.0.0.1:")


async def test_scripted_refusals_and_failures() -> None:
    async with SmtpFake() as fake:
        fake.refuse("gone@example.org")
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            await asyncio.to_thread(_send, fake.port, _mail("gone@example.org"))
        assert refused.value.recipients["gone@example.org"][0] == 550
        fake.fail_next(451)
        with pytest.raises(smtplib.SMTPDataError) as failed:
            await asyncio.to_thread(_send, fake.port, _mail())
        assert failed.value.smtp_code == 451
        await asyncio.to_thread(_send, fake.port, _mail())
        assert len(await fake.wait_for(1)) == 1
