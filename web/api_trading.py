"""The trading part of the JSON API: the signed-in account's realised profit (FIFO, after fees) over a period."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from core.commands.accounts import AccountServices
from core.trading.book import PeriodError, WalletHistory, account_profit, check_range
from web.api_io import API_PREFIX, ApiRoute, json_response
from web.api_schemas import Schema, ref
from web.errors import PanelError
from web.public import MARKET
from web.session_model import Session
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


async def character_of(request: web.Request, book: WalletHistory, account_id: int) -> int | None:
    """?character_id= of one of the account's characters (None: all of them); 422 malformed, 404 not theirs."""
    raw = request.query.get("character_id")
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) < 1:
        raise PanelError(422, "character_id must be a positive whole number.", fields={"character_id": "invalid"})
    if int(raw) not in await book.account_characters(account_id):
        raise PanelError(404, "No such character on your account.")
    return int(raw)


def wallet_book(request: web.Request) -> WalletHistory:
    """The commands' wallet book when the panel has it (it fetches a wallet never fetched), else the stored rows."""
    context = request.app.get(MARKET)
    services = context.accounts if context is not None else None
    if isinstance(services, AccountServices) and services.wallet is not None:
        return services.wallet
    return stores(request).wallet


async def profit_data(request: web.Request, account_id: int, start: date, end: date, character: int | None) -> Any:
    """The ProfitReport schema's object and the report itself (the panel's page and CSV use both)."""
    report, _ = await account_profit(wallet_book(request), account_id, start, end, character=character)
    data = report.as_dict()
    names = await stores(request).types.names([row["type_id"] for row in data["items"]])
    for row in data["items"]:
        row["name"] = names.get(row["type_id"], row["name"])
    return data, report


async def _get_profit(request: web.Request, session: Session) -> web.Response:
    start, end = period_of(request)
    character = await character_of(request, wallet_book(request), session.account_id)
    data, _ = await profit_data(request, session.account_id, start, end, character)
    return json_response(data)


_ISK: Schema = {"type": "number", "description": "ISK"}
_TYPE: Schema = {"type": "integer"}
_COUNT: Schema = {"type": "integer", "minimum": 0}


def _object(properties: dict[str, Schema]) -> Schema:
    return {"type": "object", "required": list(properties), "properties": properties}


TRADING_SCHEMAS: dict[str, Schema] = {
    "ProfitItem": _object(
        {
            "type_id": _TYPE,
            "name": {"type": "string"},
            "sold": _COUNT,
            "revenue": _ISK,
            "cost": _ISK,
            "fees": _ISK,
            "profit": _ISK,
        }
    ),
    "UnmatchedSale": _object({"type_id": _TYPE, "quantity": _COUNT, "revenue": _ISK}),
    "ProfitReport": _object(
        {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "revenue": _ISK,
            "cost": _ISK,
            "broker_fees": _ISK,
            "sales_tax": _ISK,
            "profit": _ISK,
            "items": {"type": "array", "items": ref("ProfitItem"), "description": "most profitable first"},
            "unmatched": {
                "type": "array",
                "items": ref("UnmatchedSale"),
                "description": "units sold without a known purchase (left out of the totals)",
            },
            "fetching": {
                "type": "boolean",
                "description": "a first wallet fetch is still running: the figures cover what is stored so far",
            },
        }
    ),
}
_DATE: Schema = {"type": "string", "format": "date"}
TRADING_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute(
        "GET",
        f"{API_PREFIX}/trading/profit",
        _get_profit,
        "Realised trading profit (FIFO, after fees) of the account's characters pooled, or of one, over UTC days "
        f"?from=..&to= (default the last {DEFAULT_DAYS} days)",
        "user",
        ref("ProfitReport"),
        query_params={"from": _DATE, "to": _DATE, "character_id": {"type": "integer", "minimum": 1}},
        not_found="No such character on your account",
    ),
)
