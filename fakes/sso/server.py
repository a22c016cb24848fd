"""SsoFake: a local EVE SSO v2 (aiohttp) with auto-consent, rotating refresh tokens and bad-token hooks."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from aiohttp import web

from ..local_server import LocalServer
from . import routes, tokens
from .keys import SigningKey, default_keys, new_key
from .state import FakeCharacter, Ledger, RecordedRequest

DEFAULT_CHARACTERS = (
    FakeCharacter(90000001, "Trader Joe", "owner-hash-joe-1"),
    FakeCharacter(90000002, "Alt Trader", "owner-hash-alt-1"),
)
Route = Callable[["SsoFake", web.Request], Awaitable[web.StreamResponse]]


class SsoFake(LocalServer):
    """A protocol-faithful EVE SSO on 127.0.0.1: metadata, authorize, token, JWKS and revoke.

    `base_url` (= `url`, no trailing slash) is what SSO_BASE_URL points at.
    """

    shutdown_timeout = 0.5

    def __init__(
        self,
        *,
        client_id: str = "evetrader-test-client",
        client_secret: str | None = "fake-client-secret",
        redirect_uri: str = "http://127.0.0.1/sso/callback",
        characters: Sequence[FakeCharacter] = DEFAULT_CHARACTERS,
        signing_alg: Literal["RS256", "ES256"] = "RS256",
        issuer_form: Literal["url", "host"] = "url",
        token_lifetime_s: int = 1199,
        code_lifetime_s: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Configure the registered application and the characters that can log in."""
        super().__init__()
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.characters = {c.character_id: FakeCharacter(**vars(c)) for c in characters}
        self.logged_in = next(iter(self.characters))
        self.signing_alg, self.issuer_form = signing_alg, issuer_form
        self.token_lifetime_s, self.code_lifetime_s, self.clock = token_lifetime_s, code_lifetime_s, clock
        self.keys: list[SigningKey] = list(default_keys())
        self.ledger = Ledger()
        self.requests: list[RecordedRequest] = []

    @property
    def issuer(self) -> str:
        """The `iss` of minted tokens: `http://host:port/` or the bare `host:port`, like EVE's two forms."""
        return self.base_url + "/" if self.issuer_form == "url" else self.base_url.split("://", 1)[1]

    def key_for(self, alg: str) -> SigningKey:
        """The current signing key of `alg`."""
        for key in self.keys:
            if key.alg == alg:
                return key
        raise ValueError(f"the fake has no {alg!r} key (RS256 and ES256 only)")

    def current_character(self) -> FakeCharacter:
        """The character the next authorize logs in as."""
        return self.characters[self.logged_in]

    def login_as(self, character_id: int) -> None:
        """Make the next authorize log in as `character_id`."""
        self.logged_in = self.characters[character_id].character_id

    def set_owner_hash(self, character_id: int, owner_hash: str) -> None:
        """Simulate a character transfer: its tokens carry a new owner hash from now on."""
        self.characters[character_id].owner_hash = owner_hash

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        """Answer the next `count` requests (any endpoint) with `status`."""
        self.ledger.failures.extend([status] * count)

    def rotate_key(self, alg: Literal["RS256", "ES256"]) -> SigningKey:
        """Replace the `alg` key with a new one (new kid), as CCP does on key rotation."""
        fresh = new_key(alg)
        self.keys = [fresh if key.alg == alg else key for key in self.keys]
        return fresh

    def claims(self, character_id: int | None = None, scopes: Sequence[str] | None = None) -> dict[str, Any]:
        """The claims a good access token for `character_id` (default: the logged-in one) carries."""
        character = self.characters[character_id if character_id is not None else self.logged_in]
        granted = list(scopes) if scopes is not None else list(character.scopes or ())
        return tokens.eve_claims(
            character_id=character.character_id,
            name=character.name,
            owner_hash=character.owner_hash,
            scopes=granted,
            client_id=self.client_id,
            issuer=self.issuer,
            now=int(self.clock()),
            lifetime_s=self.token_lifetime_s,
        )

    def mint(
        self,
        character_id: int | None = None,
        *,
        scopes: Sequence[str] | None = None,
        alg: str | None = None,
        header_kid: str | None = None,
        header_alg: str | None = None,
        **overrides: Any,
    ) -> str:
        """A signed access token; `overrides` replace claims (aud, iss, exp, sub, ...) to mint bad ones."""
        claims = {**self.claims(character_id, scopes), **overrides}
        key = self.key_for(alg or self.signing_alg)
        return tokens.sign(claims, key, kid=header_kid, alg=header_alg)

    def mint_alg_confusion(self, character_id: int | None = None) -> str:
        """HS256 signed with the RS256 key's public PEM, under the RS256 kid (the classic alg confusion)."""
        return tokens.hs256_with_public_key(self.claims(character_id), self.key_for("RS256"))

    def mint_unsigned(self, character_id: int | None = None) -> str:
        """An `alg: none` token naming the RS256 kid."""
        return tokens.unsigned(self.claims(character_id), self.key_for("RS256").kid)

    def build_app(self) -> web.Application:
        """The aiohttp application with every endpoint."""
        app = web.Application(middlewares=[self._record])

        def bind(handler: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
            return functools.partial(handler, self)

        app.router.add_get("/.well-known/oauth-authorization-server", bind(routes.metadata))
        app.router.add_get("/v2/oauth/authorize", bind(routes.authorize))
        app.router.add_post("/v2/oauth/token", bind(routes.token))
        app.router.add_get("/oauth/jwks", bind(routes.jwks))
        app.router.add_post("/v2/oauth/revoke", bind(routes.revoke))
        return app

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        form = {k: str(v) for k, v in (await request.post()).items()} if request.method == "POST" else {}
        basic = request.headers.get("Authorization", "").startswith("Basic ")
        if self.ledger.failures:
            status = self.ledger.failures.pop(0)
            self.requests.append(RecordedRequest(request.method, request.path, form, basic, status))
            return web.json_response({"error": "server_error"}, status=status)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            self.requests.append(RecordedRequest(request.method, request.path, form, basic, exc.status))
            raise
        self.requests.append(RecordedRequest(request.method, request.path, form, basic, response.status))
        return response
