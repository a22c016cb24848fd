"""The port for what a chat bot remembers between messages: open questions, long button actions, paged replies.

Best effort by contract: when the store cannot be reached (a Redis restart), reads find nothing and writes say they
failed, so a bot degrades (no pager, no question kept) instead of failing the reply.
"""

from __future__ import annotations

from typing import Protocol


class InteractionState(Protocol):
    """Short-lived blobs by (kind, key), shared by every bot process and kept across restarts."""

    async def put(self, kind: str, value: bytes, ttl_s: float) -> str | None:
        """Keep `value` for `ttl_s` seconds under a new random key: the key (URL-safe, at most 12 characters), or
        None when it could not be kept."""
        ...

    async def set(self, kind: str, key: str, value: bytes, ttl_s: float) -> bool:
        """Keep (or replace) `value` under `key` for `ttl_s` seconds; False when it could not be kept."""
        ...

    async def get(self, kind: str, key: str) -> bytes | None:
        """The live value under `key`, or None (also when the store cannot be reached)."""
        ...

    async def pop(self, kind: str, key: str) -> bytes | None:
        """Remove and return the live value under `key` (atomically: two callers never both get it), or None."""
        ...
