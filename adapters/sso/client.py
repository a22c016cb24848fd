"""SsoClient: EVE SSO v2 authorization code flow with PKCE, refresh, revoke and JWT validation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp

from adapters.lifecycle import AsyncLifecycle
from adapters.sso import http
from adapters.sso.discovery import WELL_KNOWN_PATH, Discovery, accepted_issuers
from adapters.sso.jwks import REFETCH_MIN_S, JwksCache
from adapters.sso.validation import TokenValidator
from core.accounts.sso import CharacterToken, SsoUnavailable, TokenGrant

DEFAULT_BASE_URL = "https://login.eveonline.com"


class SsoClient(AsyncLifecycle):
    """One EVE SSO application (client id, optional secret, callback URL); implements core's SsoGateway."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str | None,
        callback_url: str,
        session: aiohttp.ClientSession | None = None,
        *,
        timeout_s: float = 10.0,
        leeway_s: float = 10.0,
        discovery_ttl_s: float = 3600.0,
        jwks_ttl_s: float = 3600.0,
        jwks_refetch_min_s: float = REFETCH_MIN_S,
        user_agent: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not base_url.startswith(("https://", "http://")) or not client_id or not callback_url:
            raise ValueError("SsoClient needs an http(s) base URL, a client id and a callback URL")
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret or None
        self.callback_url = callback_url
        self._session = session
        self._owns_session = session is None
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._user_agent = user_agent
        self.discovery_ttl_s = discovery_ttl_s
        self._clock = clock
        self._discovery: tuple[float, Discovery] | None = None
        self._discovery_lock = asyncio.Lock()
        self.jwks = JwksCache(self._fetch_jwks, ttl_s=jwks_ttl_s, refetch_min_s=jwks_refetch_min_s, clock=clock)
        self._leeway_s = leeway_s
        self._validator: TokenValidator | None = None

    def __repr__(self) -> str:
        return f"SsoClient(base_url={self.base_url!r}, client_id={self.client_id!r})"

    async def start(self) -> None:
        """Open our own HTTP session when none was given (idempotent)."""
        if self._session is None:
            headers = {"User-Agent": self._user_agent} if self._user_agent else None
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=headers)
            self._owns_session = True

    async def close(self) -> None:
        """Close the HTTP session if we opened it (idempotent)."""
        if self._session is not None and self._owns_session:
            await self._session.close()
            self._session = None

    async def discovery(self) -> Discovery:
        """The server's metadata, fetched on first use and kept for discovery_ttl_s."""
        async with self._discovery_lock:
            now = self._clock()
            if self._discovery is None or now - self._discovery[0] >= self.discovery_ttl_s:
                document = await self._send("metadata", "GET", self.base_url + WELL_KNOWN_PATH)
                self._discovery = (now, Discovery.parse(document))
            return self._discovery[1]

    async def authorize_url(self, state: str, code_challenge: str, scopes: Sequence[str]) -> str:
        """Where to send the browser: response_type=code with our callback, scopes, state and the S256 challenge."""
        endpoint = (await self.discovery()).authorization_endpoint
        query = {
            "response_type": "code",
            "redirect_uri": self.callback_url,
            "client_id": self.client_id,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if not scopes:  # a sign-in that asks for no scope sends none
            del query["scope"]
        return f"{endpoint}?{urlencode(query)}"

    async def exchange_code(self, code: str, code_verifier: str) -> TokenGrant:
        """Trade the callback's code (plus the PKCE verifier) for tokens, validated before they are returned."""
        form = {"grant_type": "authorization_code", "code": code, "code_verifier": code_verifier}
        return await self._grant("code exchange", form, previous_refresh_token=None)

    async def refresh(self, refresh_token: str) -> TokenGrant:
        """New tokens from a refresh token; `refresh_token` of the result is the one to store (rotated or not)."""
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return await self._grant("token refresh", form, previous_refresh_token=refresh_token)

    async def revoke(self, refresh_token: str) -> None:
        """Revoke a refresh token at SSO (on unlink)."""
        endpoint = (await self.discovery()).revocation_endpoint
        form = {"token_type_hint": "refresh_token", "token": refresh_token}
        await self._send("revoke", "POST", endpoint, form=self._client_form(form), expect_json=False)

    async def validate(self, access_token: str) -> CharacterToken:
        """Validate an access token against the JWKS (kid + alg, iss, aud, exp) and read the character."""
        return await (await self._token_validator()).validate(access_token)

    async def _token_validator(self) -> TokenValidator:
        if self._validator is None:
            issuers = accepted_issuers(self.base_url, (await self.discovery()).issuer)
            self._validator = TokenValidator(self.jwks, self.client_id, issuers, leeway_s=self._leeway_s)
        return self._validator

    async def _grant(self, what: str, form: dict[str, str], *, previous_refresh_token: str | None) -> TokenGrant:
        endpoint = (await self.discovery()).token_endpoint
        body = await self._send(what, "POST", endpoint, form=self._client_form(form))
        access_token, refresh_token, expires_in = _token_fields(what, body)
        character = await self.validate(access_token)
        if refresh_token is None:
            if previous_refresh_token is None:
                raise SsoUnavailable(f"EVE SSO {what} returned no refresh token")
            refresh_token = previous_refresh_token
        expires_at = datetime.fromtimestamp(self._clock(), UTC) + timedelta(seconds=expires_in)
        rotated = previous_refresh_token is not None and refresh_token != previous_refresh_token
        return TokenGrant(access_token, refresh_token, min(expires_at, character.expires_at), character, rotated)

    def _client_form(self, form: dict[str, str]) -> dict[str, str]:
        """Public clients identify themselves in the form; confidential ones use HTTP Basic instead."""
        return form if self._client_secret else {**form, "client_id": self.client_id}

    async def _send(self, what: str, method: str, url: str, **kwargs: Any) -> Any:
        if self._session is None:
            raise RuntimeError("SsoClient.start() must be called (or use `async with`) before requests")
        basic = self._client_secret is not None and method == "POST"
        authorization = http.basic_authorization(self.client_id, self._client_secret or "") if basic else None
        return await http.send(
            self._session, what, method, url, authorization=authorization, client_timeout=self._timeout, **kwargs
        )

    async def _fetch_jwks(self) -> Any:
        return await self._send("JWKS", "GET", (await self.discovery()).jwks_uri)


def _token_fields(what: str, body: Any) -> tuple[str, str | None, int]:
    """(access token, refresh token or None, expires_in seconds) of a token response."""
    if not isinstance(body, dict):
        raise SsoUnavailable(f"EVE SSO {what} answered with something other than a JSON object")
    access_token, refresh_token, expires_in = (
        body.get("access_token"),
        body.get("refresh_token"),
        body.get("expires_in"),
    )
    if not isinstance(access_token, str) or not access_token:
        raise SsoUnavailable(f"EVE SSO {what} returned no access token")
    if str(body.get("token_type", "Bearer")).lower() != "bearer":
        raise SsoUnavailable(f"EVE SSO {what} returned a token type other than Bearer")
    if refresh_token is not None and (not isinstance(refresh_token, str) or not refresh_token):
        raise SsoUnavailable(f"EVE SSO {what} returned an unusable refresh token")
    if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in <= 0:
        raise SsoUnavailable(f"EVE SSO {what} returned no usable expires_in")
    return access_token, refresh_token, expires_in
