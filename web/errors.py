"""Errors the panel shows (JSON `{"error": {code, message}}` under /api, an HTML page elsewhere), URL id checks."""

from __future__ import annotations

import logging

import orjson
from aiohttp import web

from core.digits import whole_number

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}
_MESSAGES = {
    401: "Sign in first.",
    403: "You may not do that.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    413: "The request is too large.",
    429: "Too many requests; slow down.",
    500: "Something went wrong on our side; it has been logged.",
}
_KEPT_HEADERS = ("Retry-After", "Allow")


class PanelError(Exception):
    """A failure to show the user: HTTP status, a stable code and a safe one-line message."""

    def __init__(
        self, status: int, message: str | None = None, *, code: str | None = None, fields: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.fields = fields or {}
        self.code = code or _CODES.get(status, "error")
        self.message = message or _MESSAGES.get(status, "The request failed.")
        self.headers: dict[str, str] = {}
        super().__init__(self.message)


def rate_limited(retry_after_s: float) -> PanelError:
    """A 429 carrying Retry-After in whole seconds (at least 1)."""
    error = PanelError(429)
    error.headers["Retry-After"] = str(max(1, int(retry_after_s + 0.999)))
    return error


def unavailable(retry_after_s: int = 30) -> PanelError:
    """A 503 for a store that cannot be reached right now, with Retry-After."""
    error = PanelError(503, "This is temporarily unavailable, try again in a minute.")
    error.headers["Retry-After"] = str(retry_after_s)
    return error


def from_http_exception(exc: web.HTTPException) -> PanelError:
    """aiohttp's own errors (404, 405, 413...) as a PanelError with our wording, keeping Allow and Retry-After."""
    error = PanelError(exc.status)
    error.headers.update({name: exc.headers[name] for name in _KEPT_HEADERS if name in exc.headers})
    return error


def is_api(request: web.Request) -> bool:
    """True for JSON API paths (errors there are JSON)."""
    return request.path.startswith("/api/")


def json_error(error: PanelError) -> web.Response:
    """The JSON body of an error."""
    detail: dict[str, object] = {"code": error.code, "message": error.message}
    if error.fields:
        detail["fields"] = error.fields
    body = orjson.dumps({"error": detail})
    return web.Response(body=body, status=error.status, content_type="application/json", headers=error.headers)


def path_id(request: web.Request, name: str, *, limit: int = 2**63) -> int:
    """A positive id below `limit` (a 64-bit column's by default) from the URL path, or 404."""
    value = whole_number(request.match_info[name])
    if value is None or not 0 < value < limit:
        raise PanelError(404, "Not found.")
    return value
