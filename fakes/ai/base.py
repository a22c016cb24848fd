"""ScriptedApiServer: what both AI fakes share on top of LocalServer (request log, scripted reply queue)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.local_server import LocalServer

Json = dict[str, Any]
Render = Callable[[Json], tuple[int, Json]]  # request body -> (HTTP status, response body)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received: path, headers (lower-case names) and the decoded JSON body."""

    path: str
    headers: Mapping[str, str]
    body: Json


@dataclass(frozen=True)
class Step:
    """One scripted reply: how to render it from the request, extra headers, and a delay before answering."""

    render: Render
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def fixed_step(status: int, body: Json, headers: Mapping[str, str] | None = None, delay_s: float = 0.0) -> Step:
    """A step that always answers `status` with `body`, whatever the request."""
    return Step(lambda _request: (status, body), dict(headers or {}), delay_s)


def estimate_tokens(text: str) -> int:
    """A deterministic stand-in for a tokenizer: about four characters per token, at least one."""
    return max(1, len(text) // 4)


def retry_headers(retry_after: float | None, should_retry: bool | None) -> dict[str, str]:
    """The retry-after / x-should-retry headers of a scripted error (each only when given)."""
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    if should_retry is not None:
        headers["x-should-retry"] = "true" if should_retry else "false"
    return headers


class ScriptedApiServer(LocalServer):
    """A LocalServer that records every request and answers from a queue of Steps."""

    request_id_header = "request-id"
    shutdown_timeout = 0.2
    handler_cancellation = True  # a client that timed out goes away: stop its delayed reply

    def __init__(self, api_key: str | None) -> None:
        super().__init__()
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self._steps: list[Step] = []
        self._closing = asyncio.Event()
        self._counter = 0

    # ---- lifecycle -----------------------------------------------------------------------------------------
    def routes(self) -> list[web.RouteDef]:
        """The routes the concrete fake serves."""
        raise NotImplementedError

    def build_app(self) -> web.Application:
        """An application serving `routes()`."""
        app = web.Application()
        app.add_routes(self.routes())
        return app

    async def on_start(self) -> None:
        """Let delayed replies wait again (after a previous close)."""
        self._closing.clear()

    async def on_close(self) -> None:
        """Release delayed replies so the server can stop."""
        self._closing.set()

    # ---- scripting -----------------------------------------------------------------------------------------
    def enqueue(self, step: Step) -> None:
        """Answer the next request with `step` (steps are played in order; an empty queue gives the default)."""
        self._steps.append(step)

    def reset(self) -> None:
        """Forget recorded requests and unplayed steps (to reuse one running fake across tests)."""
        self.requests.clear()
        self._steps.clear()

    @property
    def pending(self) -> int:
        """Scripted steps not played yet."""
        return len(self._steps)

    def next_id(self, prefix: str) -> str:
        """A fresh, readable object id such as msg_0001."""
        self._counter += 1
        return f"{prefix}{self._counter:04d}"

    # ---- serving -------------------------------------------------------------------------------------------
    def presented_key(self, request: web.Request) -> str | None:
        """The API key the client sent (Bearer by default)."""
        auth = request.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None

    def reject(self, request: web.Request, body: Json) -> tuple[int, Json] | None:
        """An error reply when the request is unacceptable (bad key, missing header, invalid body), else None."""
        return None

    def default_step(self) -> Step:
        """What to answer when the queue is empty."""
        raise NotImplementedError

    async def handle(self, request: web.Request) -> web.Response:
        """Record the request, then play the next step (or an error if the request is unacceptable)."""
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            body = {}
        headers = {name.lower(): value for name, value in request.headers.items()}
        self.requests.append(RecordedRequest(request.path, headers, body if isinstance(body, dict) else {}))
        rejection = self.reject(request, body if isinstance(body, dict) else {})
        step = fixed_step(*rejection) if rejection is not None else self._pop()
        if step.delay_s > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), step.delay_s)
        status, payload = step.render(body)
        reply_headers = {self.request_id_header: self.next_id("req_"), **step.headers}
        return web.json_response(payload, status=status, headers=reply_headers)

    def _pop(self) -> Step:
        return self._steps.pop(0) if self._steps else self.default_step()
