"""EsiCharacterOrders against the ESI fake, with access tokens minted by the SSO fake."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio

from adapters.esi.character_orders import EsiCharacterOrders
from adapters.esi.errors import EsiClientError, EsiUnavailable
from core.accounts.sso import SCOPE_CHARACTER_ORDERS, SCOPE_WALLET
from fakes.esi import EsiFake
from fakes.esi.characters import set_history, set_orders, trust_sso
from fakes.sso import SsoFake

pytestmark = pytest.mark.e2e
JOE, ALT = 90000001, 90000002
ROW = {
    "order_id": 7001, "type_id": 34, "region_id": 10000002, "location_id": 60003760, "price": 5.55,
    "volume_remain": 10, "volume_total": 20, "issued": "2026-03-01T10:00:00Z", "duration": 90,
    "range": "region", "min_volume": 1, "is_corporation": False,
}  # fmt: skip


@pytest_asyncio.fixture
async def servers() -> AsyncIterator[tuple[EsiFake, SsoFake, EsiCharacterOrders]]:
    async with EsiFake(regions={10000002: 50}) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        client = EsiCharacterOrders(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01")
        async with client:
            yield esi, sso, client


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
