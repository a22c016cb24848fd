"""The request pipeline: record, throttle (420/429), inject faults, add ESI headers, encode."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

from .faults import POST, PRE
from .routes import HttpError, Reply
from .snapshot import Body

if TYPE_CHECKING:
    from .server import EsiFake

Handler = Callable[["EsiFake", web.Request], Reply]
ERROR_LIMITED = (
    "This software has exceeded the error limit for ESI. If you are a user, please contact the maintainer "
    "of this software. If you are a developer/maintainer, please make a greater effort in the future to "
    "receive valid responses. For tips on how, come have a chat with us on #3rd-party-dev-and-esi on the "
    "EVE Online Discord. https://www.eveonline.com/discord"
)


@dataclass
class RecordedRequest:
    """One request the fake received, with the status it answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]  # case-insensitive (a CIMultiDict copy)
    status: int = 0


_CRITICAL = ("price", "type_id", "order_id", "volume_remain", "is_buy_order", "location_id", "average", "volume")


def truncate(raw: bytes) -> bytes:
    """Cut a JSON body in the middle."""
    return raw[: max(1, len(raw) // 2)]


def malform(raw: bytes) -> bytes:
    """Valid JSON of the same shape whose items lack a field or carry a wrong type, in turn."""
    value = orjson.loads(raw)
    if not isinstance(value, list) or not value:
        return orjson.dumps([{"unexpected": True}] if not value else {"unexpected": value})
    for i, item in enumerate(value):
        if isinstance(item, dict):
            keys = [k for k in _CRITICAL if k in item] + sorted(k for k in item if k not in _CRITICAL)
            key = keys[(i // 2) % len(keys)]
            if i % 2 == 0:
                del item[key]
            else:
                item[key] = str(item[key]) if not isinstance(item[key], str) else 12345
        else:
            value[i] = str(item)
    return orjson.dumps(value)


def _page(request: web.Request) -> int | None:
    """The request's page number (1 when absent), None when unparsable."""
    raw = request.query.get("page", "1")
    return int(raw) if raw.isdigit() else None


async def _answer(fake: EsiFake, request: web.Request, handler: Handler, grouped: bool) -> tuple[Reply, bool]:
    """Produce the reply and whether the X-Ratelimit-* headers go with it."""
    lockout = fake.faults.error_limit_reset()
    if lockout is not None or fake.budget.remain() <= 0:
        reply = Reply(420, Body.of({"error": ERROR_LIMITED}))
        reply.headers["X-ESI-Error-Limit-Reset"] = str(lockout if lockout is not None else fake.budget.reset())
        return reply, grouped
    if grouped and fake.bucket.exhausted():
        reply = Reply(429, Body.of({"error": "Too many requests"}), {"Retry-After": str(fake.bucket.retry_after())})
        return reply, True
    path, page = request.path, _page(request)
    fault = fake.faults.take(PRE, path, page)
    if fault is not None and fault.kind == "server_error":
        return Reply(fault.status, Body.of({"error": f"Fault injected: HTTP {fault.status}"})), grouped
    if fault is not None and fault.kind == "rate_limited":
        reply = Reply(429, Body.of({"error": "Too many requests"}), {"Retry-After": str(fault.retry_after)})
        return reply, grouped and fault.ratelimit_headers
    if fault is not None and fault.kind == "timeout":
        await fake.sleep(fault.delay_s)
    try:
        reply = handler(fake, request)
    except HttpError as exc:
        return exc.reply(), grouped
    if reply.status == 200 and reply.body is not None:
        post = fake.faults.take(POST, path, page)
        if post is not None:
            reply.body = Body((truncate if post.kind == "truncated" else malform)(reply.body.raw))
    if reply.region_id is not None and page is not None and fake.faults.take_flip(reply.region_id, page):
        fake.advance(reply.region_id)
    return reply, grouped


async def dispatch(fake: EsiFake, request: web.Request, handler: Handler, grouped: bool) -> web.StreamResponse:
    """Answer one ESI request end to end."""
    record = RecordedRequest(request.method, request.path, dict(request.query), request.headers.copy())
    fake.requests.append(record)
    reply, with_bucket = await _answer(fake, request, handler, grouped)
    status = record.status = reply.status
    if status >= 400 and status != 420:
        fake.budget.charge()
    headers: dict[str, Any] = {"Content-Type": "application/json; charset=UTF-8", **reply.headers}
    if with_bucket:
        cost = fake.bucket.charge(status) if status not in (420, 429) else 0
        headers.update(fake.bucket.headers(cost))
    headers["X-ESI-Error-Limit-Remain"] = "0" if status == 420 else str(fake.budget.remain())
    headers.setdefault("X-ESI-Error-Limit-Reset", str(fake.budget.reset()))
    if reply.body is None:
        return web.Response(status=status, headers=headers)
    body = reply.body.raw
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body = reply.body.gz
        headers["Content-Encoding"] = "gzip"
    headers["Vary"] = "Accept-Encoding"
    return web.Response(status=status, body=body, headers=headers)


async def interruptible_sleep(closing: asyncio.Event, delay_s: float) -> None:
    """Sleep `delay_s` seconds, or less when the fake is closing."""
    try:
        async with asyncio.timeout(delay_s):
            await closing.wait()
    except TimeoutError:
        pass
