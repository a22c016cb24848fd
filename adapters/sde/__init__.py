"""Static data (SDE) import: CCP's JSONL export -> sde_* tables, plus a bundled offline fixture."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from adapters.postgres.static_data import static_data_is_empty
from adapters.sde.archive import SdeImportError
from adapters.sde.importer import ImportSummary, import_sde

__all__ = ["ImportSummary", "SdeImportError", "bundled_fixture_path", "import_sde", "sde_is_empty"]

BUNDLED_FIXTURE = Path(__file__).resolve().parent / "bundled" / "sde-fixture.zip"


def bundled_fixture_path() -> Path:
    """The committed offline fixture: real published market types, the five hubs, the PLEX region."""
    return BUNDLED_FIXTURE


async def sde_is_empty(pool: asyncpg.Pool) -> bool:
    """True when no static data has been imported yet."""
    return await static_data_is_empty(pool)
