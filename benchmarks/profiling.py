"""The benchmarks' shared cProfile summary: the top functions by cumulative time, as JSON-ready rows."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = str(Path(__file__).resolve().parent.parent) + "/"


def short_path(file: str) -> str:
    """A source path relative to the repo or site-packages."""
    for marker in ("site-packages/", REPO):
        if marker in file:
            return file.split(marker, 1)[1]
    return Path(file).name


def top_functions(
    profiler: cProfile.Profile, *, hidden: Sequence[str] = (), limit: int = 10, per_call: int = 1
) -> list[dict[str, Any]]:
    """The `limit` functions with the most cumulative time, leaving out frames whose file or name holds `hidden`."""
    entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    shown = [(key, value) for key, value in entries.items() if not any(part in key[0] + key[2] for part in hidden)]
    top = sorted(shown, key=lambda item: item[1][3], reverse=True)[:limit]
    return [
        {
            "function": f"{short_path(file)}:{line}({name})" if line else name,
            "calls": nc,
            "cumulative_ms": round(ct * 1000, 2),
            **({"per_call_us": round(ct * 1e6 / per_call, 1)} if per_call > 1 else {}),
            "own_ms": round(tt * 1000, 2),
        }
        for (file, line, name), (_cc, nc, tt, ct, _callers) in top
    ]
