"""Pausing the cyclic garbage collector while a bulk job builds many acyclic objects (rows, dicts, quotes)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_pauses = 0


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic GC for a block that allocates ~1M acyclic objects (rows, dicts): it only makes the GC scan.

    Reference counting still frees everything. Nested or concurrent blocks share the pause; the last one out
    resumes it. When someone else already disabled the GC, it is left alone.
    """
    global _pauses
    if _pauses == 0 and not gc.isenabled():
        yield
        return
    _pauses += 1
    gc.disable()
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0:
            gc.enable()
