"""Market data wiring: the order-book, history, price and packaged-volume refreshers over the opened resources.

The scheduler's jobs, the chat commands' history on demand and the CLI's ingest, import and seed commands build
their refreshers here; `source` (e.g. a page-counting wrapper of ESI) replaces ESI where a builder takes one. Each
builder imports its own adapters and use case: `evetrader ingest` loads the order book's only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.market.history import HistoryRefresher
    from core.market.ingest import RegionRefresher
    from core.market.packaging import PackagedVolumeRefresher
    from core.market.ports import MarketSource
    from core.market.prices import PricesRefresher
    from evetrader.app import App


def region_refresher(app: App, source: MarketSource | None = None) -> RegionRefresher:
    """The order-book refresh use case wired to ESI (or `source`), Postgres and Redis."""
    from adapters.postgres.orderbook import PgOrderBookStore
    from adapters.redis.quotes import RedisQuoteCache
    from core.market.ingest import RegionRefresher

    return RegionRefresher(
        source or app.esi,
        PgOrderBookStore(app.pool),
        RedisQuoteCache(app.redis, app.keys),
        snapshot_retries=app.settings.esi_snapshot_retries,
    )


def history_refresher(app: App, source: MarketSource | None = None) -> HistoryRefresher:
    """The daily history refresh use case (over ESI, or `source`)."""
    from adapters.postgres.history import PgHistoryStore
    from core.market.history import HistoryRefresher

    return HistoryRefresher(source or app.esi, PgHistoryStore(app.pool))


def prices_refresher(app: App) -> PricesRefresher:
    """The hourly refresh of CCP's average prices."""
    from adapters.postgres.prices import PgPriceStore
    from core.market.prices import PricesRefresher

    return PricesRefresher(app.esi, PgPriceStore(app.pool))


def packaging_refresher(app: App, source: MarketSource | None = None) -> PackagedVolumeRefresher:
    """Fills ships' packaged volumes (missing from the SDE) from ESI (or `source`)."""
    from adapters.postgres.packaging import PgPackagedVolumeStore
    from core.market.packaging import PackagedVolumeRefresher

    return PackagedVolumeRefresher(source or app.esi, PgPackagedVolumeStore(app.pool))


async def mark_esi_source(app: App, demo: bool) -> None:
    """Remember whether the market data comes from the demo fake (reply footers then say it is simulated)."""
    from adapters.postgres.app_meta import PgAppMeta

    await PgAppMeta(app.pool).mark_esi_source(demo)
