"""The wallet job against the ESI and SSO fakes and real Postgres: stores once, waits for Expires, then a 304."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest_asyncio

from adapters.esi.wallet import EsiWallet
from adapters.postgres.character_orders import PgCharacterOrderStore
from adapters.postgres.wallet import PgWalletStore
from core.accounts.sso import SCOPE_WALLET
from core.accounts.tokens import CharacterTokens
from fakes.esi import EsiFake
from fakes.esi.characters import trust_sso
from fakes.esi.wallet import set_wallet
from fakes.sso import SsoFake
from scheduler.wallet import refresh_wallets
from tests.adapters.character_clients import character_clients, character_store, link_character
from tests.adapters.esi.test_wallet import journal_row, tx_row

JOE = 90000001


class Clock:
    """Real time plus an offset the test moves forward (ESI fake and job share it)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def epoch(self) -> float:
        return time.time() + self.offset

    def __call__(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)


@pytest_asyncio.fixture(loop_scope="session")
async def world(pg_pool: asyncpg.Pool) -> AsyncIterator[Any]:
    clock = Clock()
    async with EsiFake(regions={10000002: 20}, clock=clock.epoch) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        async with character_clients(esi, sso) as (sso_client, transport):
            characters = character_store(pg_pool)
            await link_character(characters, sso, sso_client, JOE, [SCOPE_WALLET])
            tokens = CharacterTokens(characters, sso_client, clock=clock)
            yield clock, esi, tokens, EsiWallet(transport), transport


async def test_refresh_stores_once_and_honours_expires(world: Any, pg_pool: asyncpg.Pool) -> None:
    clock, esi, tokens, wallet, transport = world
    set_wallet(
        esi, JOE, transactions=[tx_row(i) for i in range(1, 3001)], journal=[journal_row(i) for i in range(1, 11)]
    )
    store = PgWalletStore(pg_pool)
    subjects = await PgCharacterOrderStore(pg_pool).characters_with_scope(SCOPE_WALLET)
    assert [s.character_id for s in subjects] == [JOE]

    async def run() -> Any:
        return await refresh_wallets(tokens, wallet, store, subjects, clock=clock)

    first = await run()
    assert (first.characters, first.fetched, first.failed) == (1, 2, {})
    assert first.new_transactions[JOE] == list(range(1, 3001))
    txs, journal = await store.history([JOE], date(2026, 3, 2))
    assert len(txs) == 3000 and len(journal) == 10

    requests = len(esi.requests)
    assert (await run()).fresh == 2 and len(esi.requests) == requests  # within Expires: ESI is not asked

    clock.offset += 3700  # both routes expired; nothing changed -> 304s (transactions: the ETag of the first page)
    transport.expiry.forget(f"/characters/{JOE}/wallet/journal/")  # the in-memory guard runs on real time
    third = await run()
    assert (third.not_modified, third.new_transactions, third.failed) == (2, {}, {})

    set_wallet(esi, JOE, transactions=[tx_row(i) for i in range(1, 3006)])
    clock.offset += 3700
    transport.expiry.forget(f"/characters/{JOE}/wallet/journal/")
    fourth = await run()
    assert fourth.new_transactions == {JOE: [3001, 3002, 3003, 3004, 3005]}
    walked = [r.query.get("from_id") for r in esi.requests[requests:] if r.path.endswith("wallet/transactions/")]
    assert walked == [None, None]  # each refresh stopped at the newest stored transaction: no walk back
    assert len((await store.history([JOE], date(2026, 3, 2)))[0]) == 3005
