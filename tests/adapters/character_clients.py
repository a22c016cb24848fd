"""The SSO client and ESI transport started against the fakes, as the processes build them, and the character store
that links characters through a real SSO refresh (for tests of jobs and use cases that act as a character)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from adapters.crypto import TokenCipher
from adapters.esi.settings import EsiSettings
from adapters.esi.transport import EsiTransport
from adapters.postgres.characters import LinkResult, PgCharacterStore
from adapters.sso.client import SsoClient
from fakes.esi import EsiFake
from fakes.sso import SsoFake
from fakes.sso.state import IssuedRefresh


@asynccontextmanager
async def character_clients(
    esi: EsiFake, sso: SsoFake, **esi_settings: Any
) -> AsyncIterator[tuple[SsoClient, EsiTransport]]:
    """A started SsoClient on `sso` and EsiTransport on `esi` (`esi_settings` override EsiSettings), closed on exit."""
    sso_client = SsoClient(sso.base_url, sso.client_id, sso.client_secret, sso.redirect_uri)
    transport = EsiTransport(
        EsiSettings(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01", **esi_settings)
    )
    await sso_client.start()
    await transport.start()
    try:
        yield sso_client, transport
    finally:
        await transport.close()
        await sso_client.close()


def character_store(pool: asyncpg.Pool) -> PgCharacterStore:
    """The character store with a fresh token-encryption key."""
    return PgCharacterStore(pool, TokenCipher.from_setting(TokenCipher.new_key_entry("k1")))


async def link_character(
    store: PgCharacterStore,
    sso: SsoFake,
    sso_client: SsoClient,
    character_id: int,
    scopes: list[str],
    browser_account: int | None = None,
) -> LinkResult:
    """Link a character granted `scopes` as EVE sign-in does (a refresh token the SSO fake issued, redeemed), to
    `browser_account` when given."""
    grant = await sso_client.refresh(sso.ledger.new_refresh_token(IssuedRefresh(character_id, scopes)))
    return await store.link(grant.character, grant.refresh_token, browser_account=browser_account)
