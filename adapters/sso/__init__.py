"""EVE SSO v2: authorization code flow with PKCE, token refresh and revocation, JWT validation against the JWKS."""

from adapters.sso.client import DEFAULT_BASE_URL, SsoClient
from adapters.sso.discovery import Discovery
from adapters.sso.http import SsoRequestError
from adapters.sso.jwks import JwksCache
from adapters.sso.validation import TokenValidator
from core.accounts.sso import InvalidGrant, InvalidToken, SsoError, SsoUnavailable

__all__ = [
    "DEFAULT_BASE_URL",
    "Discovery",
    "InvalidGrant",
    "InvalidToken",
    "JwksCache",
    "SsoClient",
    "SsoError",
    "SsoRequestError",
    "SsoUnavailable",
    "TokenValidator",
]
