"""The fake SSO's signing keys: one RS256 and one ES256 key, published as a JWKS."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class SigningKey:
    """A private signing key with its kid and alg."""

    kid: str
    alg: str
    private_key: PrivateKey = field(repr=False)

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK, the way EVE SSO publishes it (kid, alg, use=sig)."""
        private = self.private_key
        if isinstance(private, rsa.RSAPrivateKey):
            jwk: dict[str, Any] = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
        else:
            jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": self.alg, "use": "sig"}

    def public_pem(self) -> bytes:
        """The public key as PEM (what an alg-confusion attacker would use as an HMAC secret)."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def new_key(alg: str, kid: str | None = None) -> SigningKey:
    """A freshly generated RS256 (RSA 2048) or ES256 (P-256) key."""
    kid = kid or f"{alg.lower()}-{uuid.uuid4().hex[:12]}"
    if alg == "RS256":
        return SigningKey(kid, alg, rsa.generate_private_key(public_exponent=65537, key_size=2048))
    if alg == "ES256":
        return SigningKey(kid, alg, ec.generate_private_key(ec.SECP256R1()))
    raise ValueError(f"the fake signs with RS256 or ES256, not {alg!r}")


@functools.cache
def default_keys() -> tuple[SigningKey, SigningKey]:
    """The RS256 and ES256 keys every fake starts with (generated once per process: RSA keys are slow)."""
    return new_key("RS256", "JWT-Signature-Key"), new_key("ES256", "es256-default")
