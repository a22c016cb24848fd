"""Jobs as plain async functions with explicit dependencies (what runs is listed in scheduler/service.py)."""

from __future__ import annotations

import logging

from adapters.postgres.history import PgHistoryStore
from core.market.history import HistoryRefresher, HistorySummary

log = logging.getLogger(__name__)


async def refresh_history(
    refresher: HistoryRefresher, store: PgHistoryStore, region_ids: list[int], watch_limit: int
) -> dict[int, HistorySummary]:
    """Refresh the history of each region's watched types (explicit watchlist plus the most traded)."""
    results: dict[int, HistorySummary] = {}
    for region_id in region_ids:
        type_ids = await store.watched_types(region_id, watch_limit)
        results[region_id] = summary = await refresher.refresh(region_id, type_ids)
        log.info(
            "history refreshed",
            extra={
                "region_id": region_id,
                "types": len(type_ids),
                "fetched": summary.fetched,
                "unchanged": summary.unchanged,
                "fresh": summary.fresh,
                "failed": len(summary.failed),
            },
        )
    return results
