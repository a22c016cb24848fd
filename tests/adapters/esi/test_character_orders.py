"""EsiCharacterOrders through the one ESI transport against the ESI fake, with access tokens minted by the SSO fake."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from adapters.esi.character_orders import EsiCharacterOrders
from adapters.esi.errors import EsiClientError, EsiUnavailable
from adapters.esi.settings import EsiSettings
from adapters.esi.transport import EsiTransport
from core.accounts.sso import SCOPE_CHARACTER_ORDERS, SCOPE_WALLET
from fakes.esi import EsiFake
from fakes.esi.characters import set_history, set_orders, trust_sso
from fakes.sso import SsoFake
from tests.adapters.esi.helpers import metric

pytestmark = pytest.mark.e2e
JOE, ALT = 90000001, 90000002
ROW = {
    "order_id": 7001, "type_id": 34, "region_id": 10000002, "location_id": 60003760, "price": 5.55,
    "volume_remain": 10, "volume_total": 20, "issued": "2026-03-01T10:00:00Z", "duration": 90,
    "range": "region", "min_volume": 1, "is_corporation": False,
}  # fmt: skip


def transport_for(esi: EsiFake, **knobs: Any) -> EsiTransport:
    """An ESI transport for the fake (one attempt unless told otherwise)."""
    settings = EsiSettings(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01", **knobs)
    return EsiTransport(settings)


@pytest_asyncio.fixture
async def servers() -> AsyncIterator[tuple[EsiFake, SsoFake, EsiCharacterOrders]]:
    async with EsiFake(regions={10000002: 50}) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        transport = transport_for(esi, max_attempts=1)
        await transport.start()
        try:
            yield esi, sso, EsiCharacterOrders(transport)
        finally:
            await transport.close()


async def test_orders_with_a_valid_token_then_304_with_the_etag(servers) -> None:
    esi, sso, client = servers
    set_orders(esi, JOE, [ROW, {**ROW, "order_id": 7002, "is_buy_order": True, "escrow": 55.5}])
    token = sso.mint(JOE, scopes=[SCOPE_CHARACTER_ORDERS])
    answer = await client.open_orders(JOE, token)
    (sell, buy) = answer.orders or []
    assert (sell.order_id, sell.is_buy_order, sell.price) == (7001, False, 5.55)  # no is_buy_order: a sell
    assert buy.is_buy_order and sell.expires_at - sell.issued == timedelta(days=90)
    assert answer.etag and answer.expires and answer.last_modified
    assert 1190 <= answer.expires.timestamp() - time.time() <= 1201
    again = await client.open_orders(JOE, token, etag=answer.etag)
    assert again.not_modified and again.etag == answer.etag
    sent = esi.requests[-1]
    assert sent.status == 304 and sent.headers["Authorization"] == f"Bearer {token}"
    assert sent.headers["X-Compatibility-Date"] == "2020-01-01"


async def test_cached_generation_is_served_until_expires(servers) -> None:
    esi, sso, client = servers
    set_orders(esi, JOE, [ROW])
    token = sso.mint(JOE, scopes=[SCOPE_CHARACTER_ORDERS])
    first = await client.open_orders(JOE, token)
    set_orders(esi, JOE, [])  # ESI keeps serving the cached answer until it expires
    assert (await client.open_orders(JOE, token)).orders == first.orders


@pytest.mark.parametrize(
    ("token_for", "status"),
    [
        ("none", 401),
        ("garbage", 401),
        ("expired", 401),
        ("other character", 403),
        ("wrong scope", 403),
    ],
)
async def test_tokens_esi_refuses(servers, token_for: str, status: int) -> None:
    _, sso, client = servers
    tokens = {
        "none": "",
        "garbage": "not-a-jwt",
        "expired": sso.mint(JOE, scopes=[SCOPE_CHARACTER_ORDERS], exp=int(time.time()) - 5),
        "other character": sso.mint(ALT, scopes=[SCOPE_CHARACTER_ORDERS]),
        "wrong scope": sso.mint(JOE, scopes=[SCOPE_WALLET]),
    }
    with pytest.raises(EsiClientError) as caught:
        await client.open_orders(JOE, tokens[token_for])
    assert caught.value.status == status
    assert tokens[token_for] not in str(caught.value) or not tokens[token_for]


async def test_history_and_server_errors(servers) -> None:
    esi, sso, client = servers
    set_history(esi, JOE, [{**ROW, "volume_remain": 0, "state": "expired"}])
    token = sso.mint(JOE, scopes=[SCOPE_CHARACTER_ORDERS])
    (closed,) = (await client.order_history(JOE, token)).orders or []
    assert closed.volume_remain == 0 and closed.state == "expired"
    esi.faults.server_errors(1, status=503, path="/orders/$")
    with pytest.raises(EsiUnavailable):
        await client.open_orders(JOE, token)


async def test_refused_orders_count_toward_the_error_limit_gate_and_metrics() -> None:
    """A 401 on a character's orders spends ESI's shared error budget: the transport counts it in its metrics and,
    with the budget at its floor, holds back the next ESI request of any route (here the public market)."""
    async with EsiFake(regions={10000002: 5}, error_limit=3) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        transport = transport_for(esi, max_attempts=1, error_limit_floor=2, max_wait_s=0.5)
        await transport.start()
        try:
            refused_before = metric("esi_requests_total", status="401")
            with pytest.raises(EsiClientError):
                await EsiCharacterOrders(transport).open_orders(JOE, "not-a-jwt")
            assert metric("esi_requests_total", status="401") - refused_before == 1
            assert esi.requests[-1].headers["X-Compatibility-Date"] == "2020-01-01"
            sent = len(esi.requests)
            with pytest.raises(EsiUnavailable, match="error_limit"):
                await transport.request("GET", "/markets/10000002/orders/", {"order_type": "all", "page": 1})
            assert len(esi.requests) == sent  # the gate held the market request back: nothing was sent
        finally:
            await transport.close()
