"""Static data (SDE) import: CCP's JSONL export -> sde_* tables, plus a bundled offline fixture."""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib.resources import as_file, files
from pathlib import Path

import asyncpg

from adapters.postgres.static_data import static_data_is_empty
from adapters.sde.archive import SdeImportError
from adapters.sde.importer import ImportSummary, import_sde

__all__ = ["ImportSummary", "SdeImportError", "bundled_fixture_path", "import_sde", "sde_is_empty"]

_extracted = contextlib.ExitStack()  # holds a temporary copy when the package is not on a file system (zipimport)
atexit.register(_extracted.close)


@functools.cache
def bundled_fixture_path() -> Path:
    """The offline fixture shipped as package data: real published market types, the five hubs, the PLEX region."""
    return _extracted.enter_context(as_file(files(__name__) / "bundled" / "sde-fixture.zip"))


async def sde_is_empty(pool: asyncpg.Pool) -> bool:
    """True when no static data has been imported yet."""
    return await static_data_is_empty(pool)
