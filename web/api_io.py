"""The API's building blocks: a route table row, JSON responses, and size-limited JSON object bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from web.api_schemas import Schema
from web.errors import PanelError
from web.session_model import Session

API_PREFIX = "/api/v1"
PUBLIC = "public"  # the role of anonymous routes: no session is read, so no CSRF token is needed
PUBLIC_PREFIXES = (f"{API_PREFIX}/appraisals", f"{API_PREFIX}/market/", f"{API_PREFIX}/items")
MAX_BODY_BYTES = 16_384
ApiHandler = Callable[[web.Request, Session], Awaitable[web.Response]]


@dataclass(frozen=True)
class ApiRoute:
    """One API operation: where it lives, who may call it, and what goes in and out."""

    method: str
    path: str
    handler: ApiHandler
    summary: str
    role: str  # "user" or "admin": checked before the handler runs; "public": anonymous, no session read
    response: Schema | None  # None: 204 without a body
    request: Schema | None = None
    path_params: dict[str, Schema] = field(default_factory=dict)
    query_params: dict[str, Schema] = field(default_factory=dict)  # all optional
    conflicts: str | None = None  # when the operation can answer 409: why
    not_found: str | None = None  # when an operation without path parameters can answer 404: why
    status: int = 200  # the success status (201 for a creation)
    cached: bool = False  # answers with an ETag and 304 to a matching If-None-Match

    @property
    def operation_id(self) -> str:
        """The handler's name, unique per operation."""
        return self.handler.__name__.lstrip("_")


def json_response(payload: object, status: int = 200) -> web.Response:
    """A JSON response (orjson: datetimes as ISO 8601)."""
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


async def json_body(request: web.Request, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The request's JSON object (415 without a JSON content type, 400 when malformed, 413 past `max_bytes`)."""
    if request.content_type != "application/json":
        raise PanelError(415, "Send a JSON body with Content-Type: application/json.")
    if (request.content_length or 0) > max_bytes:
        raise PanelError(413)
    raw = await request.content.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise PanelError(413)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise PanelError(400, "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise PanelError(400, "The body must be a JSON object.")
    return body
