"""A local EVE SSO v2 fake (aiohttp): auto-consent authorize, PKCE, rotating refresh tokens, RS256/ES256 JWKS."""

from .keys import SigningKey, new_key
from .server import DEFAULT_CHARACTERS, SsoFake
from .state import FakeCharacter, RecordedRequest

__all__ = ["DEFAULT_CHARACTERS", "FakeCharacter", "RecordedRequest", "SigningKey", "SsoFake", "new_key"]
