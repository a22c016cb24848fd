"""The whole link flow against the EVE SSO fake: state, authorize, code exchange, refresh, revoke, owner change."""

from __future__ import annotations

import pytest

from adapters.sso import InvalidGrant, SsoClient
from core.accounts.sso import TRADING_SCOPES, StateRejected, StateSigner, accept_state, owner_changed
from fakes.sso import FakeCharacter, SsoFake
from tests.adapters.sso.conftest import STATE_SECRET, MakeClient, browse_login

pytestmark = pytest.mark.e2e


class MemoryStates:
    """A StateStore for flow tests (the Redis one has its own tests)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    async def consume(self, nonce: str) -> bool:
        fresh = nonce not in self.used
        self.used.add(nonce)
        return fresh


async def test_login_with_secret_and_rs256(sso_fake: SsoFake, client: SsoClient) -> None:
    signer, states = StateSigner(STATE_SECRET), MemoryStates()
    callback = await browse_login(client, "sess-a", signer)
    assert callback.state == callback.issued.value
    verified = await accept_state(signer, states, callback.state, "sess-a")
    grant = await client.exchange_code(callback.code, verified.code_verifier)
    assert grant.character.character_id == 90000001
    assert grant.character.name == "Trader Joe"
    assert grant.character.owner_hash == "owner-hash-joe-1"
    assert grant.character.scopes == TRADING_SCOPES
    assert not grant.rotated
    token_request = next(r for r in sso_fake.requests if r.path == "/v2/oauth/token")
    assert token_request.basic_auth and "client_id" not in token_request.form
    assert token_request.form["code_verifier"] == verified.code_verifier
    assert grant.access_token not in repr(grant) and grant.refresh_token not in repr(grant)


async def test_public_client_with_es256_tokens(make_client: MakeClient) -> None:
    character = FakeCharacter(90000003, "Scoped Pilot", "owner-x", scopes=("esi-assets.read_assets.v1",))
    async with SsoFake(client_secret=None, signing_alg="ES256", characters=[character], issuer_form="host") as fake:
        client = await make_client(fake)
        callback = await browse_login(client)
        grant = await client.exchange_code(callback.code, callback.issued.code_verifier)
        token_request = next(r for r in fake.requests if r.path == "/v2/oauth/token")
    assert not token_request.basic_auth and token_request.form["client_id"] == fake.client_id
    assert grant.character.character_id == 90000003
    assert grant.character.scopes == ("esi-assets.read_assets.v1",)  # a single scope arrives as a string


async def test_tampered_replayed_and_foreign_state_are_refused(client: SsoClient) -> None:
    signer, states = StateSigner(STATE_SECRET), MemoryStates()
    callback = await browse_login(client, "sess-b", signer)
    nonce_swapped = callback.state.replace(callback.issued.nonce, "A" * len(callback.issued.nonce))
    with pytest.raises(StateRejected):
        await accept_state(signer, states, nonce_swapped, "sess-b")
    with pytest.raises(StateRejected):
        await accept_state(signer, states, callback.state, "another-browser")
    await accept_state(signer, states, callback.state, "sess-b")
    with pytest.raises(StateRejected, match="replayed"):
        await accept_state(signer, states, callback.state, "sess-b")


async def test_replayed_code_and_wrong_verifier_are_invalid_grants(client: SsoClient) -> None:
    callback = await browse_login(client)
    await client.exchange_code(callback.code, callback.issued.code_verifier)
    with pytest.raises(InvalidGrant):
        await client.exchange_code(callback.code, callback.issued.code_verifier)
    other = await browse_login(client)
    with pytest.raises(InvalidGrant):
        await client.exchange_code(other.code, callback.issued.code_verifier)


async def test_refresh_rotates_and_the_old_token_stops_working(client: SsoClient) -> None:
    callback = await browse_login(client)
    first = await client.exchange_code(callback.code, callback.issued.code_verifier)
    second = await client.refresh(first.refresh_token)
    assert second.rotated and second.refresh_token != first.refresh_token
    assert second.character.character_id == first.character.character_id
    assert second.character.scopes == first.character.scopes
    with pytest.raises(InvalidGrant) as caught:
        await client.refresh(first.refresh_token)
    assert first.refresh_token not in str(caught.value)
    third = await client.refresh(second.refresh_token)
    assert third.refresh_token not in (first.refresh_token, second.refresh_token)


async def test_revoke_kills_the_refresh_token(sso_fake: SsoFake, client: SsoClient) -> None:
    callback = await browse_login(client)
    grant = await client.exchange_code(callback.code, callback.issued.code_verifier)
    await client.revoke(grant.refresh_token)
    assert grant.refresh_token not in sso_fake.ledger.refresh_tokens
    revoke_request = next(r for r in sso_fake.requests if r.path == "/v2/oauth/revoke")
    assert revoke_request.basic_auth and revoke_request.form["token_type_hint"] == "refresh_token"
    with pytest.raises(InvalidGrant):
        await client.refresh(grant.refresh_token)


async def test_owner_hash_change_shows_on_refresh(sso_fake: SsoFake, client: SsoClient) -> None:
    callback = await browse_login(client)
    linked = await client.exchange_code(callback.code, callback.issued.code_verifier)
    stored_owner = linked.character.owner_hash
    assert not owner_changed(stored_owner, linked.character)
    sso_fake.set_owner_hash(linked.character.character_id, "owner-hash-new-buyer")
    refreshed = await client.refresh(linked.refresh_token)
    assert refreshed.character.owner_hash == "owner-hash-new-buyer"
    assert owner_changed(stored_owner, refreshed.character)


async def test_second_character_logs_in(sso_fake: SsoFake, client: SsoClient) -> None:
    sso_fake.login_as(90000002)
    callback = await browse_login(client)
    grant = await client.exchange_code(callback.code, callback.issued.code_verifier)
    assert (grant.character.character_id, grant.character.name) == (90000002, "Alt Trader")
