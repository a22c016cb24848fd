"""What the Discord fake remembers: every request as sent, and the faults scripted for the next ones."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

Json = dict[str, Any]
JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Part:
    """One multipart part: its form name, file name (for uploads), content type and raw bytes."""

    name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One request the fake received: method, path under the API base (or the gateway), query and body."""

    method: str
    path: str
    route: str  # the route template, e.g. "/interactions/{id}/{token}/callback"
    query: dict[str, str]
    json: Any = None  # the JSON body, or the multipart payload_json
    parts: list[Part] = field(default_factory=list)
    status: int = 0

    @property
    def files(self) -> dict[str, bytes]:
        """Uploaded files by file name."""
        return {part.filename: part.data for part in self.parts if part.filename}


@dataclass
class Fault:
    """The next `count` requests of (method, route) are answered with `status` (429: after `retry_after` s)."""

    method: str
    route: str
    status: int
    count: int = 1
    retry_after: float = 0.1
    is_global: bool = False


RECORD = web.RequestKey("record", RecordedRequest)


def respond(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response with Content-Type exactly application/json (what discord.py requires to parse it)."""
    return web.Response(body=json.dumps(body).encode(), status=status, headers={**JSON_HEADERS, **(headers or {})})


def error(status: int, message: str, code: int = 0, errors: Json | None = None) -> web.Response:
    """A Discord error body: {"message", "code"} (and "errors" for 400 Invalid Form Body)."""
    body: Json = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return respond(body, status)


def fault_response(fault: Fault, bucket: str) -> web.Response:
    """A 429 exactly as Discord sends one (body retry_after, Retry-After, X-RateLimit-*, Via), or a 5xx."""
    if fault.status != 429:
        return error(fault.status, f"{fault.status}: Internal Server Error")
    reset_after = f"{fault.retry_after:.3f}"
    headers = {
        "Retry-After": str(max(1, math.ceil(fault.retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
        "X-RateLimit-Reset-After": reset_after,
        "X-RateLimit-Bucket": bucket,
        "X-RateLimit-Scope": "global" if fault.is_global else "user",
        "Via": "1.1 google",
    }
    if fault.is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {"message": "You are being rate limited.", "retry_after": fault.retry_after, "global": fault.is_global}
    return respond(body, 429, headers)


async def read_body(request: web.Request) -> tuple[Any, list[Part]]:
    """The JSON body, or for multipart the decoded payload_json and every part."""
    if request.content_type.startswith("multipart/"):
        parts: list[Part] = []
        payload: Any = None
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            data = bytes(await part.read())
            content_type = part.headers.get("Content-Type", "")
            parts.append(Part(part.name or "", part.filename, content_type, data))
            if part.name == "payload_json":
                payload = json.loads(data)
        return payload, parts
    if not request.can_read_body:
        return None, []
    raw = await request.read()
    return (json.loads(raw) if raw else None), []
