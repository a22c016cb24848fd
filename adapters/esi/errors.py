"""Typed ESI errors, and the one place that maps an HTTP error status to them."""

from __future__ import annotations

from datetime import datetime

import orjson

from core.market.errors import MarketSourceUnavailable, SnapshotRejected, SourceNotFound, SourceNotReady

_MAX_ERROR_TEXT = 200


class EsiError(MarketSourceUnavailable):
    """Base of every error the ESI client raises; str() is a one-line human message."""


class EsiUnavailable(EsiError):
    """ESI could not be reached or kept failing (5xx, timeouts, connection errors, waits too long)."""

    def __init__(self, url: str, attempts: int, reason: str) -> None:
        self.url = url
        self.attempts = attempts
        self.reason = reason
        super().__init__(f"ESI {url} unavailable after {attempts} attempt(s): {reason}")


class EsiClientError(EsiError):
    """ESI rejected the request with a 4xx (other than 420/429); retrying will not help."""

    def __init__(self, status: int, error: str, url: str = "") -> None:
        self.status = status
        self.error = error
        self.url = url
        super().__init__(f"ESI {url or 'request'} answered HTTP {status}: {error}")


class EsiNotFound(EsiClientError, SourceNotFound):
    """ESI answered 404: the resource (region, type, character, ...) does not exist."""


class NotExpired(EsiError, SourceNotReady):
    """The URL was requested again before the Expires of its last answer (never re-request early)."""

    def __init__(self, url: str, expires: datetime) -> None:
        self.url = url
        self.expires = expires
        self.retry_at = expires
        super().__init__(f"ESI {url} is cached until {expires.isoformat()}; not re-requesting before that")


class InconsistentSnapshot(EsiError, SnapshotRejected):
    """Pages of one paged fetch came from different cache generations (Last-Modified differs)."""

    def __init__(
        self,
        path: str,
        expected_last_modified: datetime | None,
        got_last_modified: datetime | None,
        page: int,
    ) -> None:
        self.path = path
        self.expected_last_modified = expected_last_modified
        self.got_last_modified = got_last_modified
        self.page = page
        super().__init__(
            f"ESI {path} page {page} has Last-Modified {_iso(got_last_modified)}, "
            f"page 1 had {_iso(expected_last_modified)}: the cache flipped mid-fetch"
        )


class MalformedResponse(EsiError, SnapshotRejected):
    """ESI answered 2xx with an unusable body (invalid JSON) or without a required header."""

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"ESI {url}: {problem}")


def error_text(body: bytes) -> str:
    """ESI's `{"error": "..."}` text from an error body, or a short one-line excerpt of the body."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        decoded = None
    if isinstance(decoded, dict) and isinstance(decoded.get("error"), str):
        text = decoded["error"]
    else:
        text = body.decode("utf-8", errors="replace") or "(empty body)"
    text = " ".join(text.split())
    return text if len(text) <= _MAX_ERROR_TEXT else text[: _MAX_ERROR_TEXT - 3] + "..."


def client_error_for(status: int, body: bytes, url: str) -> EsiClientError:
    """The typed exception for a non-retryable 4xx answer."""
    if status == 404:
        return EsiNotFound(status, error_text(body), url)
    return EsiClientError(status, error_text(body), url)


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "(none)"
