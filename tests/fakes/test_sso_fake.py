"""The EVE SSO fake speaks the protocol: metadata, authorize checks, form-only token endpoint, JWKS, revoke."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import jwt
import pytest
import pytest_asyncio

from fakes.sso import SsoFake

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest_asyncio.fixture
async def sso() -> AsyncIterator[SsoFake]:
    """A started SSO fake (confidential client)."""
    async with SsoFake() as fake:
        yield fake


def basic(fake: SsoFake, secret: str | None = None) -> dict[str, str]:
    raw = f"{fake.client_id}:{secret or fake.client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


async def authorize(http: aiohttp.ClientSession, fake: SsoFake, **overrides: str) -> aiohttp.ClientResponse:
    query = {
        "response_type": "code",
        "client_id": fake.client_id,
        "redirect_uri": fake.redirect_uri,
        "scope": "esi-assets.read_assets.v1 esi-wallet.read_character_wallet.v1",
        "state": "opaque-state",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    query.update(overrides)
    async with http.get(fake.base_url + "/v2/oauth/authorize", params=query, allow_redirects=False) as response:
        await response.read()
        return response


async def code_for(http: aiohttp.ClientSession, fake: SsoFake) -> str:
    response = await authorize(http, fake)
    assert response.status == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["state"] == ["opaque-state"]
    return query["code"][0]


async def token(http: aiohttp.ClientSession, fake: SsoFake, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    async with http.post(fake.base_url + "/v2/oauth/token", data=form, headers=basic(fake)) as response:
        return response.status, await response.json()


async def test_metadata_points_at_every_endpoint(sso: SsoFake, http: aiohttp.ClientSession) -> None:
    async with http.get(sso.base_url + "/.well-known/oauth-authorization-server") as response:
        doc = await response.json()
    assert doc["token_endpoint"] == sso.base_url + "/v2/oauth/token"
    assert doc["jwks_uri"] == sso.base_url + "/oauth/jwks"
    assert doc["revocation_endpoint"] == sso.base_url + "/v2/oauth/revoke"
    assert doc["code_challenge_methods_supported"] == ["S256"]


@pytest.mark.parametrize(
    ("override", "text"),
    [
        ({"client_id": "someone-else"}, "client_id"),
        ({"redirect_uri": "http://127.0.0.1/sso/callback/"}, "redirect_uri"),
        ({"code_challenge_method": "plain"}, "S256"),
        ({"response_type": "token"}, "response_type"),
    ],
)
async def test_authorize_refuses_bad_requests(
    sso: SsoFake, http: aiohttp.ClientSession, override: dict[str, str], text: str
) -> None:
    response = await authorize(http, sso, **override)
    assert response.status == 400 and text in await response.text()
    assert not sso.ledger.codes


async def test_code_grant_checks_pkce_and_is_single_use(sso: SsoFake, http: aiohttp.ClientSession) -> None:
    code = await code_for(http, sso)
    status, body = await token(http, sso, {"grant_type": "authorization_code", "code": code, "code_verifier": "x" * 43})
    assert (status, body["error"]) == (400, "invalid_grant")  # a wrong verifier burns the code too
    code = await code_for(http, sso)
    status, body = await token(http, sso, {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER})
    assert status == 200 and body["token_type"] == "Bearer" and body["expires_in"] == sso.token_lifetime_s
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == "CHARACTER:EVE:90000001" and claims["aud"] == [sso.client_id, "EVE Online"]
    assert claims["scp"] == ["esi-assets.read_assets.v1", "esi-wallet.read_character_wallet.v1"]
    status, body = await token(http, sso, {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER})
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_token_endpoint_takes_forms_and_authenticated_clients_only(
    sso: SsoFake, http: aiohttp.ClientSession
) -> None:
    code = await code_for(http, sso)
    as_json = {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER}
    async with http.post(sso.base_url + "/v2/oauth/token", json=as_json, headers=basic(sso)) as response:
        assert response.status == 400 and (await response.json())["error"] == "invalid_request"
    async with http.post(sso.base_url + "/v2/oauth/token", data={"grant_type": "refresh_token"}) as response:
        assert response.status == 401 and (await response.json())["error"] == "invalid_client"
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER}
    async with http.post(sso.base_url + "/v2/oauth/token", data=form, headers=basic(sso, "nope")) as response:
        assert response.status == 401
    status, _ = await token(http, sso, {"grant_type": "password"})
    assert status == 400


async def test_refresh_tokens_rotate(sso: SsoFake, http: aiohttp.ClientSession) -> None:
    code = await code_for(http, sso)
    _, first = await token(http, sso, {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER})
    status, second = await token(http, sso, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert status == 200 and second["refresh_token"] != first["refresh_token"]
    status, body = await token(http, sso, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_jwks_has_rs256_and_es256_keys_that_verify(sso: SsoFake, http: aiohttp.ClientSession) -> None:
    async with http.get(sso.base_url + "/oauth/jwks") as response:
        keys = (await response.json())["keys"]
    assert sorted((k["alg"], k["kty"]) for k in keys) == [("ES256", "EC"), ("RS256", "RSA")]
    assert all("d" not in k for k in keys)  # public halves only
    for entry in keys:
        token_ = sso.mint(alg=entry["alg"])
        claims = jwt.decode(
            token_, jwt.PyJWK(entry).key, algorithms=[entry["alg"]], audience="EVE Online", issuer=sso.issuer
        )
        assert claims["owner"] == "owner-hash-joe-1"


async def test_revoke_and_scripted_failures(sso: SsoFake, http: aiohttp.ClientSession) -> None:
    code = await code_for(http, sso)
    _, grant = await token(http, sso, {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER})
    sso.fail_next(1, status=503)
    form = {"token_type_hint": "refresh_token", "token": grant["refresh_token"]}
    async with http.post(sso.base_url + "/v2/oauth/revoke", data=form, headers=basic(sso)) as response:
        assert response.status == 503
    assert grant["refresh_token"] in sso.ledger.refresh_tokens
    async with http.post(sso.base_url + "/v2/oauth/revoke", data=form, headers=basic(sso)) as response:
        assert response.status == 200
    assert not sso.ledger.refresh_tokens
    assert [r.status for r in sso.requests if r.path == "/v2/oauth/revoke"] == [503, 200]


async def test_bad_token_hooks(sso: SsoFake) -> None:
    confused = sso.mint_alg_confusion()
    assert jwt.get_unverified_header(confused)["alg"] == "HS256"
    signing_input, signature = confused.rsplit(".", 1)
    mac = hmac.new(sso.key_for("RS256").public_pem(), signing_input.encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64encode(mac).rstrip(b"=").decode() == signature
    assert jwt.get_unverified_header(sso.mint_unsigned())["alg"] == "none"
    assert sso.mint_unsigned().endswith(".")
    assert jwt.decode(sso.mint(aud="x"), options={"verify_signature": False})["aud"] == "x"
