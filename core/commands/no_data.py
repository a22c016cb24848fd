"""Honest empty states: a market command over a region that was never ingested says so, and what to do next."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from core.chat.model import Reply
from core.chat.registry import CommandContext
from core.market.hubs import KNOWN_REGIONS
from core.market.model import SnapshotMeta
from core.ports import StoreUnavailable
from core.usecases.market_services import market_services

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


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


async def missing_market_data(
    ctx: CommandContext, region_ids: Iterable[int], *, title: str | None = None, data: dict[str, Any] | None = None
) -> Reply | None:
    """The reply when some of `region_ids` were never ingested (what is missing, the next step), else None.

    Called on a command's empty path only, so answers with data cost no extra read. None as well while the
    snapshot store cannot be reached: the command's own empty answer stands then.
    """
    services, wanted = market_services(ctx), list(dict.fromkeys(region_ids))
    try:
        metas = await asyncio.gather(*(services.reader.snapshot(region_id) for region_id in wanted))
    except StoreUnavailable:
        return None
    missing = [region_id for region_id, meta in zip(wanted, metas, strict=True) if not has_market_data(meta)]
    if not missing:
        return None
    names = [region_name(region_id) for region_id in missing]
    console = ctx.invocation is not None and ctx.caller.platform == "console"
    step = CONSOLE_STEP if console else CHAT_STEP
    text = f"{_listed(names)} {'has' if len(names) == 1 else 'have'} no market data yet: {step}."
    details = {"missing_regions": missing, "no_market_data": True}
    return Reply(title=title, text=text, footer=services.footer(None), data=(data or {}) | details)
