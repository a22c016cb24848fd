"""Jobs as plain async functions with explicit dependencies (what runs is listed in scheduler/service.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from core.market.history import HistoryRefresher, HistorySummary

if TYPE_CHECKING:  # the stores are built by the bootstrap and handed in
    from core.alerts.digest import DigestService

log = logging.getLogger(__name__)


class WatchedTypes(Protocol):
    """The types whose history is kept: a region's explicit watchlist plus its most traded."""

    async def watched_types(self, region_id: int, limit: int) -> list[int]:
        """At most `limit` type ids of the region."""
        ...


class ExpiredSessions(Protocol):
    """The panel's refresh tokens and sign-in sessions, as the purge sees them."""

    async def purge_expired(self) -> tuple[int, int]:
        """Delete expired refresh tokens and the sessions left without one; (tokens, sessions) deleted."""
        ...


class ExpiredAppraisals(Protocol):
    """The shared appraisals, as the purge sees them."""

    async def purge_expired(self) -> int:
        """Delete the appraisals past their expiry; how many."""
        ...


async def refresh_history(
    refresher: HistoryRefresher, store: WatchedTypes, region_ids: list[int], watch_limit: int
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


async def send_digests(digests: DigestService) -> int:
    """Write the daily digests that are due (every 15 minutes; each account once per local date)."""
    written = await digests.run()
    if written:
        log.info("daily digests written", extra={"digests": written})
    return written


async def purge_sessions(store: ExpiredSessions) -> int:
    """Delete expired panel refresh tokens and the sign-in sessions left without one; returns tokens deleted."""
    tokens, families = await store.purge_expired()
    if tokens or families:
        log.info("expired panel sessions purged", extra={"tokens": tokens, "sessions": families})
    return tokens


async def purge_appraisals(store: ExpiredAppraisals) -> int:
    """Delete the shared appraisals past their expiry (APPRAISAL_TTL_DAYS); returns how many."""
    purged = await store.purge_expired()
    if purged:
        log.info("expired appraisals purged", extra={"appraisals": purged})
    return purged
