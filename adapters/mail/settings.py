"""SMTP settings from one URL: smtp://user:pass@host:587?starttls=true (or smtps://host:465 for implicit TLS)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from email.utils import parseaddr

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_TRUE, _FALSE = {"1", "true", "yes", "on", "required"}, {"0", "false", "no", "off"}


class MailSettingsError(ValueError):
    """SMTP_URL or SMTP_FROM is malformed (the message never contains the password)."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send mail, and who it is from."""

    host: str
    port: int
    sender: str  # the From header: "EVE Trader <alerts@example.org>" or a bare address
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False  # implicit TLS (smtps)
    start_tls: bool | None = None  # True: required, False: never, None: when the server offers it
    timeout_s: float = 30.0

    @property
    def sender_address(self) -> str:
        """The bare address of the sender (the envelope's MAIL FROM)."""
        return parseaddr(self.sender)[1]

    @classmethod
    def from_url(cls, url: str, sender: str, *, timeout_s: float = 30.0) -> MailSettings:
        """Parse SMTP_URL (query option starttls=true|false) with SMTP_FROM as the sender."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise MailSettingsError("SMTP_URL must look like smtp://user:pass@host:port or smtps://host:port")
        if "@" not in parseaddr(sender)[1]:
            raise MailSettingsError("SMTP_FROM must be an e-mail address")
        query = dict(urllib.parse.parse_qsl(parts.query))
        raw = query.get("starttls", "").lower()
        if raw and raw not in _TRUE | _FALSE:
            raise MailSettingsError("SMTP_URL's starttls option must be true or false")
        start_tls = None if not raw else raw in _TRUE
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise MailSettingsError("SMTP_URL has an invalid port") from None
        return cls(
            host=parts.hostname,
            port=port,
            sender=sender,
            username=urllib.parse.unquote(parts.username) if parts.username else None,
            password=urllib.parse.unquote(parts.password) if parts.password else None,
            use_tls=parts.scheme == "smtps",
            start_tls=False if parts.scheme == "smtps" else start_tls,
            timeout_s=timeout_s,
        )
