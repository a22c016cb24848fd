"""A loopback TCP proxy for fault tests: forwards to a real server until `hang()`, then swallows every byte.

A hung dependency (a partition, a frozen server) is the worst case for a probe: connections open, nothing answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.parse
from types import TracebackType


class HangingProxy:
    """Forwards 127.0.0.1:<port> to `target_url` (redis://host:port or unix:///path) until hang() is called."""

    def __init__(self, target_url: str) -> None:
        self._target = urllib.parse.urlsplit(target_url)
        self._server: asyncio.Server | None = None
        self._hung = asyncio.Event()
        self._pipes: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        """A redis:// URL through the proxy (same database number as the target)."""
        database = self._target.path if self._target.scheme != "unix" else ""
        return f"redis://127.0.0.1:{self.port}{database}"

    def hang(self) -> None:
        """From now on nothing gets through in either direction, and new connections are accepted but ignored."""
        self._hung.set()

    async def _open_target(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._target.scheme == "unix":
            return await asyncio.open_unix_connection(self._target.path)
        return await asyncio.open_connection(self._target.hostname, self._target.port or 6379)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                if self._hung.is_set():
                    await asyncio.Event().wait()  # swallow: never forward, never close
                writer.write(data)
                await writer.drain()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._hung.is_set():
            await asyncio.Event().wait()
        upstream_reader, upstream_writer = await self._open_target()
        for source, sink in ((reader, upstream_writer), (upstream_reader, writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def __aenter__(self) -> HangingProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for task in list(self._pipes):
            task.cancel()
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 5)
