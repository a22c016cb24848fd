"""A small in-memory map whose entries expire: conversation state, button actions and pages of one bot process."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlMap(Generic[K, V]):
    """Entries live `ttl` seconds from their last write; past `max_entries` the oldest write is dropped."""

    def __init__(self, ttl: float, *, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The live value of `key`, or None (expired entries are forgotten)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def set(self, key: K, value: V) -> None:
        """Store `value` for `ttl` seconds from now."""
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + self.ttl, value)
        self._prune()

    def pop(self, key: K) -> V | None:
        """Remove and return the live value of `key`, or None."""
        value = self.get(key)
        self._entries.pop(key, None)
        return value

    def __len__(self) -> int:
        self._prune()
        return len(self._entries)

    def _prune(self) -> None:
        now = self._clock()
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires > now and len(self._entries) <= self.max_entries:
                break
            del self._entries[key]
