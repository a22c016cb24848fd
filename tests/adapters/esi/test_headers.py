"""Unit tests of ESI header parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from multidict import CIMultiDict

from adapters.esi.errors import error_text
from adapters.esi.headers import parse_http_date, parse_rate_limit, parse_response_headers, parse_retry_after

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


def test_http_date_is_aware_utc() -> None:
    assert parse_http_date("Wed, 01 Jan 2025 12:00:05 GMT") == datetime(2025, 1, 1, 12, 0, 5, tzinfo=UTC)
    assert parse_http_date("garbage") is None
    assert parse_http_date(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12000/15m", (12000, 900.0)), ("150/1s", (150, 1.0)), ("10/h", (10, 3600.0)), ("5/2H", (5, 7200.0))],
)
def test_rate_limit_spec(value: str, expected: tuple[int, float]) -> None:
    assert parse_rate_limit(value) == expected


def test_bad_rate_limit_spec_is_none() -> None:
    assert parse_rate_limit("lots") is None
    assert parse_rate_limit(None) is None


def test_retry_after_seconds_or_date() -> None:
    assert parse_retry_after("7", NOW) == 7.0
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", NOW) == 30.0
    assert parse_retry_after(None, NOW) is None


def test_response_headers_case_insensitive_and_complete() -> None:
    headers = CIMultiDict(
        {
            "date": "Wed, 01 Jan 2025 12:00:00 GMT",
            "expires": "Wed, 01 Jan 2025 12:05:00 GMT",
            "last-modified": "Wed, 01 Jan 2025 11:59:00 GMT",
            "etag": 'W/"abc"',
            "x-pages": "350",
            "x-esi-error-limit-remain": "99",
            "x-esi-error-limit-reset": "42",
            "x-ratelimit-group": "market-order",
            "x-ratelimit-limit": "12000/15m",
            "x-ratelimit-remaining": "11998",
            "x-ratelimit-used": "2",
        }
    )
    meta = parse_response_headers(headers, NOW)
    assert meta.etag == 'W/"abc"'
    assert meta.pages == 350
    assert meta.error_limit_remain == 99 and meta.error_limit_reset_s == 42.0
    assert meta.rate_limit is not None
    assert (meta.rate_limit.group, meta.rate_limit.limit_tokens, meta.rate_limit.window_s) == (
        "market-order",
        12000,
        900.0,
    )
    assert (meta.rate_limit.remaining, meta.rate_limit.used) == (11998, 2)
    assert meta.seconds_to_live(NOW) == 300.0


def test_cache_control_max_age_when_expires_missing() -> None:
    meta = parse_response_headers(CIMultiDict({"Cache-Control": "public, max-age=120"}), NOW)
    assert meta.expires == datetime(2025, 1, 1, 12, 2, tzinfo=UTC)


def test_seconds_to_live_uses_esi_date_not_our_clock() -> None:
    headers = CIMultiDict({"Date": "Wed, 01 Jan 2025 11:00:00 GMT", "Expires": "Wed, 01 Jan 2025 11:00:20 GMT"})
    assert parse_response_headers(headers, NOW).seconds_to_live(NOW) == 20.0


def test_error_text_from_esi_body_or_excerpt() -> None:
    assert error_text(b'{"error": "Type not found"}') == "Type not found"
    assert error_text(b"<html>\n bad gateway </html>") == "<html> bad gateway </html>"
    assert len(error_text(b"x" * 5000)) == 200
