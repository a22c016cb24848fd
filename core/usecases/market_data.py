"""Whether a region's market was ever ingested, and what to tell someone asking about one that was not."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

from core.chat.registry import CommandContext
from core.market.hubs import KNOWN_REGIONS
from core.market.model import SnapshotMeta
from core.ports import StoreUnavailable
from core.usecases.market_services import MarketServices

CONSOLE_STEP = "run `evetrader seed` for demo data or keep `evetrader run` going"
CHAT_STEP = (
    "its first market refresh has not finished. Try again in a few minutes; if this lasts, the operator should "
    "check that `evetrader run` is going with the region in INGEST_REGIONS"
)


def has_market_data(meta: SnapshotMeta | None) -> bool:
    """Whether a region's snapshot was ever committed (a failed first refresh leaves a row without pages)."""
    return meta is not None and (meta.pages > 0 or meta.last_modified is not None)


def region_name(region_id: int) -> str:
    """The region's name for people ("The Forge"), or "region <id>" for one we do not know by name."""
    return KNOWN_REGIONS.get(region_id, f"region {region_id}")


async def region_snapshots(services: MarketServices, region_ids: Iterable[int]) -> dict[int, SnapshotMeta | None]:
    """Each region's snapshot metadata (None: never ingested); {} while the snapshot store cannot be reached."""
    wanted = list(dict.fromkeys(region_ids))
    try:
        metas = await asyncio.gather(*(services.reader.snapshot(region_id) for region_id in wanted))
    except StoreUnavailable:
        return {}
    return dict(zip(wanted, metas, strict=True))


def never_ingested(snapshots: Mapping[int, SnapshotMeta | None]) -> tuple[int, ...]:
    """The regions among `snapshots` whose market was never ingested."""
    return tuple(region_id for region_id, meta in snapshots.items() if not has_market_data(meta))


async def missing_regions(services: MarketServices, region_ids: Iterable[int]) -> tuple[int, ...]:
    """Which of `region_ids` were never ingested (none while the snapshot store cannot be reached).

    Called on an empty answer only, so answers with data cost no extra read.
    """
    return never_ingested(await region_snapshots(services, region_ids))


def on_console(ctx: CommandContext) -> bool:
    """Whether the caller is at the terminal (where the next step is a command to run)."""
    return ctx.invocation is not None and ctx.caller.platform == "console"


def missing_text(missing: Iterable[int], console: bool) -> str:
    """What is missing and the next step: "The Forge has no market data yet: <step>."."""
    names = [region_name(region_id) for region_id in missing]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    step = CONSOLE_STEP if console else CHAT_STEP
    return f"{listed} {'has' if len(names) == 1 else 'have'} no market data yet: {step}."


def missing_data(missing: Iterable[int]) -> dict[str, object]:
    """The machine-readable mark of an answer over regions without market data."""
    return {"missing_regions": list(missing), "no_market_data": True}
