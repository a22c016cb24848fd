"""/api/v1/structures: the account's structure markets through the same use case as /market and the panel page."""

from __future__ import annotations

from aiohttp import web

from core.usecases.structures import MAX_BROKER_FEE_PERCENT, market_data
from web.api_io import API_PREFIX, ApiRoute, json_body, json_response
from web.api_schemas import Schema, ref
from web.errors import PanelError, path_id
from web.session_model import Session
from web.structures_page import MAX_QUERY, NOT_ENABLED, structure_change, structure_markets


async def _list_structures(request: web.Request, session: Session) -> web.Response:
    markets = structure_markets(request)
    if markets is None:
        raise PanelError(409, NOT_ENABLED)
    return json_response((await markets.list(session.account_id)).as_data())


def _only(body: dict[str, object], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise PanelError(422, f"Unknown field {unknown[0]!r}.", fields={unknown[0]: "unknown"})


async def _add_structure(request: web.Request, session: Session) -> web.Response:
    body = await json_body(request)
    _only(body, {"structure", "character_id"})
    query, character = body.get("structure"), body.get("character_id")
    if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY:
        raise PanelError(422, "structure is the structure's name or id.", fields={"structure": "invalid"})
    if character is not None and (isinstance(character, bool) or not isinstance(character, int) or character < 1):
        raise PanelError(422, "character_id is one of your characters' ids.", fields={"character_id": "invalid"})
    added = await structure_change(request, lambda m: m.add(session.account_id, query, character))
    return json_response(market_data(added), status=201)


async def _set_structure_fee(request: web.Request, session: Session) -> web.Response:
    structure = path_id(request, "structure_id")
    body = await json_body(request)
    _only(body, {"broker_fee_percent"})
    raw = body.get("broker_fee_percent", "missing")
    fee: float | None = None
    if raw is not None:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= MAX_BROKER_FEE_PERCENT:
            raise PanelError(422, "broker_fee_percent is 0-50 or null.", fields={"broker_fee_percent": "invalid"})
        fee = float(raw)
    changed = await structure_change(request, lambda m: m.set_fee(session.account_id, structure, fee))
    return json_response(market_data(changed))


async def _remove_structure(request: web.Request, session: Session) -> web.Response:
    structure = path_id(request, "structure_id")
    await structure_change(request, lambda m: m.remove(session.account_id, structure))
    return web.Response(status=204)


def _object(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    needed = list(properties) if required is None else required
    return {"type": "object", "required": needed, "properties": properties}


_ID: Schema = {"type": "integer", "minimum": 1}
_MAYBE_TEXT: Schema = {"type": ["string", "null"]}
_MARKET: dict[str, Schema] = {
    "structure_id": _ID,
    "market_id": _ID,
    "name": {"type": "string"},
    "solar_system_id": {"type": "integer"},
    "region_id": {"type": ["integer", "null"]},
    "broker_fee": {"type": ["number", "null"], "description": "the owner's rate as a fraction (SCC's apart)"},
}
STRUCTURE_SCHEMAS: dict[str, Schema] = {
    "StructureMarket": _object(_MARKET),
    "TrackedStructure": _object(
        _MARKET
        | {
            "system_name": _MAYBE_TEXT,
            "region_name": _MAYBE_TEXT,
            "character_id": _ID,
            "character_name": _MAYBE_TEXT,
            "data_as_of": {"type": ["string", "null"], "format": "date-time", "description": "null: no data yet"},
            "data_age": {"type": "string"},
            "last_error": _MAYBE_TEXT,
        }
    ),
    "StructureList": _object(
        {
            "markets": {"type": "array", "items": ref("TrackedStructure")},
            "characters": {
                "type": "array",
                "items": _object({"character_id": _ID, "name": {"type": "string"}}),
                "description": "the characters that can add a structure market",
            },
        }
    ),
    "StructureAdd": {
        **_object(
            {
                "structure": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY},
                "character_id": {"type": ["integer", "null"], "minimum": 1},
            },
            ["structure"],
        ),
        "additionalProperties": False,
    },
    "StructureFee": {
        **_object({"broker_fee_percent": {"type": ["number", "null"], "minimum": 0, "maximum": 50}}),
        "additionalProperties": False,
    },
}
_PATH = {"structure_id": {"type": "integer"}}
STRUCTURE_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute(
        "GET",
        f"{API_PREFIX}/structures",
        _list_structures,
        "The account's structure markets with their data age, and the characters that can add one",
        "user",
        ref("StructureList"),
        conflicts=NOT_ENABLED,
    ),
    ApiRoute(
        "POST",
        f"{API_PREFIX}/structures",
        _add_structure,
        "Track a structure's market by name or id with one of the account's characters (docking access checked)",
        "user",
        ref("StructureMarket"),
        request=ref("StructureAdd"),
        conflicts=NOT_ENABLED,
        status=201,
    ),
    ApiRoute(
        "PUT",
        f"{API_PREFIX}/structures/{{structure_id}}/fee",
        _set_structure_fee,
        "Set (null: clear) the owner's broker fee of one of the account's structure markets, in percent",
        "user",
        ref("StructureMarket"),
        request=ref("StructureFee"),
        path_params=_PATH,
        conflicts=NOT_ENABLED,
    ),
    ApiRoute(
        "DELETE",
        f"{API_PREFIX}/structures/{{structure_id}}",
        _remove_structure,
        "Stop tracking one of the account's structure markets (its stored orders are dropped)",
        "user",
        None,
        path_params=_PATH,
        conflicts=NOT_ENABLED,
    ),
)
