"""The sign-in and /link pages: /link/{code} (shown, then confirmed), /auth/login, /auth/callback, unlinking."""

from __future__ import annotations

import logging
import re

from aiohttp import web

from core.accounts.sso import (
    InvalidGrant,
    InvalidToken,
    SsoError,
    SsoUnavailable,
    StateRejected,
    accept_state,
    code_challenge,
)
from core.usecases.accounts import LinkedCharacters, NotYourCharacter, list_characters, unlink_own_character
from web.auth import browser_session_id, current_session, require_user
from web.errors import PanelError
from web.keys import SESSIONS
from web.render import render
from web.sso import SSO_SERVICES, SsoWebServices

log = logging.getLogger(__name__)
EXPIRED_LINK = "This link code has expired or was already used: run /link again in your chat app."
RETURN_PAGE = re.compile(r"/link/[A-Za-z0-9_-]{16,64}")  # the only pages a sign-in returns to


def _services(request: web.Request) -> SsoWebServices:
    return request.app[SSO_SERVICES]


def _redirect(location: str, status: int = 302) -> web.Response:
    return web.Response(status=status, headers={"Location": location, "Cache-Control": "no-store"})


async def linked_characters(request: web.Request, account_id: int) -> LinkedCharacters:
    """The account's linked characters with token health and trading scopes (none when SSO is not configured)."""
    services = request.app.get(SSO_SERVICES)
    return await list_characters(services.characters, account_id) if services is not None else LinkedCharacters(())


def _link_expired(request: web.Request) -> web.Response:
    return render(request, "link_expired.html", status=410, message=EXPIRED_LINK)


async def link_page(request: web.Request) -> web.Response:
    """A /link code's page: which chat identity joins which account; nothing happens (or is used up) until a POST."""
    code = request.match_info["code"]
    link = await _services(request).link_codes.peek(code)
    if link is None:
        return _link_expired(request)
    session = current_session(request)
    characters = (await linked_characters(request, session.account_id)).characters if session is not None else ()
    response = render(request, "link.html", link=link, code=code, characters=characters)
    response.headers["Cache-Control"] = "no-store"
    return response


async def confirm_link(request: web.Request) -> web.StreamResponse:
    """The confirmed /link page (a CSRF-checked POST of a signed-in browser): the chat identity joins this account."""
    session = require_user(request)
    services = _services(request)
    link = await services.link_codes.consume(request.match_info["code"])
    if link is None:
        return _link_expired(request)
    result = await services.characters.join_identity(session.account_id, link)
    merged = list(result.merged)
    log.info(
        "chat identity linked", extra={"account_id": session.account_id, "platform": link.platform, "merged": merged}
    )
    raise web.HTTPSeeOther("/account")


async def login(request: web.Request) -> web.Response:
    """Start an EVE sign-in: a state bound to this browser, then 302 to SSO with the PKCE challenge.

    `next` may name a /link page to come back to; it is kept in Redis under the state's nonce, never sent to SSO.
    `scopes=trading` asks for the trading scopes ('enable trading features'); otherwise only a sign-in is asked for.
    """
    services = _services(request)
    issued = services.signer.issue(browser_session_id(request))
    back = request.query.get("next", "")
    if RETURN_PAGE.fullmatch(back):
        await services.states.remember_return(issued.nonce, back)
    scopes = services.trading_scopes if request.query.get("scopes") == "trading" else services.scopes
    try:
        url = await services.sso.authorize_url(issued.value, code_challenge(issued.code_verifier), scopes)
    except SsoError:
        raise PanelError(503, "EVE sign-in is unreachable right now; try again in a minute.") from None
    return _redirect(url)


async def callback(request: web.Request) -> web.Response:
    """SSO's redirect back: check the state, trade the code, bind the character, sign in (never links a chat)."""
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
        grant = await services.sso.exchange_code(code, verified.code_verifier)
    except StateRejected as exc:
        log.info("sso callback refused", extra={"reason": exc.reason})
        raise PanelError(400, "This sign-in link expired or was already used: start again.") from None
    except (InvalidGrant, InvalidToken):
        raise PanelError(400, "EVE refused this sign-in (it expired or was already used): start again.") from None
    except SsoUnavailable:
        raise PanelError(503, "EVE sign-in is unreachable right now; try again in a minute.") from None
    except SsoError as exc:
        log.warning("sso code exchange failed", extra={"error": type(exc).__name__})
        raise PanelError(502, "EVE sign-in failed on EVE's side; try again later.") from None
    session = current_session(request)
    browser_account = session.account_id if session is not None else None
    result = await services.characters.link(grant.character, grant.refresh_token, browser_account=browser_account)
    sessions = request.app[SESSIONS]
    if session is not None:
        await sessions.revoke(session.family_id, "signed in again")
    back = await services.states.take_return(verified.nonce)
    response = _redirect(back or f"/account?linked={grant.character.character_id}")
    await sessions.login(response, result.account_id)
    return response


async def unlink(request: web.Request) -> web.StreamResponse:
    """Unlink one of the account's characters and revoke its token at EVE SSO."""
    session = require_user(request)
    services = _services(request)
    try:
        character_id = int(request.match_info["character_id"])
    except ValueError:
        raise PanelError(404, "No such character on your account.") from None
    try:
        await unlink_own_character(services.characters, services.sso, session.account_id, character_id)
    except NotYourCharacter:
        raise PanelError(404, "No such character on your account.") from None
    raise web.HTTPSeeOther("/account?unlinked=1")


def add_sso_routes(app: web.Application, services: SsoWebServices) -> None:
    """Mount the sign-in and /link routes with their services."""
    app[SSO_SERVICES] = services
    app.router.add_get("/link/{code}", link_page, name="link")
    app.router.add_post("/link/{code}", confirm_link, name="confirm_link")
    app.router.add_get("/auth/login", login, name="sso_login")
    app.router.add_get("/auth/callback", callback, name="sso_callback")
    app.router.add_post("/account/characters/{character_id}/unlink", unlink, name="unlink_character")
