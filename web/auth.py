"""Who may do what: the current session, the browser's id (for SSO state binding), and user/admin guards."""

from __future__ import annotations

from aiohttp import web

from core.accounts.sessions import ROLE_ADMIN
from web.errors import PanelError
from web.keys import ACCOUNTS, AUTH
from web.session_model import Session


def current_session(request: web.Request) -> Session | None:
    """The signed-in session of this request, or None."""
    auth = request.get(AUTH)
    return auth.session if auth is not None else None


def browser_session_id(request: web.Request) -> str:
    """A stable random id of this browser (HttpOnly cookie), e.g. to bind an SSO login state to it."""
    return request[AUTH].browser_id


def require_user(request: web.Request) -> Session:
    """The signed-in session, or 401 (JSON under /api, a sign-in page elsewhere)."""
    session = current_session(request)
    if session is None:
        raise PanelError(401)
    return session


async def require_admin(request: web.Request) -> Session:
    """The signed-in session of an admin, checked against Postgres (a demotion counts at once), or 401/403."""
    session = require_user(request)
    if await request.app[ACCOUNTS].role(session.account_id) != ROLE_ADMIN:
        raise PanelError(403, "Only admins may do that.")
    return session
