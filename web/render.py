"""Server-side rendering: the Jinja2 environment (autoescape on) and the page/error responses built from it."""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from core.accounts.sessions import csrf_token, derive_key
from web.assets import panel_assets
from web.errors import PanelError
from web.keys import AUTH, CONFIG, TEMPLATES


def template_environment() -> jinja2.Environment:
    """Jinja2 over the web package's templates: escapes every value, fails on undefined names, has static_url()."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["static_url"] = panel_assets().url
    return environment


def request_csrf_token(request: web.Request) -> str:
    """The CSRF token forms and API calls of this browser session must send back."""
    key = derive_key(request.app[CONFIG].signing_key, "csrf")
    return csrf_token(key, request[AUTH].csrf_binding)


def render(request: web.Request, template: str, *, status: int = 200, **context: Any) -> web.Response:
    """Render `template` with the common context (session, CSRF token, SSO availability)."""
    auth = request.get(AUTH)
    config = request.app[CONFIG]
    common = {
        "session": auth.session if auth is not None else None,
        "csrf_token": request_csrf_token(request) if auth is not None else "",
        "sso_enabled": config.sso_enabled,
        "path": request.path,
    }
    html = request.app[TEMPLATES].get_template(template).render(**common, **context)
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    # revalidate every time (a CDN never serves a stale page); a signed-in page is never kept by a shared cache
    response.headers["Cache-Control"] = "private, no-cache" if common["session"] is not None else "no-cache"
    return response


def error_page(request: web.Request, error: PanelError) -> web.Response:
    """The HTML error page (never a stack trace); plain text if even rendering fails."""
    try:
        response = render(request, "error.html", status=error.status, error=error)
    except Exception:
        response = web.Response(text=error.message, status=error.status, content_type="text/plain")
    response.headers.update(error.headers)
    return response
