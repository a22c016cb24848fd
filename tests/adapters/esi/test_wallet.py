"""EsiWallet through the one ESI transport against the ESI fake, with access tokens minted by the SSO fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from adapters.esi.errors import EsiClientError, NotExpired
from adapters.esi.settings import EsiSettings
from adapters.esi.transport import EsiTransport
from adapters.esi.wallet import EsiWallet
from core.accounts.sso import SCOPE_CHARACTER_ORDERS, SCOPE_WALLET
from fakes.esi import EsiFake
from fakes.esi.characters import trust_sso
from fakes.esi.wallet import set_wallet
from fakes.sso import SsoFake

pytestmark = pytest.mark.e2e
JOE = 90000001


def tx_row(transaction_id: int) -> dict[str, object]:
    return {
        "transaction_id": transaction_id, "date": "2026-03-01T10:00:00Z", "type_id": 34, "quantity": 5,
        "unit_price": 5.5, "is_buy": transaction_id % 2 == 0, "location_id": 60003760,
        "journal_ref_id": 10 * transaction_id, "client_id": 1000, "is_personal": True,
    }  # fmt: skip


def journal_row(entry_id: int) -> dict[str, object]:
    return {
        "id": entry_id, "date": f"2026-03-01T10:{entry_id % 60:02d}:00Z", "ref_type": "brokers_fee",
        "amount": -12.5, "balance": 1000.0, "description": "Market order commission to broker",
        "first_party_id": JOE, "second_party_id": 1000035,
    }  # fmt: skip


@pytest_asyncio.fixture
async def servers() -> AsyncIterator[tuple[EsiFake, SsoFake, EsiWallet, EsiTransport]]:
    async with EsiFake(regions={10000002: 50}) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        transport = EsiTransport(
            EsiSettings(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01", max_attempts=1)
        )
        await transport.start()
        try:
            yield esi, sso, EsiWallet(transport), transport
        finally:
            await transport.close()


async def test_transactions_walk_back_by_from_id_until_nothing_new(servers) -> None:
    """6,000 transactions come in three answers (2,500 each at most); every one once; then a 304 with the ETag."""
    esi, sso, wallet, _transport = servers
    set_wallet(esi, JOE, transactions=[tx_row(i) for i in range(1, 6001)])
    token = sso.mint(JOE, scopes=[SCOPE_WALLET])
    answer = await wallet.transactions(JOE, token)
    assert sorted(t.transaction_id for t in answer.rows or []) == list(range(1, 6001))
    walked = [r.query.get("from_id") for r in esi.requests if r.path.endswith("wallet/transactions/")]
    assert walked == [None, "3501", "1001", "1"]  # the last one brings nothing
    assert all(r.headers["Authorization"] == f"Bearer {token}" for r in esi.requests)
    assert answer.etag and answer.expires and answer.last_modified
    again = await wallet.transactions(JOE, token, etag=answer.etag)
    assert again.not_modified


async def test_the_walk_stops_at_the_newest_stored_transaction(servers) -> None:
    """With everything up to 5,000 stored, one answer (5,001-6,000 and older) is enough."""
    esi, sso, wallet, _transport = servers
    set_wallet(esi, JOE, transactions=[tx_row(i) for i in range(1, 6001)])
    answer = await wallet.transactions(JOE, sso.mint(JOE, scopes=[SCOPE_WALLET]), newest_known=5000)
    assert len([r for r in esi.requests if r.path.endswith("wallet/transactions/")]) == 1
    assert min(t.transaction_id for t in answer.rows or []) == 3501


async def test_journal_pages_from_one_generation(servers) -> None:
    """3,000 entries come on two pages; the second is asked with the page parameter and the token."""
    esi, sso, wallet, transport = servers
    set_wallet(esi, JOE, journal=[journal_row(i) for i in range(1, 3001)])
    token = sso.mint(JOE, scopes=[SCOPE_WALLET])
    answer = await wallet.journal(JOE, token)
    rows = answer.rows or []
    assert len(rows) == 3000 and len({e.id for e in rows}) == 3000
    assert rows[0].ref_type == "brokers_fee" and rows[0].amount == -12.5 and rows[0].character_id == JOE
    assert [r.query.get("page") for r in esi.requests] == [None, "2"]
    with pytest.raises(NotExpired):  # the transport's Expires guard: never re-requested early
        await wallet.journal(JOE, token, etag=answer.etag)
    transport.expiry.forget(f"/characters/{JOE}/wallet/journal/")
    assert (await wallet.journal(JOE, token, etag=answer.etag)).not_modified


async def test_a_token_without_the_wallet_scope_is_refused(servers) -> None:
    """ESI answers 403 for a token lacking esi-wallet.read_character_wallet.v1."""
    _, sso, wallet, _ = servers
    with pytest.raises(EsiClientError) as caught:
        await wallet.transactions(JOE, sso.mint(JOE, scopes=[SCOPE_CHARACTER_ORDERS]))
    assert caught.value.status == 403
