"""SmtpFake: a local SMTP server (aiosmtpd, on the test's own event loop) that records every message it accepts.

It speaks real ESMTP on 127.0.0.1 (port 0 by default): optional AUTH PLAIN/LOGIN without TLS (`credentials`),
recipients refused with a scripted reply code (`refuse`), and transient failures of the next DATA (`fail_next`).
Point a sender at `fake.url` (smtp://user:pass@127.0.0.1:PORT).
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Self, cast

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class ReceivedMail:
    """One accepted message: the envelope (MAIL FROM, RCPT TO), the parsed message and who logged in."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    login: str | None

    @property
    def body(self) -> str:
        """The plain-text body."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class _Script:
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)
    data_failures: list[tuple[int, str]] = field(default_factory=list)


class _Handler:
    """aiosmtpd hooks: refuse scripted recipients, fail scripted DATA, record the rest."""

    def __init__(self, fake: SmtpFake) -> None:
        self.fake = fake

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        refused = self.fake.script.refused.get(address.lower())
        if refused is not None:
            return f"{refused[0]} {refused[1]}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.fake.script.data_failures:
            code, text = self.fake.script.data_failures.pop(0)
            return f"{code} {text}"
        raw = envelope.original_content or cast(bytes, envelope.content)
        message = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=policy.default)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.fake.messages.append(ReceivedMail(str(envelope.mail_from), list(envelope.rcpt_tos), message, login))
        async with self.fake.changed:
            self.fake.changed.notify_all()
        return "250 Message accepted for delivery"


class SmtpFake:
    """A recording SMTP server; `async with SmtpFake() as fake:` listens on a free port."""

    def __init__(self, *, credentials: tuple[str, str] | None = None, hostname: str = "smtp.fake.test") -> None:
        self.credentials = credentials
        self.hostname = hostname
        self.messages: list[ReceivedMail] = []
        self.script = _Script()
        self.changed = asyncio.Condition()
        self._server: asyncio.Server | None = None
        self._port: int | None = None

    @property
    def host(self) -> str:
        """The address it listens on."""
        return "127.0.0.1"

    @property
    def port(self) -> int:
        """The port it listens on."""
        if self._port is None:
            raise RuntimeError("SmtpFake is not started")
        return self._port

    @property
    def url(self) -> str:
        """An SMTP_URL reaching the fake (with its credentials, without TLS)."""
        login = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials else ""
        return f"smtp://{login}{self.host}:{self.port}?starttls=false"

    def refuse(self, address: str, code: int = 550, text: str = "5.1.1 No such mailbox") -> None:
        """Answer RCPT TO:<address> with `code` from now on."""
        self.script.refused[address.lower()] = (code, text)

    def fail_next(self, code: int = 451, text: str = "4.3.0 Try again later") -> None:
        """Answer the next DATA with `code`."""
        self.script.data_failures.append((code, text))

    async def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedMail]:  # noqa: ASYNC109
        """Wait until `count` messages were accepted; return them (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self.changed:
            await self.changed.wait_for(lambda: len(self.messages) >= count)
        return self.messages

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.credentials is not None
        ok = ok and (data.login.decode(), data.password.decode()) == self.credentials
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)  # failure: 535

    def _protocol(self) -> SMTP:
        with warnings.catch_warnings():  # AUTH without TLS is what a local test server wants
            warnings.simplefilter("ignore", UserWarning)
            return SMTP(
                _Handler(self),
                hostname=self.hostname,
                auth_required=self.credentials is not None,
                auth_require_tls=False,
                authenticator=self._authenticate if self.credentials else None,
                timeout=10,
            )

    async def start(self, port: int = 0) -> Self:
        """Listen on 127.0.0.1:`port` (0: a free port)."""
        if self.credentials is not None:  # aiosmtpd logs a warning about AUTH without TLS on every session
            logging.getLogger("mail.log").setLevel(logging.ERROR)
        self._server = await asyncio.get_running_loop().create_server(self._protocol, self.host, port)
        self._port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Stop listening and drop open sessions (safe to call twice)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> Self:
        """Start on entry."""
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close on exit."""
        await self.close()
