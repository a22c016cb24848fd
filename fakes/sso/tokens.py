"""Minting the fake's access tokens: EVE-shaped JWTs, and deliberately bad ones for security tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from typing import Any

import jwt

from .keys import SigningKey


def eve_claims(
    *,
    character_id: int,
    name: str,
    owner_hash: str,
    scopes: list[str],
    client_id: str,
    issuer: str,
    now: int,
    lifetime_s: int,
) -> dict[str, Any]:
    """The claims EVE SSO puts in an access token (scp is a string for one scope, a list otherwise)."""
    return {
        "scp": scopes[0] if len(scopes) == 1 else list(scopes),
        "jti": str(uuid.uuid4()),
        "kid": "JWT-Signature-Key",
        "sub": f"CHARACTER:EVE:{character_id}",
        "azp": client_id,
        "tenant": "tranquility",
        "tier": "live",
        "region": "world",
        "aud": [client_id, "EVE Online"],
        "name": name,
        "owner": owner_hash,
        "exp": now + lifetime_s,
        "iat": now,
        "iss": issuer,
    }


def sign(claims: dict[str, Any], key: SigningKey, *, kid: str | None = None, alg: str | None = None) -> str:
    """A JWT over `claims` signed by `key`; `kid`/`alg` override the header (to mislabel on purpose)."""
    headers = {"kid": kid if kid is not None else key.kid, "typ": "JWT"}
    if alg is None or alg == key.alg:
        return jwt.encode(claims, key.private_key, algorithm=key.alg, headers=headers)
    # Mislabelled: sign with the key's real algorithm, then claim another one in the header.
    token = jwt.encode(claims, key.private_key, algorithm=key.alg, headers=headers)
    _, payload, signature = token.split(".")
    header = _b64(json.dumps({"alg": alg, **headers}, separators=(",", ":")).encode())
    return f"{header}.{payload}.{signature}"


def hs256_with_public_key(claims: dict[str, Any], key: SigningKey) -> str:
    """Alg confusion: HS256 with the key's public PEM as the HMAC secret (PyJWT refuses to make these)."""
    signing_input = _signing_input({"alg": "HS256", "kid": key.kid, "typ": "JWT"}, claims)
    mac = hmac.new(key.public_pem(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def unsigned(claims: dict[str, Any], kid: str) -> str:
    """`alg: none`: no signature at all."""
    return _signing_input({"alg": "none", "kid": kid, "typ": "JWT"}, claims) + "."


def _signing_input(header: dict[str, Any], claims: dict[str, Any]) -> str:
    encode = json.dumps
    return f"{_b64(encode(header, separators=(',', ':')).encode())}.{_b64(encode(claims).encode())}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
