"""The ESI client's knobs, and the pooled aiohttp session built from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiohttp

DNS_CACHE_TTL_S = 300


@dataclass(frozen=True)
class EsiSettings:
    """Every knob of the ESI client (EsiClient's constructor arguments)."""

    base_url: str
    user_agent: str
    compatibility_date: str
    max_concurrency: int = 20
    timeout_s: float = 30.0
    max_attempts: int = 5
    error_limit_floor: int = 10
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    expiry_margin_s: float = 5.0
    default_retry_after_s: float = 5.0
    max_wait_s: float = 120.0

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"ESI base_url must be an http(s) URL: {self.base_url!r}")
        if not self.user_agent or not self.compatibility_date:
            raise ValueError("ESI needs a User-Agent and an X-Compatibility-Date")
        try:
            date.fromisoformat(self.compatibility_date)
        except ValueError:
            raise ValueError(f"X-Compatibility-Date must be YYYY-MM-DD: {self.compatibility_date!r}") from None
        if self.max_attempts < 1 or self.max_concurrency < 1:
            raise ValueError("max_attempts and max_concurrency must be at least 1")


def open_session(settings: EsiSettings) -> aiohttp.ClientSession:
    """One pooled session sending ESI's required headers on every request."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=settings.max_concurrency, ttl_dns_cache=DNS_CACHE_TTL_S),
        timeout=aiohttp.ClientTimeout(total=settings.timeout_s),
        headers={
            "User-Agent": settings.user_agent,
            "X-Compatibility-Date": settings.compatibility_date,
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
        },
    )
