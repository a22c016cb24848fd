"""Parse ESI response headers: HTTP dates, caching, paging, error-limit and bucket rate-limit headers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_WINDOW_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_RATE_LIMIT_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$", re.IGNORECASE)
_MAX_AGE_RE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class RateLimitHeaders:
    """One route group's bucket state as reported by ESI on a response."""

    group: str
    limit_tokens: int | None
    window_s: float | None
    remaining: int | None
    used: int | None


@dataclass(frozen=True)
class ResponseHeaders:
    """The headers of one ESI response the client acts on, parsed."""

    etag: str | None
    expires: datetime | None
    last_modified: datetime | None
    date: datetime | None
    pages: int | None
    error_limit_remain: int | None
    error_limit_reset_s: float | None
    retry_after_s: float | None
    rate_limit: RateLimitHeaders | None

    def seconds_to_live(self, received_at: datetime) -> float | None:
        """How long ESI says the answer stays valid, measured against its own Date (clock-skew safe)."""
        if self.expires is None:
            return None
        return (self.expires - (self.date or received_at)).total_seconds()


def parse_http_date(value: str | None) -> datetime | None:
    """An RFC 7231 HTTP date as an aware UTC datetime, or None when absent or unparseable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_int(value: str | None) -> int | None:
    """A header's integer value, or None when absent or not an integer."""
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_rate_limit(value: str | None) -> tuple[int, float] | None:
    """`12000/15m` as (tokens, window seconds); None when absent or unparseable."""
    match = _RATE_LIMIT_RE.match(value or "")
    if match is None:
        return None
    tokens, count, unit = match.groups()
    return int(tokens), (int(count) if count else 1) * _WINDOW_UNIT_SECONDS[unit.lower()]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After (delta seconds or HTTP date) as seconds from now; None when absent or unparseable."""
    if value is None:
        return None
    seconds = parse_int(value)
    if seconds is not None:
        return float(max(seconds, 0))
    when = parse_http_date(value)
    return max((when - now).total_seconds(), 0.0) if when is not None else None


def parse_response_headers(headers: Mapping[str, str], now: datetime) -> ResponseHeaders:
    """Everything the client needs from a response's headers (case-insensitive mapping expected)."""
    date = parse_http_date(headers.get("Date"))
    expires = parse_http_date(headers.get("Expires"))
    if expires is None:
        max_age = _MAX_AGE_RE.search(headers.get("Cache-Control", ""))
        if max_age is not None:
            expires = (date or now) + timedelta(seconds=int(max_age.group(1)))
    reset = parse_int(headers.get("X-ESI-Error-Limit-Reset"))
    return ResponseHeaders(
        etag=headers.get("ETag"),
        expires=expires,
        last_modified=parse_http_date(headers.get("Last-Modified")),
        date=date,
        pages=parse_int(headers.get("X-Pages")),
        error_limit_remain=parse_int(headers.get("X-ESI-Error-Limit-Remain")),
        error_limit_reset_s=float(reset) if reset is not None else None,
        retry_after_s=parse_retry_after(headers.get("Retry-After"), now),
        rate_limit=_parse_rate_limit_headers(headers),
    )


def _parse_rate_limit_headers(headers: Mapping[str, str]) -> RateLimitHeaders | None:
    group = headers.get("X-Ratelimit-Group")
    if not group:
        return None
    limit = parse_rate_limit(headers.get("X-Ratelimit-Limit"))
    return RateLimitHeaders(
        group=group,
        limit_tokens=limit[0] if limit else None,
        window_s=limit[1] if limit else None,
        remaining=parse_int(headers.get("X-Ratelimit-Remaining")),
        used=parse_int(headers.get("X-Ratelimit-Used")),
    )
