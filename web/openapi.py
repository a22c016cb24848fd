"""The OpenAPI 3.1 document of the JSON API, generated from the route table so the two cannot drift."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import orjson
from aiohttp import web

from web.api import ROUTES, ApiRoute
from web.api_io import PUBLIC
from web.api_public_schemas import PUBLIC_SCHEMAS
from web.api_schemas import COMPONENTS, ref
from web.api_structures import STRUCTURE_SCHEMAS
from web.api_trading import TRADING_SCHEMAS
from web.security import CSRF_HEADER, STATE_CHANGING

OPENAPI_PATH = "/api/openapi.json"
_ERRORS = {
    "400": "Malformed request",
    "401": "Not signed in",
    "403": "Not allowed, or CSRF token missing or wrong",
    "422": "Invalid values",
    "429": "Rate limited (see Retry-After)",
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def _operation(route: ApiRoute) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    public = route.role == PUBLIC
    if route.response is None:
        responses["204"] = {"description": "Done"}
    else:
        ok = {"description": "Created" if route.status == 201 else "OK"}
        responses[str(route.status)] = ok | {"content": {"application/json": {"schema": route.response}}}
    if route.cached:
        header = {"schema": {"type": "string"}}
        responses[str(route.status)]["headers"] = {"ETag": header, "Cache-Control": header}
        responses["304"] = {"description": "Not modified since the ETag sent in If-None-Match"}
    responses.update({status: _error(text) for status, text in _ERRORS.items()})
    if route.path_params or route.not_found:
        default = "No such resource" if public else "No such resource on your account"
        responses["404"] = _error(route.not_found or default)
    if route.conflicts:
        responses["409"] = _error(route.conflicts)
    if public:
        responses.pop("401")
        responses["403"] = _error("Cross-site request refused")
        responses["413"] = _error("The body is too large")
        responses["415"] = _error("Not a JSON body")
        responses["503"] = _error("No market data on this server")
        responses.setdefault("404", _error("No such item"))
    operation: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": [route.role],
        "security": [] if public else [{"sessionCookie": []}],
        "responses": responses,
    }
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": schema} for name, schema in route.path_params.items()
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in route.query_params.items()
    ]
    if route.method in STATE_CHANGING and not public:
        parameters.append({"name": CSRF_HEADER, "in": "header", "required": True, "schema": {"type": "string"}})
    if parameters:
        operation["parameters"] = parameters
    if route.request is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": route.request}}}
    return operation


def openapi_document(routes: tuple[ApiRoute, ...] = ROUTES) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `routes`."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "evetrader panel API",
            "version": version("evetrader"),  # the installed distribution's version (pyproject.toml)
            "description": "Sign in on the panel first: the API uses the panel's session cookies. "
            f"Changes need the account's csrf_token (GET /api/v1/account) in the {CSRF_HEADER} header. "
            "The public operations (appraisals, market data, item search) need neither and read no cookie.",
        },
        "paths": paths,
        "components": {
            "schemas": COMPONENTS | PUBLIC_SCHEMAS | TRADING_SCHEMAS | STRUCTURE_SCHEMAS,
            "securitySchemes": {
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "__Host-evt_access"},
            },
        },
    }


async def openapi_handler(request: web.Request) -> web.Response:
    """Serve the OpenAPI document."""
    return web.Response(body=orjson.dumps(openapi_document()), content_type="application/json")
