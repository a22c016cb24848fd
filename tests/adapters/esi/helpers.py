"""Helpers for ESI client tests: ESI-like response headers and metric readings."""

from __future__ import annotations

import time
from email.utils import formatdate

from prometheus_client import REGISTRY

USER_AGENT = "evetrader-tests/0.1 (tests@example.invalid; +https://example.invalid/evetrader)"
COMPATIBILITY_DATE = "2020-01-01"
LAST_MODIFIED = "Wed, 01 Jan 2025 12:00:00 GMT"


def http_date(offset_s: float = 0.0) -> str:
    """An HTTP date `offset_s` seconds from now."""
    return formatdate(time.time() + offset_s, usegmt=True)


def cache_headers(
    expires_in: float = 300, *, etag: str = '"v1"', last_modified: str = LAST_MODIFIED, pages: int | None = None
) -> dict[str, str]:
    """The caching (and optionally paging) headers ESI sends on a 200."""
    headers = {
        "ETag": etag,
        "Expires": http_date(expires_in),
        "Last-Modified": last_modified,
        "X-ESI-Error-Limit-Remain": "100",
        "X-ESI-Error-Limit-Reset": "60",
    }
    if pages is not None:
        headers["X-Pages"] = str(pages)
    return headers


def metric(name: str, **labels: str) -> float:
    """Current value of a Prometheus sample (0 when never incremented)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0
