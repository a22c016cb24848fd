"""The fake SSO's world: registered client, characters, live codes and refresh tokens, and scripted failures."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field


@dataclass
class FakeCharacter:
    """An EVE character the fake can log in as; `scopes` None grants whatever the app asks for."""

    character_id: int
    name: str
    owner_hash: str
    scopes: tuple[str, ...] | None = None

    def grant(self, requested: list[str]) -> list[str]:
        """The scopes a login grants: the requested ones this character allows."""
        return [s for s in requested if self.scopes is None or s in self.scopes]


@dataclass(frozen=True)
class IssuedCode:
    """An authorization code waiting to be exchanged (single use)."""

    character_id: int
    scopes: list[str]
    code_challenge: str | None
    expires_at: float


@dataclass(frozen=True)
class IssuedRefresh:
    """A live refresh token and what it grants."""

    character_id: int
    scopes: list[str]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake served (form fields included: it is a test fake)."""

    method: str
    path: str
    form: dict[str, str]
    basic_auth: bool
    status: int = 0


@dataclass
class Ledger:
    """Live codes and refresh tokens, and pending scripted failures."""

    codes: dict[str, IssuedCode] = field(default_factory=dict)
    refresh_tokens: dict[str, IssuedRefresh] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)

    def new_code(self, issued: IssuedCode) -> str:
        """Store and return a fresh code."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = issued
        return code

    def new_refresh_token(self, issued: IssuedRefresh) -> str:
        """Store and return a fresh refresh token."""
        token = secrets.token_urlsafe(24)
        self.refresh_tokens[token] = issued
        return token


def s256(verifier: str) -> str:
    """The PKCE S256 transform (RFC 7636)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
