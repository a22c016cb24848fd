"""Jobs as plain async functions with explicit dependencies (what runs is listed in scheduler/service.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import asyncpg

from adapters.postgres.alerts_eval import PgAlertEvaluator
from adapters.postgres.appraisals import PgAppraisals
from adapters.postgres.digest_orders import PgOrdersDigest
from adapters.postgres.history import PgHistoryStore
from adapters.postgres.sessions import PgRefreshTokenStore
from adapters.postgres.wallet import PgWalletStore
from adapters.postgres.watchlist import PgDigestStore
from core.alerts.digest import DigestService
from core.alerts.evaluation import SnapshotAlerts
from core.alerts.values import DEFAULT_FEES, FeeAssumption
from core.market.history import HistoryRefresher, HistorySummary
from core.market.ingest import RegionRefresher
from core.trading.book import DigestProfit

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


def with_alerts(refresher: RegionRefresher, pool: asyncpg.Pool, fees: FeeAssumption = DEFAULT_FEES) -> RegionRefresher:
    """The region refresher that evaluates the region's alert rules (margins at `fees`) after each snapshot swap."""
    return refresher.with_listener(SnapshotAlerts(PgAlertEvaluator(pool, fees)))


async def send_digests(pool: asyncpg.Pool, default_hub: str, names: Callable[[int], str | None] | None = None) -> int:
    """Write the daily digests that are due (every 15 minutes; each account once per local date)."""
    orders = PgOrdersDigest(pool, names) if names is not None else None
    name_of = (lambda type_id: names(type_id) or f"type {type_id}") if names is not None else str
    profit = DigestProfit(PgWalletStore(pool), name_of)
    written = await DigestService(PgDigestStore(pool), orders=orders, profit=profit, default_hub=default_hub).run()
    if written:
        log.info("daily digests written", extra={"digests": written})
    return written


async def purge_sessions(pool: asyncpg.Pool) -> int:
    """Delete expired panel refresh tokens and the sign-in sessions left without one; returns tokens deleted."""
    tokens, families = await PgRefreshTokenStore(pool).purge_expired()
    if tokens or families:
        log.info("expired panel sessions purged", extra={"tokens": tokens, "sessions": families})
    return tokens


async def purge_appraisals(pool: asyncpg.Pool) -> int:
    """Delete the shared appraisals past their expiry (APPRAISAL_TTL_DAYS); returns how many."""
    purged = await PgAppraisals(pool).purge_expired()
    if purged:
        log.info("expired appraisals purged", extra={"appraisals": purged})
    return purged
