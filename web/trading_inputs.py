"""The panel's and the API's trading filters (?from=&to=&character_id=) and the profit use case they read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from core.trading.book import CharacterError, PeriodError, WalletHistory, check_range
from core.usecases.accounts import AccountServices
from core.usecases.market_services import MarketServices
from core.usecases.trading import WalletProfit, wallet_profit
from web.errors import PanelError
from web.public import MARKET
from web.stores import stores

DEFAULT_DAYS = 30
FIRST_DAY = date(2003, 5, 6)  # EVE Online's release: no wallet is older
LAST_DAY = date(9998, 12, 31)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(request: web.Request, name: str, default: date) -> date:
    """A YYYY-MM-DD query parameter, or a 422 naming it."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        day = date.fromisoformat(raw) if _DAY.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise PanelError(422, f"{name} must be a date as YYYY-MM-DD from {FIRST_DAY}.", fields={name: "invalid"})
    return day


def period_of(request: web.Request) -> tuple[date, date]:
    """?from=&to= (default: the last 30 UTC days, today included), checked; 422 with the reason otherwise."""
    end = _day(request, "to", datetime.now(UTC).date())
    start = _day(request, "from", end - timedelta(days=DEFAULT_DAYS - 1))
    try:
        return check_range(start, end)
    except PeriodError as exc:
        raise PanelError(422, f"{str(exc)[0].upper()}{str(exc)[1:]}.", fields={"from": "invalid"}) from None


def character_of(request: web.Request) -> int | None:
    """?character_id= (None: all the account's characters); 422 when malformed (the use case says whose it is)."""
    raw = request.query.get("character_id")
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) < 1:
        raise PanelError(422, "character_id must be a positive whole number.", fields={"character_id": "invalid"})
    return int(raw)


def wallet_book(request: web.Request) -> WalletHistory:
    """The commands' wallet book when the panel has it (it fetches a wallet never fetched), else the stored rows."""
    context = request.app.get(MARKET)
    services = context.accounts if context is not None else None
    if isinstance(services, AccountServices) and services.wallet is not None:
        return services.wallet
    return stores(request).wallet


def _simulated(request: web.Request) -> bool:
    """Whether the market context says the ESI data is the demo's simulation."""
    context = request.app.get(MARKET)
    return context is not None and isinstance(context.services, MarketServices) and context.services.simulated


@dataclass(frozen=True)
class ProfitView:
    """A filtered profit answer and its data (the API's ProfitReport object, items named from the static data)."""

    start: date
    end: date
    character: int | None
    answer: WalletProfit
    data: dict[str, Any]


async def read_profit(request: web.Request, account_id: int) -> ProfitView:
    """The profit for the request's filters through the profit use case; PanelError (422/404) for a bad filter."""
    start, end = period_of(request)
    book = wallet_book(request)
    character = character_of(request)
    try:
        answer = await wallet_profit(book, account_id, start, end, character=character, simulated=_simulated(request))
    except CharacterError:
        raise PanelError(404, "No such character on your account.") from None
    data = answer.as_data()
    names = await stores(request).types.names([row["type_id"] for row in data["items"]])
    for row in data["items"]:
        row["name"] = names.get(row["type_id"], row["name"])
    return ProfitView(start, end, character, answer, data)
