"""The start/close lifecycle every outside-world client shares, usable as `async with`."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class AsyncLifecycle:
    """A client with async start() and close(); `async with` starts it and closes it."""

    async def start(self) -> None:
        """Open what the client needs (sessions, pools)."""
        raise NotImplementedError

    async def close(self) -> None:
        """Release it (safe to call twice)."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
