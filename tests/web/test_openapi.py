"""The OpenAPI document matches the routes exactly, and real responses conform to the documented schemas."""

from __future__ import annotations

import re
from typing import Any

from tests.web.helpers import create_account, csrf_of, sign_in
from tests.web.schema_check import problems, resolve
from web.api import API_PREFIX

_METHODS = {"GET", "PUT", "POST", "PATCH", "DELETE"}


def _served(app) -> set[tuple[str, str]]:
    """(method, path) of every API route the app really serves."""
    served = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if path.startswith("/api/") and route.method in _METHODS:
            served.add((route.method, path))
    return served


async def _document(client: Any) -> Any:
    response = await client.get("/api/openapi.json")
    assert response.status == 200 and response.content_type == "application/json"
    return await response.json()


async def test_every_route_is_documented_and_every_documented_operation_exists(make_light_client):
    client = await make_light_client()
    document = await _document(client)
    assert document["openapi"] == "3.1.0"
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    served = _served(client.app) - {("GET", "/api/openapi.json")}
    assert documented == served
    assert all(path.startswith(API_PREFIX) for _, path in documented)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), (method, path)
            csrf = any(p["name"] == "X-CSRF-Token" for p in operation.get("parameters", []))
            if operation["security"] == []:  # public: no session cookie is read, so no CSRF token either
                assert not csrf and "401" not in operation["responses"], (method, path)
            elif method.upper() in {"PUT", "POST", "PATCH", "DELETE"}:
                assert csrf, (method, path)
            for response in operation["responses"].values():
                for media in response.get("content", {}).values():
                    assert resolve(document, media["schema"])  # every $ref resolves


def _schema(document: Any, path: str, method: str, status: str) -> Any:
    return document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


async def test_responses_match_the_documented_schemas(client, pg_pool):
    admin = await create_account(pg_pool, "admin", identities=(("discord", "5", "Admin"),))
    document = await _document(client)
    anonymous = await client.get("/api/v1/account")
    assert problems(document, _schema(document, "/api/v1/account", "get", "401"), await anonymous.json()) == []
    await sign_in(client, admin)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    role_path = "/api/v1/admin/accounts/{account_id}/role"
    calls = [
        ("get", "/api/v1/account", "/api/v1/account", None, "200"),
        ("get", "/api/v1/settings", "/api/v1/settings", None, "200"),
        ("put", "/api/v1/settings", "/api/v1/settings", {"default_hub": "Rens", "skills": {"accounting": 2}}, "200"),
        ("put", "/api/v1/settings", "/api/v1/settings", {"default_hub": "Nowhere"}, "422"),
        ("get", "/api/v1/admin/accounts", "/api/v1/admin/accounts", None, "200"),
        ("put", f"/api/v1/admin/accounts/{admin}/role", role_path, {"role": "admin"}, "200"),
    ]
    for method, url, path, body, status in calls:
        response = await client.request(method.upper(), url, json=body, headers=headers)
        assert str(response.status) == status, (url, await response.text())
        payload = await response.json()
        assert problems(document, _schema(document, path, method, status), payload) == [], (url, payload)
    request_schema = document["paths"]["/api/v1/settings"]["put"]["requestBody"]["content"]["application/json"]
    assert problems(document, request_schema["schema"], {"default_hub": "Jita", "skills": {"corp_standing": 1.5}}) == []
    assert problems(document, request_schema["schema"], {"skills": {"tax": 1}}) != []  # the checker can fail


def test_the_document_carries_the_installed_version() -> None:
    from evetrader import __version__
    from web.openapi import openapi_document

    assert openapi_document()["info"]["version"] == __version__


async def test_every_answer_with_sources_documents_them_in_one_shape(make_light_client):
    """Appraisals, /price and /compare data and the profit report list `sources` as SourceAge [{kind, id, name,
    as_of}], the one shape every reply's data uses."""
    document = await _document(await make_light_client())
    schemas = document["components"]["schemas"]
    assert schemas["SourceAge"]["required"] == ["kind", "id", "name", "as_of"]
    for name in ("Appraisal", "MarketPrice", "MarketCompare", "ProfitReport"):
        assert schemas[name]["properties"]["sources"]["items"] == {"$ref": "#/components/schemas/SourceAge"}, name
    assert "sources" in schemas["MarketCompare"]["required"] and "DataAge" not in schemas
