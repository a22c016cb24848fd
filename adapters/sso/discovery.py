"""EVE SSO's authorization-server metadata: the endpoints the client uses, read once and cached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.accounts.sso import SsoUnavailable

WELL_KNOWN_PATH = "/.well-known/oauth-authorization-server"


@dataclass(frozen=True)
class Discovery:
    """The endpoints of one SSO server."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    revocation_endpoint: str

    @classmethod
    def parse(cls, document: Any) -> Discovery:
        """Read the metadata document; SsoUnavailable when an endpoint is missing or not an http(s) URL."""
        if not isinstance(document, dict):
            raise SsoUnavailable("EVE SSO metadata is not a JSON object")
        values: dict[str, str] = {}
        for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "revocation_endpoint"):
            value = document.get(name)
            if not isinstance(value, str) or not (name == "issuer" or value.startswith(("https://", "http://"))):
                raise SsoUnavailable(f"EVE SSO metadata has no usable {name}")
            values[name] = value
        return cls(**values)


def accepted_issuers(base_url: str, discovered_issuer: str | None = None) -> frozenset[str]:
    """`iss` values to accept: the SSO URL with and without a trailing slash, and its bare host."""
    base = base_url.rstrip("/")
    host = base.split("://", 1)[-1]
    issuers = {base, base + "/", host}
    if discovered_issuer:
        issuers.add(discovered_issuer)
    return frozenset(issuers)
