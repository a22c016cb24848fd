"""Access-token validation against the fake's JWKS: every forged, misdirected or stale token is refused."""

from __future__ import annotations

import time
from typing import Any

import pytest

from adapters.sso import InvalidToken, SsoClient
from core.accounts.sso import SsoUnavailable
from fakes.sso import SsoFake
from tests.adapters.sso.conftest import MakeClient

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
async def test_both_signature_algorithms_are_accepted(sso_fake: SsoFake, client: SsoClient, alg: str) -> None:
    token = await client.validate(sso_fake.mint(alg=alg, scopes=["a.v1", "b.v1"]))
    assert (token.character_id, token.owner_hash, token.scopes) == (90000001, "owner-hash-joe-1", ("a.v1", "b.v1"))
    assert token.expires_at.timestamp() == pytest.approx(time.time() + sso_fake.token_lifetime_s, abs=5)


async def test_both_issuer_forms_are_accepted(sso_fake: SsoFake, client: SsoClient) -> None:
    host_form = sso_fake.base_url.split("://", 1)[1]
    for issuer in (sso_fake.base_url + "/", host_form):
        assert (await client.validate(sso_fake.mint(iss=issuer))).issuer == issuer


@pytest.mark.parametrize("issuer", ["https://login.eveonline.com/", "https://evil.example/", "127.0.0.1"])
async def test_wrong_issuer_is_refused(sso_fake: SsoFake, client: SsoClient, issuer: str) -> None:
    with pytest.raises(InvalidToken, match="issuer"):
        await client.validate(sso_fake.mint(iss=issuer))


@pytest.mark.parametrize(
    "audience",
    [["someone-else", "EVE Online"], ["evetrader-test-client"], "evetrader-test-client", "EVE Online", []],
)
async def test_audience_must_hold_client_id_and_eve_online(
    sso_fake: SsoFake, client: SsoClient, audience: object
) -> None:
    with pytest.raises(InvalidToken, match="audience"):
        await client.validate(sso_fake.mint(aud=audience))


async def test_expired_token_is_refused_but_leeway_applies(sso_fake: SsoFake, make_client: MakeClient) -> None:
    client = await make_client(sso_fake, leeway_s=10.0)
    now = int(time.time())
    with pytest.raises(InvalidToken, match="expired"):
        await client.validate(sso_fake.mint(exp=now - 60))
    assert (await client.validate(sso_fake.mint(exp=now - 3))).character_id == 90000001


async def test_unknown_kid_refetches_once_then_is_rate_limited(sso_fake: SsoFake, make_client: MakeClient) -> None:
    client = await make_client(sso_fake, jwks_refetch_min_s=0.0)
    await client.validate(sso_fake.mint())
    assert client.jwks.fetches == 1
    with pytest.raises(InvalidToken, match="unknown key"):
        await client.validate(sso_fake.mint(header_kid="no-such-key"))
    assert client.jwks.fetches == 2  # exactly one refetch, no loop
    limited = await make_client(sso_fake, jwks_refetch_min_s=300.0)
    await limited.validate(sso_fake.mint())
    for _ in range(3):
        with pytest.raises(InvalidToken, match="unknown key"):
            await limited.validate(sso_fake.mint(header_kid="no-such-key"))
    assert limited.jwks.fetches == 1
    assert sum(r.path == "/oauth/jwks" for r in sso_fake.requests) == 3


async def test_rotated_signing_key_is_picked_up(sso_fake: SsoFake, make_client: MakeClient) -> None:
    client = await make_client(sso_fake, jwks_refetch_min_s=0.0)
    await client.validate(sso_fake.mint(alg="ES256"))
    fresh = sso_fake.rotate_key("ES256")
    token = await client.validate(sso_fake.mint(alg="ES256"))
    assert token.character_id == 90000001 and client.jwks.fetches == 2
    assert fresh.kid in client.jwks.kids


async def test_ccp_rotating_its_key_locks_nobody_out_for_more_than_seconds(
    sso_fake: SsoFake, make_client: MakeClient
) -> None:
    offset = [0.0]
    client = await make_client(sso_fake, clock=lambda: time.time() + offset[0])  # the default rate limit
    await client.validate(sso_fake.mint())
    sso_fake.rotate_key("RS256")
    signed_with_the_new_key = sso_fake.mint()
    offset[0] += 1.0  # a burst just after a fetch is still rate-limited: no refetch
    with pytest.raises(InvalidToken, match="unknown key"):
        await client.validate(signed_with_the_new_key)
    assert client.jwks.fetches == 1
    offset[0] += 9.0  # ten seconds after the last fetch, the new key is fetched and accepted
    assert (await client.validate(signed_with_the_new_key)).character_id == 90000001
    assert client.jwks.fetches == 2
    for _ in range(5):  # junk kids right after: still at most one refetch per few seconds
        with pytest.raises(InvalidToken, match="unknown key"):
            await client.validate(sso_fake.mint(header_kid="no-such-key"))
    assert client.jwks.fetches == 2


async def test_failed_refetches_are_rate_limited_too(sso_fake: SsoFake, make_client: MakeClient) -> None:
    offset = [0.0]
    client = await make_client(sso_fake, clock=lambda: time.time() + offset[0])
    await client.validate(sso_fake.mint())
    offset[0] += 10.0
    sso_fake.fail_next(10, status=503)
    with pytest.raises(SsoUnavailable):  # the refetch was tried, and SSO is down
        await client.validate(sso_fake.mint(header_kid="no-such-key"))
    asked = sum(r.path == "/oauth/jwks" for r in sso_fake.requests)
    assert asked > 1
    for _ in range(3):  # SSO is down: the next unknown kids do not ask it again at once
        with pytest.raises(InvalidToken, match="unknown key"):
            await client.validate(sso_fake.mint(header_kid="no-such-key"))
    assert sum(r.path == "/oauth/jwks" for r in sso_fake.requests) == asked


async def test_hs256_signed_with_the_public_key_is_refused(sso_fake: SsoFake, client: SsoClient) -> None:
    with pytest.raises(InvalidToken, match="algorithm"):
        await client.validate(sso_fake.mint_alg_confusion())


async def test_alg_none_is_refused(sso_fake: SsoFake, client: SsoClient) -> None:
    with pytest.raises(InvalidToken, match="algorithm"):
        await client.validate(sso_fake.mint_unsigned())


async def test_key_must_match_both_kid_and_alg(sso_fake: SsoFake, client: SsoClient) -> None:
    rsa_kid, ec_kid = sso_fake.key_for("RS256").kid, sso_fake.key_for("ES256").kid
    with pytest.raises(InvalidToken, match="does not match"):
        await client.validate(sso_fake.mint(alg="RS256", header_alg="ES256"))  # RS256 kid, ES256 claimed
    with pytest.raises(InvalidToken, match="does not match"):
        await client.validate(sso_fake.mint(alg="ES256", header_kid=ec_kid, header_alg="RS256"))
    with pytest.raises(InvalidToken, match="signature"):
        await client.validate(sso_fake.mint(alg="ES256", header_kid=rsa_kid, header_alg="RS256"))


async def test_tampered_payload_fails_the_signature(sso_fake: SsoFake, client: SsoClient) -> None:
    header, payload, signature = sso_fake.mint().split(".")
    other_payload = sso_fake.mint(90000002).split(".")[1]
    with pytest.raises(InvalidToken, match="signature"):
        await client.validate(f"{header}.{other_payload}.{signature}")
    assert payload != other_payload


@pytest.mark.parametrize(
    "claims",
    [{"sub": "CHARACTER:EVE:abc"}, {"sub": "CORPORATION:EVE:98000001"}, {"owner": ""}, {"scp": 5}, {"name": None}],
)
async def test_malformed_claims_are_refused(sso_fake: SsoFake, client: SsoClient, claims: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        await client.validate(sso_fake.mint(**claims))


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", "x" * 20_000])
async def test_garbage_is_an_invalid_token_without_echo(client: SsoClient, garbage: str) -> None:
    with pytest.raises(InvalidToken) as caught:
        await client.validate(garbage)
    assert garbage not in str(caught.value) or not garbage
