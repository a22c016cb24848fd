"""The panel's stores, built by the bootstrap (evetrader.bootstrap.web) and read by the handlers (never built here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

if TYPE_CHECKING:
    from adapters.postgres.account_email import PgAccountEmail
    from adapters.postgres.admin_reports import PgAdminReports
    from adapters.postgres.push_subscriptions import PgPushSubscriptions
    from core.alerts.ports import AlertRuleRepository
    from core.alerts.watchlist import WatchlistStore
    from core.appraisal.archive import AppraisalArchive
    from core.trading.book import WalletHistory
    from core.trading.notify import NoticeSettings


class TypeNames(Protocol):
    """Static-data item names, as the alert, watchlist and trading handlers look them up."""

    async def names(self, type_ids: Sequence[int]) -> dict[int, str]:
        """The names of the known type ids among `type_ids`."""
        ...

    async def by_name(self, name: str) -> tuple[int, str] | None:
        """(type id, name) of the item with exactly this name (any case), or None."""
        ...

    async def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Up to `limit` item names starting with `prefix`, for suggestions."""
        ...


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
    types: TypeNames  # static-data item names: by id, by exact name, by prefix


STORES: web.AppKey[WebStores] = web.AppKey("stores")


def stores(request: web.Request) -> WebStores:
    """The stores of the app serving `request`."""
    return request.app[STORES]
