"""The fake SSO's endpoints: metadata, authorize (auto-consent), token, JWKS and revoke."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from aiohttp import web

from .state import IssuedCode, IssuedRefresh, s256

if TYPE_CHECKING:
    from .server import SsoFake

FORM = "application/x-www-form-urlencoded"


def oauth_error(status: int, error: str, description: str) -> web.Response:
    """An OAuth error body."""
    return web.json_response({"error": error, "error_description": description}, status=status)


async def metadata(fake: SsoFake, request: web.Request) -> web.Response:
    """GET /.well-known/oauth-authorization-server."""
    base = fake.base_url
    return web.json_response(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/v2/oauth/authorize",
            "token_endpoint": f"{base}/v2/oauth/token",
            "response_types_supported": ["code", "token"],
            "jwks_uri": f"{base}/oauth/jwks",
            "revocation_endpoint": f"{base}/v2/oauth/revoke",
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "token_endpoint_auth_signing_alg_values_supported": ["HS256"],
            "code_challenge_methods_supported": ["S256"],
        }
    )


async def authorize(fake: SsoFake, request: web.Request) -> web.Response:
    """GET /v2/oauth/authorize: validate the request, log in as the current character, 302 back with a code."""
    q = request.query
    if q.get("client_id") != fake.client_id:
        return web.Response(status=400, text="Invalid client_id")
    if q.get("redirect_uri") != fake.redirect_uri:
        return web.Response(status=400, text="Invalid redirect_uri")
    if q.get("response_type") != "code" or not q.get("state"):
        return web.Response(status=400, text="response_type=code and a state are required")
    challenge = q.get("code_challenge")
    if challenge is not None and (q.get("code_challenge_method") != "S256" or len(challenge) != 43):
        return web.Response(status=400, text="code_challenge_method must be S256")
    if challenge is None and fake.client_secret is None:
        return web.Response(status=400, text="PKCE is required for this application")
    character = fake.current_character()
    scopes = character.grant(q.get("scope", "").split())
    expires_at = fake.clock() + fake.code_lifetime_s
    code = fake.ledger.new_code(IssuedCode(character.character_id, scopes, challenge, expires_at))
    location = f"{fake.redirect_uri}?{urlencode({'code': code, 'state': q['state']})}"
    raise web.HTTPFound(location)


def client_error(fake: SsoFake, request: web.Request, form: dict[str, str]) -> web.Response | None:
    """None when the client authenticated (Basic with the secret, or client_id for a public client)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return oauth_error(401, "invalid_client", "malformed Basic credentials")
        expected = fake.client_secret or ""
        if client_id == fake.client_id and expected and hmac.compare_digest(secret, expected):
            return None
        return oauth_error(401, "invalid_client", "bad client credentials")
    if fake.client_secret is None and form.get("client_id") == fake.client_id:
        return None
    return oauth_error(401, "invalid_client", "client authentication required")


async def read_form(request: web.Request) -> dict[str, str] | web.Response:
    """The form body, or a 400 for anything that is not form-encoded."""
    if request.content_type != FORM:
        return oauth_error(400, "invalid_request", "the body must be application/x-www-form-urlencoded")
    return {key: str(value) for key, value in (await request.post()).items()}


async def read_client_form(fake: SsoFake, request: web.Request) -> dict[str, str] | web.Response:
    """The form body of an authenticated client, or the 400/401 the endpoint answers instead."""
    form = await read_form(request)
    if isinstance(form, web.Response):
        return form
    refused = client_error(fake, request, form)
    return form if refused is None else refused


async def token(fake: SsoFake, request: web.Request) -> web.Response:
    """POST /v2/oauth/token: authorization_code (single use, PKCE checked) or refresh_token (rotating)."""
    form = await read_client_form(fake, request)
    if isinstance(form, web.Response):
        return form
    grant_type = form.get("grant_type")
    if grant_type == "authorization_code":
        code = fake.ledger.codes.pop(form.get("code", ""), None)
        if code is None or fake.clock() >= code.expires_at:
            return oauth_error(400, "invalid_grant", "Authorization code not found or expired")
        verifier = form.get("code_verifier")
        if code.code_challenge is not None and (not verifier or s256(verifier) != code.code_challenge):
            return oauth_error(400, "invalid_grant", "PKCE verification failed")
        character_id, scopes = code.character_id, code.scopes
    elif grant_type == "refresh_token":
        old = fake.ledger.refresh_tokens.pop(form.get("refresh_token", ""), None)
        if old is None:
            return oauth_error(400, "invalid_grant", "Invalid refresh token. Token missing/expired.")
        character_id, scopes = old.character_id, old.scopes
    else:
        return oauth_error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
    refresh_token = fake.ledger.new_refresh_token(IssuedRefresh(character_id, scopes))
    return web.json_response(
        {
            "access_token": fake.mint(character_id, scopes=scopes),
            "expires_in": fake.token_lifetime_s,
            "token_type": "Bearer",
            "refresh_token": refresh_token,
        }
    )


async def jwks(fake: SsoFake, request: web.Request) -> web.Response:
    """GET /oauth/jwks: the public RS256 and ES256 keys."""
    return web.json_response({"keys": [key.public_jwk() for key in fake.keys], "SkipUnresolvedJsonWebKeys": True})


async def revoke(fake: SsoFake, request: web.Request) -> web.Response:
    """POST /v2/oauth/revoke: forget a refresh token (200 even when unknown, as RFC 7009 says)."""
    form = await read_client_form(fake, request)
    if isinstance(form, web.Response):
        return form
    fake.ledger.refresh_tokens.pop(form.get("token", ""), None)
    return web.Response(status=200)
