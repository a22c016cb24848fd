"""The sign-in and /link pages: /link/{code}, /auth/login, /auth/callback and unlinking a character."""

from __future__ import annotations

import contextlib
import logging

from aiohttp import web

from core.accounts.linking import LinkRequest, unlink_character
from core.accounts.sso import (
    InvalidGrant,
    InvalidToken,
    SsoError,
    SsoUnavailable,
    StateRejected,
    accept_state,
    code_challenge,
)
from web.auth import browser_session_id, current_session, require_user
from web.errors import PanelError
from web.keys import CONFIG, SESSIONS
from web.render import render
from web.sso import LINK_COOKIE_PATH, LINK_COOKIE_TTL_S, SSO_SERVICES, SsoWebServices, link_cookie_name

log = logging.getLogger(__name__)
EXPIRED_LINK = "This link code has expired or was already used: run /link again in your chat app."


def _services(request: web.Request) -> SsoWebServices:
    return request.app[SSO_SERVICES]


def _redirect(location: str, status: int = 302) -> web.Response:
    return web.Response(status=status, headers={"Location": location, "Cache-Control": "no-store"})


def _link_expired(request: web.Request) -> web.Response:
    response = render(request, "link_expired.html", status=410, message=EXPIRED_LINK)
    response.del_cookie(link_cookie_name(request.app[CONFIG]), path=LINK_COOKIE_PATH)
    return response


async def link_page(request: web.Request) -> web.Response:
    """A /link code's landing page: whom it links, a "Sign in with EVE" button; the code waits in a cookie."""
    code = request.match_info["code"]
    link = await _services(request).link_codes.peek(code)
    if link is None:
        return _link_expired(request)
    response = render(request, "link.html", link=link)
    response.headers["Cache-Control"] = "no-store"
    config = request.app[CONFIG]
    response.set_cookie(
        link_cookie_name(config),
        code,
        max_age=LINK_COOKIE_TTL_S,
        path=LINK_COOKIE_PATH,
        secure=config.cookie_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


async def login(request: web.Request) -> web.Response:
    """Start an EVE sign-in: a state bound to this browser, then 302 to SSO with the PKCE challenge."""
    services = _services(request)
    issued = services.signer.issue(browser_session_id(request))
    try:
        url = await services.sso.authorize_url(issued.value, code_challenge(issued.code_verifier), services.scopes)
    except SsoError:
        raise PanelError(503, "EVE sign-in is unreachable right now; try again in a minute.") from None
    return _redirect(url)


async def _pending_link(request: web.Request, services: SsoWebServices) -> str | None:
    """The link code waiting in the cookie (None without one); 410 when it is no longer valid."""
    code = request.cookies.get(link_cookie_name(request.app[CONFIG]))
    if not code:
        return None
    if await services.link_codes.peek(code) is None:
        raise _ExpiredLink
    return code


class _ExpiredLink(Exception):
    """The browser's pending link code expired or was used meanwhile."""


async def callback(request: web.Request) -> web.Response:
    """SSO's redirect back: check the state, trade the code, bind the character (and /link identity), sign in."""
    services = _services(request)
    query = request.query
    if "error" in query:
        cancelled = query.get("error") == "access_denied"
        raise PanelError(400, "Sign-in cancelled." if cancelled else "EVE sign-in failed: start again.")
    code, state = query.get("code", ""), query.get("state", "")
    if not code or not state:
        raise PanelError(400, "This sign-in link is incomplete: start again.")
    try:
        verified = await accept_state(services.signer, services.states, state, browser_session_id(request))
        link_code = await _pending_link(request, services)
        grant = await services.sso.exchange_code(code, verified.code_verifier)
    except StateRejected as exc:
        log.info("sso callback refused", extra={"reason": exc.reason})
        raise PanelError(400, "This sign-in link expired or was already used: start again.") from None
    except _ExpiredLink:
        return _link_expired(request)
    except (InvalidGrant, InvalidToken):
        raise PanelError(400, "EVE refused this sign-in (it expired or was already used): start again.") from None
    except SsoUnavailable:
        raise PanelError(503, "EVE sign-in is unreachable right now; try again in a minute.") from None
    except SsoError as exc:
        log.warning("sso code exchange failed", extra={"error": type(exc).__name__})
        raise PanelError(502, "EVE sign-in failed on EVE's side; try again later.") from None
    link: LinkRequest | None = None
    if link_code is not None:
        link = await services.link_codes.consume(link_code)
        if link is None:  # used by another tab since the check: drop the fresh token too
            with contextlib.suppress(SsoError):
                await services.sso.revoke(grant.refresh_token)
            return _link_expired(request)
    session = current_session(request)
    result = await services.characters.link(
        grant.character,
        grant.refresh_token,
        browser_account=session.account_id if session is not None else None,
        request=link,
    )
    sessions = request.app[SESSIONS]
    if session is not None:
        await sessions.revoke(session.family_id, "signed in again")
    response = _redirect(f"/account?linked={grant.character.character_id}")
    await sessions.login(response, result.account_id)
    response.del_cookie(link_cookie_name(request.app[CONFIG]), path=LINK_COOKIE_PATH)
    return response


async def unlink(request: web.Request) -> web.StreamResponse:
    """Unlink one of the account's characters and revoke its token at EVE SSO."""
    session = require_user(request)
    services = _services(request)
    try:
        character_id = int(request.match_info["character_id"])
    except ValueError:
        raise PanelError(404, "No such character on your account.") from None
    if not await unlink_character(services.characters, services.sso, session.account_id, character_id):
        raise PanelError(404, "No such character on your account.")
    raise web.HTTPSeeOther("/account?unlinked=1")


def add_sso_routes(app: web.Application, services: SsoWebServices) -> None:
    """Mount the sign-in and /link routes with their services."""
    app[SSO_SERVICES] = services
    app.router.add_get("/link/{code}", link_page, name="link")
    app.router.add_get("/auth/login", login, name="sso_login")
    app.router.add_get("/auth/callback", callback, name="sso_callback")
    app.router.add_post("/account/characters/{character_id}/unlink", unlink, name="unlink_character")
