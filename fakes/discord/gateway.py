"""The fake's gateway websocket: HELLO, heartbeat ACKs, IDENTIFY -> READY -> GUILD_CREATE, then pushed events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from fakes.discord.records import Json

HEARTBEAT_INTERVAL_MS = 41_250
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11
UNKNOWN_ERROR, AUTHENTICATION_FAILED = 4000, 4004  # close codes: 4000 may resume, 4004 may not


@dataclass
class GatewaySession:
    """One connected client: its socket, identify payload and event sequence."""

    socket: web.WebSocketResponse
    identify: Json | None = None
    sequence: int = 0
    frames: list[Json] = field(default_factory=list)  # every frame the client sent

    async def dispatch(self, event: str, data: Json) -> None:
        """Send one DISPATCH event with the next sequence number."""
        self.sequence += 1
        await self.socket.send_str(json.dumps({"op": DISPATCH, "t": event, "s": self.sequence, "d": data}))


class Gateway:
    """Accepts gateway connections; `ready` builds the READY payload, `guilds` the GUILD_CREATE payloads."""

    def __init__(self, token: str, ready: Callable[[], Json], guilds: Callable[[], list[Json]]) -> None:
        self._token, self._ready, self._guilds = token, ready, guilds
        self.sessions: list[GatewaySession] = []
        self.identified = asyncio.Event()
        self.down = False  # while True, connecting fails (503 to the websocket handshake), as in a gateway outage

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one websocket connection until the client closes it (a 503 while the gateway is down)."""
        if self.down:
            return web.Response(status=503, text="gateway unavailable")
        socket = web.WebSocketResponse(heartbeat=None, autoping=True)
        await socket.prepare(request)
        session = GatewaySession(socket)
        self.sessions.append(session)
        await socket.send_str(json.dumps({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}))
        try:
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                await self._on_frame(session, json.loads(frame.data))
        finally:
            self.sessions.remove(session)
        return socket

    async def push(self, event: str, data: Json) -> None:
        """Send an event to every identified session."""
        live = [session for session in self.sessions if session.identify is not None and not session.socket.closed]
        if not live:
            raise RuntimeError(f"no identified gateway session to send {event} to")
        for session in live:
            await session.dispatch(event, data)

    async def close_all(self, code: int = 1000, message: bytes = b"") -> None:
        """Close every open socket (server shutdown; with a close code: a dropped or refused session)."""
        for session in list(self.sessions):
            await session.socket.close(code=code, message=message)

    async def outage(self) -> None:
        """The gateway goes down: open sessions end with 4000 (clients may resume) and new connections fail."""
        self.down = True
        await self.close_all(UNKNOWN_ERROR, b"Unknown error.")

    async def reset_token(self, token: str) -> None:
        """The bot's token is reset (a new one in the developer portal): sessions end with 4004, the old one fails."""
        self._token = token
        await self.close_all(AUTHENTICATION_FAILED, b"Authentication failed.")

    async def _on_frame(self, session: GatewaySession, frame: Json) -> None:
        session.frames.append(frame)
        op = frame.get("op")
        if op == HEARTBEAT:
            await session.socket.send_str(json.dumps({"op": HEARTBEAT_ACK}))
        elif op == IDENTIFY:
            await self._on_identify(session, frame.get("d") or {})
        elif op == RESUME:
            await session.socket.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))

    async def _on_identify(self, session: GatewaySession, data: Any) -> None:
        if data.get("token") != self._token:
            await session.socket.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        session.identify = data
        await session.dispatch("READY", self._ready())
        for guild in self._guilds():
            await session.dispatch("GUILD_CREATE", guild)
        self.identified.set()
