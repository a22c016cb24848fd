"""JWKS parsing keeps only RS256 RSA and ES256 P-256 signing keys; issuers accept EVE's two forms."""

from __future__ import annotations

from adapters.sso.discovery import accepted_issuers
from adapters.sso.jwks import parse_jwks
from fakes.sso import new_key
from fakes.sso.keys import default_keys


def test_only_matching_rs256_and_es256_keys_are_kept() -> None:
    rsa_key, ec_key = (key.public_jwk() for key in default_keys())
    document = {
        "keys": [
            rsa_key,
            ec_key,
            {**rsa_key, "kid": "rsa-labelled-es256", "alg": "ES256"},
            {**ec_key, "kid": "ec-labelled-rs256", "alg": "RS256"},
            {**ec_key, "kid": "wrong-curve", "crv": "P-384"},
            {"kty": "oct", "kid": "hmac", "alg": "HS256", "k": "c2VjcmV0"},
            {**rsa_key, "kid": "encryption-key", "use": "enc"},
            {**rsa_key, "kid": None},
            "not-a-key",
        ],
        "SkipUnresolvedJsonWebKeys": True,
    }
    assert set(parse_jwks(document)) == {(rsa_key["kid"], "RS256"), (ec_key["kid"], "ES256")}
    assert parse_jwks({"keys": "nope"}) == {} and parse_jwks([]) == {}


def test_a_fresh_key_parses() -> None:
    fresh = new_key("ES256")
    assert set(parse_jwks({"keys": [fresh.public_jwk()]})) == {(fresh.kid, "ES256")}


def test_issuer_forms_of_the_real_sso() -> None:
    assert accepted_issuers("https://login.eveonline.com/") == {
        "https://login.eveonline.com",
        "https://login.eveonline.com/",
        "login.eveonline.com",
    }
