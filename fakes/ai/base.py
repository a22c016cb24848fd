"""ScriptedApiServer: the aiohttp plumbing both AI fakes share (lifecycle, request log, scripted reply queue)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import web

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


class ScriptedApiServer:
    """An aiohttp server on 127.0.0.1:0 that records every request and answers from a queue of Steps."""

    request_id_header = "request-id"

    def __init__(self, api_key: str | None) -> None:
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self._steps: list[Step] = []
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._counter = 0

    # ---- lifecycle -----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT of the running fake."""
        if self._url is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._url

    def routes(self) -> list[web.RouteDef]:
        """The routes the concrete fake serves."""
        raise NotImplementedError

    async def start(self) -> Self:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.add_routes(self.routes())
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.2)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        """Release delayed replies and stop listening."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

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
