"""The panel's stores, built by the bootstrap (evetrader.bootstrap.web) and read by the handlers (never built here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from adapters.postgres.account_email import PgAccountEmail
    from adapters.postgres.admin_reports import PgAdminReports
    from adapters.postgres.alerts_rules import PgAlertRules
    from adapters.postgres.appraisals import PgAppraisals
    from adapters.postgres.push_subscriptions import PgPushSubscriptions
    from adapters.postgres.wallet import PgWalletStore
    from adapters.postgres.watchlist import PgTypeNames, PgWatchlist


@dataclass(frozen=True)
class WebStores:
    """Every store a page or API handler reads or writes (accounts and sessions are WebDeps' own fields)."""

    rules: PgAlertRules
    watchlist: PgWatchlist
    emails: PgAccountEmail
    wallet: PgWalletStore  # stored wallet rows and the trade notices' settings
    reports: PgAdminReports
    push: PgPushSubscriptions
    appraisals: PgAppraisals  # shared appraisals, kept APPRAISAL_TTL_DAYS
    types: PgTypeNames  # static-data item names


STORES: web.AppKey[WebStores] = web.AppKey("stores")


def stores(request: web.Request) -> WebStores:
    """The stores of the app serving `request`."""
    return request.app[STORES]
