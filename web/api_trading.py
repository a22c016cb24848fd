"""The trading part of the JSON API: the signed-in account's realised profit (FIFO, after fees) over a period."""

from __future__ import annotations

from aiohttp import web

from web.api_io import API_PREFIX, ApiRoute, json_response
from web.api_schemas import Schema, ref
from web.session_model import Session
from web.trading_inputs import DEFAULT_DAYS, read_profit


async def _get_profit(request: web.Request, session: Session) -> web.Response:
    return json_response((await read_profit(request, session.account_id)).data)


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
            "sources": {
                "type": "array",
                "items": ref("SourceAge"),
                "description": "each character's wallet the report read, with when it was current",
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
