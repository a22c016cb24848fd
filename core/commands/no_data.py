"""Honest empty states: a market command over a region that was never ingested says so, and what to do next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.chat.model import Reply
from core.chat.registry import CommandContext
from core.usecases.market_data import missing_data, missing_regions, missing_text, on_console
from core.usecases.market_services import MarketServices, market_services


def missing_reply(
    ctx: CommandContext,
    services: MarketServices,
    missing: Iterable[int],
    *,
    title: str | None = None,
    data: dict[str, Any] | None = None,
) -> Reply:
    """The reply saying which regions have no market data yet and what to do next."""
    missing = list(missing)
    text = missing_text(missing, on_console(ctx))
    return Reply(title=title, text=text, footer=services.footer(None), data=(data or {}) | missing_data(missing))


async def missing_market_data(
    ctx: CommandContext, region_ids: Iterable[int], *, title: str | None = None, data: dict[str, Any] | None = None
) -> Reply | None:
    """The reply when some of `region_ids` were never ingested (what is missing, the next step), else None.

    Called on a command's empty path only, so answers with data cost no extra read. None as well while the
    snapshot store cannot be reached: the command's own empty answer stands then.
    """
    services = market_services(ctx)
    missing = await missing_regions(services, region_ids)
    return missing_reply(ctx, services, missing, title=title, data=data) if missing else None
