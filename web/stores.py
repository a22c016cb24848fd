"""The panel's stores, built by the bootstrap (evetrader.bootstrap.web) and read by the handlers (never built here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from adapters.postgres.account_email import PgAccountEmail
    from adapters.postgres.admin_reports import PgAdminReports
    from adapters.postgres.push_subscriptions import PgPushSubscriptions
    from adapters.postgres.watchlist import PgTypeNames
    from core.alerts.ports import AlertRuleRepository
    from core.alerts.watchlist import WatchlistStore
    from core.appraisal.archive import AppraisalArchive
    from core.trading.book import WalletHistory
    from core.trading.notify import NoticeSettings


@dataclass(frozen=True)
class WebStores:
    """Every store a page or API handler reads or writes (accounts and sessions are WebDeps' own fields), typed by
    the core port the handlers use where core has one (the others' handlers use more than a port would say)."""

    rules: AlertRuleRepository
    watchlist: WatchlistStore
    emails: PgAccountEmail  # addresses, their verification and mail quota
    wallet: WalletHistory  # stored wallet rows
    notices: NoticeSettings  # what the trade notices announce and where they go (the wallet's store in Postgres)
    reports: PgAdminReports
    push: PgPushSubscriptions
    appraisals: AppraisalArchive  # shared appraisals, kept APPRAISAL_TTL_DAYS
    types: PgTypeNames  # static-data item names: by id, by exact name, by prefix


STORES: web.AppKey[WebStores] = web.AppKey("stores")


def stores(request: web.Request) -> WebStores:
    """The stores of the app serving `request`."""
    return request.app[STORES]
