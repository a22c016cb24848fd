"""Value objects the ESI client returns: one response, and the summary of a paged fetch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from adapters.esi.errors import MalformedResponse


@dataclass(frozen=True)
class EsiResponse:
    """A 2xx or 304 answer from ESI with its caching and paging headers parsed."""

    status: int
    body: bytes
    etag: str | None
    expires: datetime | None
    last_modified: datetime | None
    pages: int | None
    url: str = field(default="", compare=False)

    def json(self) -> Any:
        """The body parsed with orjson; MalformedResponse when it is not JSON (or this is a 304)."""
        if self.status == 304:
            raise MalformedResponse(self.url or "response", "a 304 Not Modified has no body to parse")
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise MalformedResponse(self.url or "response", f"body is not valid JSON ({exc})") from None


@dataclass(frozen=True)
class PagedResult:
    """What a consistent paged fetch saw: page 1's caching headers, the page count and bytes received."""

    not_modified: bool
    pages: int
    etag: str | None
    expires: datetime | None
    last_modified: datetime | None
    bytes: int
