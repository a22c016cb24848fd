"""Panel sessions: JWT access cookies (15 min), rotated opaque refresh cookies, login/logout and request resolution."""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

import asyncpg
import jwt
import redis.asyncio as aioredis
from aiohttp import hdrs, web
from redis.exceptions import RedisError

from core.accounts.sessions import (
    ACCESS_TTL,
    REFRESH_TTL,
    AccountSessions,
    RefreshTokens,
    RotationOutcome,
    derive_key,
)
from web.config import WebConfig
from web.session_model import RequestAuth, Session

if TYPE_CHECKING:
    from adapters.postgres.account_settings import PgAccountSettings
    from adapters.redis.keys import RedisKeys


log = logging.getLogger(__name__)
ISSUER = "evetrader-web"
BROWSER_TTL_S = 400 * 24 * 3600
_VERIFIED_MAX = 4096  # access tokens whose signature decode_access remembers (cleared when full)
# Postgres unreachable (down, restarting, pool timed out): only then is Redis's revocation cache asked.
_PG_UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                   asyncpg.CannotConnectNowError)  # fmt: skip


class SessionService:
    """Issues, resolves, rotates and revokes panel sessions; the only code that touches session cookies."""

    def __init__(
        self,
        store: AccountSessions,
        accounts: PgAccountSettings,
        redis: aioredis.Redis,
        keys: RedisKeys,
        config: WebConfig,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._refresh = RefreshTokens(store)
        self._accounts = accounts
        self._redis = redis
        self._keys = keys
        self._config = config
        self._jwt_key = derive_key(config.signing_key, "jwt-access")
        self._clock = clock
        prefix = "__Host-" if config.cookie_secure else ""
        self.access_cookie = prefix + "evt_access"
        self.refresh_cookie = prefix + "evt_refresh"
        self.browser_cookie = prefix + "evt_browser"
        self._verified: dict[str, tuple[Session, int]] = {}  # access token -> its session and exp (decode_access)

    def __repr__(self) -> str:
        return f"SessionService(secure={self._config.cookie_secure})"

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def encode_access(self, session: Session, issued_at: float | None = None) -> str:
        """A signed access token for `session` (HS256; sub, role, fid, iat, exp, jti)."""
        iat = int(self._clock() if issued_at is None else issued_at)
        claims = {
            "iss": ISSUER,
            "sub": str(session.account_id),
            "role": session.role,
            "fid": session.family_id,
            "iat": iat,
            "exp": iat + int(ACCESS_TTL.total_seconds()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._jwt_key, algorithm="HS256")

    def decode_access(self, token: str) -> Session | None:
        """The session an access token stands for, or None when it is forged, expired or malformed.

        A token verified before is not verified again until it expires (the same bytes carry the same signature);
        whether its family is still live is asked on every request by the caller, never cached here."""
        verified = self._verified.get(token)
        if verified is not None:
            session, expires = verified
            if time.time() < expires:  # PyJWT's own test: expired once exp <= now
                return session
            del self._verified[token]
            return None
        try:
            claims = jwt.decode(
                token,
                self._jwt_key,
                algorithms=["HS256"],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iat", "jti", "fid", "role"]},
            )
            session = Session(int(claims["sub"]), str(claims["role"]), str(claims["fid"]))
            expires = int(claims["exp"])
        except (jwt.PyJWTError, ValueError, TypeError):
            return None
        if len(self._verified) >= _VERIFIED_MAX:
            self._verified.clear()
        self._verified[token] = (session, expires)
        return session

    async def login(self, response: web.StreamResponse, account_id: int) -> Session:
        """Sign `account_id` in: a new refresh family, and access + refresh cookies on `response`.

        An account holding one of ADMIN_CHARACTER_IDS becomes admin here (the character was just linked by SSO).
        """
        if self._config.admin_character_ids:
            await self._accounts.promote_admin_characters(list(self._config.admin_character_ids), account_id)
        issued = await self._refresh.issue(account_id, self._now())
        session = Session(account_id, issued.role, issued.family_id)
        self._set(response, self.access_cookie, self.encode_access(session), int(ACCESS_TTL.total_seconds()))
        self._set(response, self.refresh_cookie, issued.token, int(REFRESH_TTL.total_seconds()))
        log.info("web sign-in", extra={"account_id": account_id})
        return session

    async def logout(self, auth: RequestAuth) -> None:
        """Revoke the request's session family and clear its cookies (via `auth`)."""
        if auth.session is not None:
            await self.revoke(auth.session.family_id, "logout")
        auth.session = None
        auth.set_cookies.clear()
        auth.delete_cookies.update({self.access_cookie, self.refresh_cookie})

    async def revoke(self, family_id: str, reason: str) -> None:
        """Revoke a family in Postgres (which denies its access tokens) and cache the denial in Redis."""
        await self._refresh.revoke(family_id, reason)
        await self._deny(family_id)

    async def sign_out_everywhere(self, auth: RequestAuth) -> int:
        """Revoke every session family of the request's account (this browser's too); returns how many."""
        if auth.session is None:
            return 0
        families = await self._store.revoke_account(auth.session.account_id, "signed out everywhere")
        for family_id in families:
            await self._deny(family_id)
        log.info("web sign-out everywhere", extra={"account_id": auth.session.account_id, "sessions": len(families)})
        auth.session = None
        auth.set_cookies.clear()
        auth.delete_cookies.update({self.access_cookie, self.refresh_cookie})
        return len(families)

    async def resolve(self, request: web.Request) -> RequestAuth:
        """Who is calling: a valid access cookie, else a transparent refresh rotation, else nobody."""
        auth = await self.resolve_access(request)
        if auth.session is None:
            await self.resolve_refresh(request, auth)
        return auth

    async def resolve_access(self, request: web.Request) -> RequestAuth:
        """resolve's first step: the browser id, and the session of a valid access cookie whose family is live."""
        browser_id = request.cookies.get(self.browser_cookie, "")
        auth = RequestAuth(None, browser_id if 16 <= len(browser_id) <= 64 else "")
        if not auth.browser_id:
            auth.browser_id = secrets.token_urlsafe(24)
            auth.set_cookies[self.browser_cookie] = (auth.browser_id, BROWSER_TTL_S)
        access = request.cookies.get(self.access_cookie)
        session = self.decode_access(access) if access else None
        if session is not None and await self._family_live(session.family_id):
            auth.session = session
        return auth

    async def resolve_refresh(self, request: web.Request, auth: RequestAuth) -> None:
        """resolve's second step, when the first found no session: a transparent refresh rotation, else nobody."""
        refresh = request.cookies.get(self.refresh_cookie)
        if not refresh:
            if request.cookies.get(self.access_cookie):
                auth.delete_cookies.add(self.access_cookie)
            return
        result, issued = await self._refresh.rotate(refresh, self._now())
        if issued is None:
            if result.outcome is RotationOutcome.REUSED and result.family_id is not None:
                log.warning("refresh token reuse: session family revoked", extra={"account_id": result.account_id})
                await self._deny(result.family_id)
            auth.delete_cookies.update({self.access_cookie, self.refresh_cookie})
            return
        auth.session = Session(issued.account_id, issued.role, issued.family_id)
        auth.set_cookies[self.access_cookie] = (self.encode_access(auth.session), int(ACCESS_TTL.total_seconds()))
        auth.set_cookies[self.refresh_cookie] = (issued.token, int(REFRESH_TTL.total_seconds()))

    def apply(self, response: web.StreamResponse, auth: RequestAuth) -> None:
        """Add the request's cookie changes to a response being prepared (cookies a handler set itself win).

        Runs from on_response_prepare, after aiohttp has turned `response.cookies` into headers: so this writes
        Set-Cookie header lines itself.
        """
        jar: SimpleCookie = SimpleCookie()
        for name in auth.delete_cookies:
            if name not in response.cookies:
                self._morsel(jar, name, "", 0)
                jar[name]["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
        for name, (value, max_age) in auth.set_cookies.items():
            if name not in response.cookies:
                self._morsel(jar, name, value, max_age)
        for morsel in jar.values():
            response.headers.add(hdrs.SET_COOKIE, morsel.OutputString())

    def _morsel(self, jar: SimpleCookie, name: str, value: str, max_age: int) -> None:
        jar[name] = value
        jar[name].update({"max-age": str(max_age), "path": "/", "samesite": "Lax"})
        jar[name]["httponly"] = True
        if self._config.cookie_secure:
            jar[name]["secure"] = True

    def _set(self, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name, value, max_age=max_age, path="/", secure=self._config.cookie_secure, httponly=True, samesite="Lax"
        )

    async def _deny(self, family_id: str) -> None:
        try:
            key = self._keys.revoked_session_family(family_id)
            await self._redis.set(key, b"1", ex=int(ACCESS_TTL.total_seconds()) + 60)
        except RedisError as exc:
            log.warning("revoked session not cached in Redis", extra={"error": type(exc).__name__})

    async def _family_live(self, family_id: str) -> bool:
        """Postgres decides (a flushed Redis cannot revive a signed-out token); Redis only while Postgres is down."""
        try:
            return await self._store.family_active(family_id)
        except _PG_UNREACHABLE as exc:
            log.debug("session check fell back to Redis", extra={"error": type(exc).__name__})
        try:
            return not await self._redis.exists(self._keys.revoked_session_family(family_id))
        except RedisError:
            return False
