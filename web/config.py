"""The web panel's configuration, built from Settings, and the session signing key (generated only in development)."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
KEY_FILE_NAME = "web-session-signing.key"
MIN_KEY_BYTES = 32

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class WebConfigError(Exception):
    """The panel cannot start with this configuration; the message is one line without secrets."""


@dataclass(frozen=True)
class WebConfig:
    """Everything the panel needs to know; `signing_key` never appears in repr."""

    signing_key: bytes = field(repr=False)
    public_url: str = "http://127.0.0.1:8080"
    cookie_secure: bool = True
    admin_character_ids: tuple[int, ...] = ()
    trusted_proxies: tuple[IPNetwork, ...] = ()
    ip_rate_per_minute: float = 300.0
    ip_rate_burst: int = 60
    user_rate_per_minute: float = 120.0
    user_rate_burst: int = 30
    sso_enabled: bool = False
    production: bool = False
    appraisal_ttl_days: float = 90.0
    appraisal_rate_per_minute: float = 10.0
    appraisal_rate_burst: int = 5
    vapid_public_key: str | None = None  # web push on: browsers subscribe with this application server key
    push_allow_http: bool = False  # take plain-http push endpoints (local push-service fakes only)

    def __post_init__(self) -> None:
        if len(self.signing_key) < MIN_KEY_BYTES:
            raise WebConfigError(f"SESSION_SIGNING_KEY must be at least {MIN_KEY_BYTES} bytes")
        if not self.public_url.startswith(("http://", "https://")):
            raise WebConfigError("PUBLIC_URL must start with http:// or https://")
        if self.production and not self.cookie_secure:
            raise WebConfigError("COOKIE_SECURE=false is only for local http development, not production")

    @property
    def public_https(self) -> bool:
        """True when the panel is published over https (HSTS is sent on every response)."""
        return self.public_url.startswith("https://")


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """TRUSTED_PROXIES entries (addresses or CIDRs) as networks; WebConfigError on a bad entry."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise WebConfigError(f"TRUSTED_PROXIES: {value!r} is not an IP address or network") from None
    return tuple(networks)


def load_signing_key(configured: str | None, *, production: bool, data_dir: Path) -> bytes:
    """The configured key; in development a key generated once into the data dir; in production none -> error."""
    if configured:
        key = configured.encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise WebConfigError(f"SESSION_SIGNING_KEY must be at least {MIN_KEY_BYTES} bytes")
        return key
    if production:
        raise WebConfigError("SESSION_SIGNING_KEY is required in production (at least 32 random bytes)")
    path = data_dir / KEY_FILE_NAME
    if path.exists():
        key = path.read_bytes().strip()
        if len(key) >= MIN_KEY_BYTES:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48).encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    log.warning("development session signing key generated", extra={"path": str(path)})
    return key


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    reveal = getattr(value, "get_secret_value", None)
    return str(reveal()) if callable(reveal) else str(value)


def web_config_from_settings(settings: Any) -> WebConfig:
    """Build the WebConfig from evetrader Settings (names in the report; absent ones take their defaults)."""
    production = getattr(settings, "env", "development") == "production"
    host, port = getattr(settings, "web_host", "127.0.0.1"), getattr(settings, "web_port", 8080)
    tls = getattr(settings, "tls_cert_file", None) is not None
    public_url = getattr(settings, "public_url", None) or f"{'https' if tls else 'http'}://{host}:{port}"
    key = load_signing_key(
        _secret(getattr(settings, "session_signing_key", None)),
        production=production,
        data_dir=Path(getattr(settings, "data_dir", Path("data"))),
    )
    return WebConfig(
        signing_key=key,
        public_url=str(public_url).rstrip("/"),
        cookie_secure=_cookie_secure(getattr(settings, "cookie_secure", None), str(public_url)),
        admin_character_ids=tuple(int(i) for i in getattr(settings, "admin_character_ids", ())),
        trusted_proxies=parse_networks(list(getattr(settings, "trusted_proxies", ()))),
        ip_rate_per_minute=float(getattr(settings, "web_rate_per_minute", 300.0)),
        ip_rate_burst=int(getattr(settings, "web_rate_burst", 60)),
        user_rate_per_minute=float(getattr(settings, "web_user_rate_per_minute", 120.0)),
        user_rate_burst=int(getattr(settings, "web_user_rate_burst", 30)),
        sso_enabled=bool(getattr(settings, "eve_client_id", None)),
        production=production,
        appraisal_ttl_days=float(getattr(settings, "appraisal_ttl_days", 90.0)),
        appraisal_rate_per_minute=float(getattr(settings, "appraisal_rate_per_minute", 10.0)),
        appraisal_rate_burst=int(getattr(settings, "appraisal_rate_burst", 5)),
        vapid_public_key=getattr(settings, "vapid_public_key", None),  # derived from VAPID_PRIVATE_KEY
    )


def _cookie_secure(configured: bool | None, public_url: str) -> bool:
    """COOKIE_SECURE as set, else Secure exactly when the panel is published over https."""
    return configured if configured is not None else public_url.startswith("https://")
