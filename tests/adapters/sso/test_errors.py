"""SSO failures become typed errors that never carry a token or the client secret; discovery is cached."""

from __future__ import annotations

import socket

import pytest

from adapters.sso import InvalidGrant, SsoClient, SsoRequestError, SsoUnavailable
from fakes.sso import SsoFake
from tests.adapters.sso.conftest import MakeClient, browse_login

pytestmark = pytest.mark.e2e


async def test_5xx_is_unavailable_and_the_refresh_token_survives(sso_fake: SsoFake, client: SsoClient) -> None:
    callback = await browse_login(client)
    grant = await client.exchange_code(callback.code, callback.issued.code_verifier)
    sso_fake.fail_next(1, status=502)
    with pytest.raises(SsoUnavailable, match="502") as caught:
        await client.refresh(grant.refresh_token)
    assert grant.refresh_token not in str(caught.value)
    assert (await client.refresh(grant.refresh_token)).rotated  # the failed call did not burn the token


async def test_unreachable_sso_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SsoClient(f"http://127.0.0.1:{port}", "cid", "secret", "http://127.0.0.1/cb", timeout_s=1.0)
    async with client:
        with pytest.raises(SsoUnavailable, match="could not be reached"):
            await client.refresh("some-refresh-token")


async def test_wrong_client_secret_is_a_request_error_without_the_secret(
    sso_fake: SsoFake, make_client: MakeClient
) -> None:
    client = await make_client(sso_fake, client_secret="wrong-secret-value")
    with pytest.raises(SsoRequestError) as caught:
        await client.refresh("whatever-refresh-token")
    assert caught.value.status == 401 and caught.value.error == "invalid_client"
    assert "wrong-secret-value" not in str(caught.value) and "wrong-secret-value" not in repr(client)


async def test_unknown_code_is_an_invalid_grant(client: SsoClient) -> None:
    with pytest.raises(InvalidGrant):
        await client.exchange_code("never-issued-code", "v" * 43)


async def test_discovery_is_fetched_once(sso_fake: SsoFake, client: SsoClient) -> None:
    for _ in range(3):
        url = await client.authorize_url("state", "c" * 43, ["esi-assets.read_assets.v1"])
        assert url.startswith(sso_fake.base_url + "/v2/oauth/authorize?")
    await client.validate(sso_fake.mint())
    metadata_requests = [r for r in sso_fake.requests if r.path == "/.well-known/oauth-authorization-server"]
    assert len(metadata_requests) == 1


async def test_authorize_url_carries_pkce_and_exact_callback(sso_fake: SsoFake, client: SsoClient) -> None:
    url = await client.authorize_url("the-state", "c" * 43, ["a.v1", "b.v1"])
    for part in (
        "response_type=code",
        "code_challenge_method=S256",
        "scope=a.v1+b.v1",
        "state=the-state",
        "redirect_uri=http%3A%2F%2F127.0.0.1%2Fsso%2Fcallback",
        f"client_id={sso_fake.client_id}",
    ):
        assert part in url
