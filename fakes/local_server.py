"""LocalServer: the aiohttp lifecycle every local fake shares (listen on a free port, base URL, close, async with)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web


class LocalServer:
    """An aiohttp server a fake serves on 127.0.0.1 (port 0 by default); subclasses build the app.

    Hooks: `build_app()` (required), `on_start()` before listening and `on_close()` before the server stops (to
    release held requests, close sockets or finish background deliveries).
    """

    shutdown_timeout: float = 1.0  # seconds aiohttp waits for open requests on close
    handler_cancellation: bool = False  # cancel a handler whose client went away (a timed-out SDK call)

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """http://HOST:PORT of the running fake, without a trailing slash."""
        if self._url is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._url

    @property
    def base_url(self) -> str:
        """The same as `url` (the name the ESI and SSO clients' settings use)."""
        return self.url

    def build_app(self) -> web.Application:
        """The aiohttp application with the fake's routes."""
        raise NotImplementedError

    async def on_start(self) -> None:
        """Prepare state before listening (nothing by default)."""

    async def on_close(self) -> None:
        """Release what would hold the server open before it stops (nothing by default)."""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> Self:
        """Listen on `host`:`port` (0: a free port); `url` is set from then on."""
        await self.on_start()
        runner = web.AppRunner(
            self.build_app(),
            access_log=None,
            shutdown_timeout=self.shutdown_timeout,
            handler_cancellation=self.handler_cancellation,
        )
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self._url = f"http://{host}:{runner.addresses[0][1]}"
        return self

    async def close(self) -> None:
        """Run `on_close()`, then stop serving (safe to call twice)."""
        await self.on_close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def stop(self) -> None:
        """The same as `close()` (the name the bot and AI fakes' callers use)."""
        await self.close()

    async def __aenter__(self) -> Self:
        """Start on entry."""
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close on exit."""
        await self.close()
