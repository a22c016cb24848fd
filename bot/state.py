"""The port for what a chat bot remembers between messages: open questions, long button actions, paged replies."""

from __future__ import annotations

from typing import Protocol


class InteractionState(Protocol):
    """Short-lived blobs by (kind, key), shared by every bot process and kept across restarts."""

    async def put(self, kind: str, value: bytes, ttl_s: float) -> str:
        """Keep `value` for `ttl_s` seconds under a new random key; the key (URL-safe, at most 12 characters)."""
        ...

    async def set(self, kind: str, key: str, value: bytes, ttl_s: float) -> None:
        """Keep (or replace) `value` under `key` for `ttl_s` seconds."""
        ...

    async def get(self, kind: str, key: str) -> bytes | None:
        """The live value under `key`, or None."""
        ...

    async def pop(self, kind: str, key: str) -> bytes | None:
        """Remove and return the live value under `key` (atomically: two callers never both get it), or None."""
        ...
