"""EVE SSO facts core relies on: scopes, PKCE, the signed single-use login state and the validated token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.digits import whole_number

SCOPE_CHARACTER_ORDERS = "esi-markets.read_character_orders.v1"
SCOPE_WALLET = "esi-wallet.read_character_wallet.v1"
SCOPE_ASSETS = "esi-assets.read_assets.v1"
SCOPE_SKILLS = "esi-skills.read_skills.v1"
SCOPE_STANDINGS = "esi-characters.read_standings.v1"
SCOPE_OPEN_WINDOW = "esi-ui.open_window.v1"
SCOPE_STRUCTURE_MARKETS = "esi-markets.structure_markets.v1"
SCOPE_READ_STRUCTURES = "esi-universe.read_structures.v1"
SCOPE_SEARCH_STRUCTURES = "esi-search.search_structures.v1"
SIGN_IN_SCOPES: tuple[str, ...] = ()  # signing in and linking ask EVE for nothing beyond who the character is
TRADING_SCOPES: tuple[str, ...] = (  # asked for only when the user enables trading features for a character
    SCOPE_WALLET,
    SCOPE_CHARACTER_ORDERS,
    SCOPE_SKILLS,
    SCOPE_STANDINGS,
    SCOPE_ASSETS,
    SCOPE_OPEN_WINDOW,
    SCOPE_STRUCTURE_MARKETS,
    SCOPE_READ_STRUCTURES,
    SCOPE_SEARCH_STRUCTURES,
)
SCOPE_PURPOSES: dict[str, str] = {
    SCOPE_WALLET: "wallet transactions and journal: /profit, /sales, sale notifications",
    SCOPE_CHARACTER_ORDERS: "your market orders: /orders, undercut and expiry alerts",
    SCOPE_SKILLS: "Accounting and Broker Relations levels: fees at your own skills",
    SCOPE_STANDINGS: "NPC standings: broker fees at your own standings",
    SCOPE_ASSETS: "your assets: /assets valuation at a hub",
    SCOPE_OPEN_WINDOW: "the open-in-game button on orders",
    SCOPE_STRUCTURE_MARKETS: "markets of player structures you dock at: /market add, prices there",
    SCOPE_READ_STRUCTURES: "the names and systems of those structures",
    SCOPE_SEARCH_STRUCTURES: "finding a structure by name for /market add",
}

EVE_AUDIENCE = "EVE Online"
SUBJECT_PREFIX = "CHARACTER:EVE:"
LINK_PURPOSE = "link-character"

_STATE_VERSION = "s1"
_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_VERIFIER_RE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


class SsoError(Exception):
    """Base of every EVE SSO failure; str() is a one-line message that never contains a token."""


class InvalidToken(SsoError):
    """An access token failed validation (signature, kid/alg, iss, aud, exp or claims)."""


class InvalidGrant(SsoError):
    """SSO refused a code or refresh token (used, expired or revoked): the character must log in again."""


class SsoUnavailable(SsoError):
    """SSO could not be reached or answered 5xx: try again later, keep the stored tokens."""


class StateRejected(SsoError):
    """The `state` of an SSO callback is malformed, forged, for another session or purpose, expired or replayed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"SSO login state rejected: {reason}")


@dataclass(frozen=True)
class CharacterToken:
    """The facts of a validated EVE SSO access token."""

    character_id: int
    name: str
    owner_hash: str
    scopes: tuple[str, ...]
    expires_at: datetime
    issuer: str

    def has_scopes(self, required: Sequence[str]) -> bool:
        """True when every scope in `required` was granted."""
        return set(required) <= set(self.scopes)


@dataclass(frozen=True)
class TokenGrant:
    """What a code exchange or refresh yields: tokens (never in repr) and the validated character."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    character: CharacterToken
    rotated: bool = False


def character_id_from_subject(subject: object) -> int:
    """The character id of a `sub` claim `CHARACTER:EVE:<id>`; InvalidToken for anything else."""
    if not isinstance(subject, str) or not subject.startswith(SUBJECT_PREFIX):
        raise InvalidToken("token subject is not an EVE character")
    digits = subject.removeprefix(SUBJECT_PREFIX)
    character_id = whole_number(digits)
    if character_id is None or character_id <= 0:
        raise InvalidToken("token subject has no valid character id")
    return character_id


def parse_scopes(scp: object) -> tuple[str, ...]:
    """The `scp` claim as a tuple: it may be absent, one string (space-separated) or a list of strings."""
    if scp is None:
        return ()
    if isinstance(scp, str):
        return tuple(scp.split())
    if isinstance(scp, list) and all(isinstance(scope, str) for scope in scp):
        return tuple(scp)
    raise InvalidToken("token scp claim is neither a string nor a list of strings")


def owner_changed(stored_owner_hash: str, token: CharacterToken) -> bool:
    """True when the character changed hands since it was linked (it must be unlinked)."""
    return not hmac.compare_digest(stored_owner_hash.encode(), token.owner_hash.encode())


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_code_verifier() -> str:
    """A fresh PKCE code verifier (43 URL-safe characters, 256 random bits)."""
    return _b64url(secrets.token_bytes(32))


def code_challenge(code_verifier: str) -> str:
    """The S256 PKCE challenge of a verifier: base64url(sha256(verifier)) without padding."""
    if not _VERIFIER_RE.match(code_verifier):
        raise ValueError("a PKCE code verifier is 43-128 characters of [A-Za-z0-9._~-]")
    return _b64url(hashlib.sha256(code_verifier.encode("ascii")).digest())


@dataclass(frozen=True)
class IssuedState:
    """A new login state: `value` goes into the authorize URL, `code_verifier` into the token request."""

    value: str
    nonce: str
    expires_at: int
    code_verifier: str = field(repr=False)


@dataclass(frozen=True)
class VerifiedState:
    """A state whose signature, session binding, purpose and lifetime checked out."""

    nonce: str
    purpose: str
    expires_at: int
    code_verifier: str = field(repr=False)


class StateSigner:
    """Signs login states with HMAC-SHA256 over (nonce, browser session id, expiry, purpose)."""

    def __init__(self, secret: bytes, *, ttl_s: int = 600, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 32:
            raise ValueError("the SSO state secret must be at least 32 bytes")
        if ttl_s <= 0:
            raise ValueError("the SSO state lifetime must be positive")
        self._secret = secret
        self.ttl_s = ttl_s
        self._clock = clock

    def __repr__(self) -> str:
        return f"StateSigner(ttl_s={self.ttl_s})"

    def issue(self, session_id: str, purpose: str = LINK_PURPOSE) -> IssuedState:
        """A signed, short-lived state bound to the browser session `session_id` (carries no user data)."""
        _require_binding(session_id, purpose)
        nonce = secrets.token_urlsafe(18)
        expires_at = int(self._clock()) + self.ttl_s
        mac = self._mac(nonce, session_id, expires_at, purpose)
        value = f"{_STATE_VERSION}.{nonce}.{expires_at}.{mac}"
        return IssuedState(value, nonce, expires_at, self._code_verifier(nonce))

    def verify(self, state: str, session_id: str, purpose: str = LINK_PURPOSE) -> VerifiedState:
        """Check signature, binding and expiry (not single use: see accept_state); StateRejected otherwise."""
        _require_binding(session_id, purpose)
        parts = state.split(".") if isinstance(state, str) and len(state) <= 256 else []
        if len(parts) != 4 or parts[0] != _STATE_VERSION or not _NONCE_RE.match(parts[1]):
            raise StateRejected("malformed")
        _, nonce, expiry_text, mac = parts
        expires_at = whole_number(expiry_text, max_digits=12)
        if expires_at is None:
            raise StateRejected("malformed")
        expected = self._mac(nonce, session_id, expires_at, purpose)
        if not hmac.compare_digest(expected.encode(), mac.encode("ascii", errors="replace")):
            raise StateRejected("bad signature (tampered, or issued to another session or purpose)")
        if self._clock() >= expires_at:
            raise StateRejected("expired")
        return VerifiedState(nonce, purpose, expires_at, self._code_verifier(nonce))

    def _mac(self, nonce: str, session_id: str, expires_at: int, purpose: str) -> str:
        message = b"".join(
            len(part).to_bytes(4, "big") + part
            for part in (
                _STATE_VERSION.encode(),
                nonce.encode(),
                session_id.encode(),
                str(expires_at).encode(),
                purpose.encode(),
            )
        )
        return _b64url(hmac.new(self._secret, message, hashlib.sha256).digest())

    def _code_verifier(self, nonce: str) -> str:
        """The PKCE verifier of a state, derived from the secret so nothing needs storing between the hops."""
        return _b64url(hmac.new(self._secret, b"pkce\x00" + nonce.encode(), hashlib.sha256).digest())


def _require_binding(session_id: str, purpose: str) -> None:
    if not session_id or not purpose:
        raise StateRejected("no browser session to bind to")


class StateStore(Protocol):
    """Remembers which state nonces were used; consume() is True only the first time (single use)."""

    async def consume(self, nonce: str) -> bool:
        """Mark `nonce` used; True if it had not been used before."""
        ...


class LoginStates(StateStore, Protocol):
    """The panel's sign-in states: single use, plus the page to return to once signed in (kept with the nonce)."""

    async def remember_return(self, nonce: str, path: str) -> None:
        """Keep the panel path to go back to after this sign-in."""
        ...

    async def take_return(self, nonce: str) -> str | None:
        """The path kept for this sign-in (once), or None."""
        ...


async def accept_state(
    signer: StateSigner, store: StateStore, state: str, session_id: str, purpose: str = LINK_PURPOSE
) -> VerifiedState:
    """Verify a callback's state and use it up: StateRejected when invalid or seen before."""
    verified = signer.verify(state, session_id, purpose)
    if not await store.consume(verified.nonce):
        raise StateRejected("replayed")
    return verified


class SsoGateway(Protocol):
    """EVE SSO as the account use cases see it (implemented by adapters.sso.SsoClient)."""

    async def authorize_url(self, state: str, code_challenge: str, scopes: Sequence[str]) -> str:
        """The URL to send the browser to."""
        ...

    async def exchange_code(self, code: str, code_verifier: str) -> TokenGrant:
        """Trade an authorization code for validated tokens."""
        ...

    async def refresh(self, refresh_token: str) -> TokenGrant:
        """New tokens from a refresh token (store the returned refresh token: it may have rotated)."""
        ...

    async def revoke(self, refresh_token: str) -> None:
        """Revoke a refresh token at SSO."""
        ...

    async def validate(self, access_token: str) -> CharacterToken:
        """Validate an access token against the JWKS."""
        ...
