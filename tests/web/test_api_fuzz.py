"""The JSON API under generated input (Schemathesis from our OpenAPI document): valid requests get a documented
answer and body, invalid ones a 4xx, and nothing ever a 5xx."""

from __future__ import annotations

import asyncio
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.core.result import Err
from schemathesis.generation import GenerationMode

from evetrader.app import App
from tests.web.helpers import create_account, csrf_of, sign_in
from tests.web.market_helpers import MarketClient, market_app, market_client
from web.openapi import openapi_document
from web.security import CSRF_HEADER

__all__ = ["market_app", "market_client"]  # fixtures: the public operations answer from real market data
EXAMPLES = 100  # per operation and mode (a run of 1,500 each also came out clean)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def without_auth(document: dict[str, Any]) -> dict[str, Any]:
    """The document minus the session cookie and CSRF header, which the test sends itself (their own tests show
    that a request without them is refused): generated invalid data then lies in paths, queries and bodies only."""
    for item in document["paths"].values():
        for operation in item.values():
            operation.pop("security", None)
            kept = [p for p in operation.get("parameters", []) if p["name"] != CSRF_HEADER]
            operation["parameters"] = kept
    document["components"].pop("securitySchemes")
    return document


def fuzz(base_url: str, cookies: dict[str, str], csrf: str) -> list[str]:
    """Every operation in both modes; the first failure of each (operation, mode), as text."""
    schema = schemathesis.openapi.from_dict(without_auth(openapi_document()))
    failures: list[str] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"invalid operation in the document: {result.err()}")
            continue
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                examine(operation, mode, base_url, cookies, csrf)
            except Unsatisfiable:  # nothing to make invalid (no body, no typed parameter): no negative case
                continue
            except Exception as failure:  # collected, so every operation is tried
                failures.append(f"{operation.label} ({mode.value}): {str(failure)[:600]}")
    return failures


def examine(operation: Any, mode: GenerationMode, base_url: str, cookies: dict[str, str], csrf: str) -> None:
    """Send EXAMPLES generated requests of one operation and mode and check each answer (raises on a failure)."""
    expected = CHECKS + ([checks.negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(mode))
    def send(case: Any) -> None:
        response = case.call(base_url=base_url, cookies=cookies, headers={CSRF_HEADER: csrf})
        case.validate_response(response, checks=expected)

    send()


async def test_generated_requests_never_break_the_api(market_client: MarketClient, market_app: App) -> None:
    client = await market_client()
    admin = await create_account(market_app.pool, "admin", identities=(("discord", "5", "Admin"),))
    await sign_in(client, admin)
    csrf = await csrf_of(client)
    cookies = {morsel.key: morsel.value for morsel in client.session.cookie_jar}
    base_url = str(client.make_url("")).rstrip("/")
    failures = await asyncio.to_thread(fuzz, base_url, cookies, csrf)
    assert failures == [], "\n\n".join(failures)
