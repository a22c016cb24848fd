"""The panel's e-mail address for alerts: set or change it (a verification mail), resend, remove, and the link page.

The mailed link {PUBLIC_URL}/email/verify/{token} only shows a confirm button; the address is verified by the POST
(with this browser's CSRF token), so mail scanners that follow links do not verify anything.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from core.accounts.email import (
    EmailInvalid,
    TokenStatus,
    TooManyMails,
    hash_token,
    issue_token,
    normalize_address,
    same_address,
    token_looks_valid,
    verification_link,
    verification_mail,
)
from core.alerts.delivery import AlertSender, AlertText, Delivered, TargetGone
from core.alerts.model import AlertTarget, TargetKind
from web.auth import current_session, require_user
from web.errors import PanelError
from web.keys import CONFIG
from web.render import render
from web.stores import stores

if TYPE_CHECKING:
    from adapters.postgres.account_email import PgAccountEmail


log = logging.getLogger(__name__)
MAILER: web.AppKey[AlertSender] = web.AppKey("mailer")  # set by create_app(mailer=...) when this server sends mail
NOT_ENABLED = "E-mail alerts are not enabled on this server."
NOTICES = {
    "sent": "Verification link sent: open it within 24 hours to confirm the address.",
    "resent": "A new verification link was sent; earlier links no longer work.",
    "cancelled": "The change was cancelled; your verified address stays.",
    "removed": "E-mail address removed: your e-mail alerts are paused.",
}
# Re-shows the settings page with the e-mail form's value and error (status 422).
SettingsPage = Callable[[web.Request, int, Mapping[str, str]], Awaitable[web.Response]]


def email_store(request: web.Request) -> PgAccountEmail:
    """The account e-mail store of this app."""
    return stores(request).emails


def mail_enabled(app: web.Application) -> bool:
    """True when this server can send mail (create_app got a mailer)."""
    return MAILER in app


async def email_section(request: web.Request, account_id: int, form: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What the settings page shows about e-mail: on or off here, both addresses, the form's value, error, notice."""
    form = form or {}
    if not mail_enabled(request.app):
        return {"enabled": False}
    state = await email_store(request).get(account_id)
    expires = state.pending_expires_at
    return {
        "enabled": True,
        "address": state.address,
        "pending": state.pending_address,
        "pending_expired": expires is not None and expires <= datetime.now(UTC),
        "value": form.get("email", ""),
        "error": form.get("error"),
        "notice": NOTICES.get(request.query.get("email", "")),
    }


async def _send_link(request: web.Request, address: str, token: str) -> str | None:
    """Mail the verification link; None when sent, else what to tell the user (never the token)."""
    subject, body = verification_mail(verification_link(request.app[CONFIG].public_url, token))
    target = AlertTarget("email", TargetKind.EMAIL, address)
    outcome = await request.app[MAILER].send(target, AlertText(subject, body, f"evt-verify-{secrets.token_hex(8)}"))
    if isinstance(outcome, Delivered):
        return None
    log.warning("verification mail not sent", extra={"outcome": type(outcome).__name__})
    if isinstance(outcome, TargetGone):
        return "the mail server refused that address: check it for typos"
    return "the mail could not be sent right now: try again in a few minutes"


def _require_mail(request: web.Request) -> None:
    if not mail_enabled(request.app):
        raise PanelError(404, NOT_ENABLED)


class EmailPages:
    """The e-mail forms of the settings page and the verification link page."""

    def __init__(self, settings_page: SettingsPage) -> None:
        self.settings_page = settings_page

    async def set_address(self, request: web.Request) -> web.StreamResponse:
        """Start verifying a new address: store it as pending and mail it a link; errors re-show the form."""
        account_id = require_user(request).account_id
        _require_mail(request)
        raw = str((await request.post()).get("email", "")).strip()
        store, now = email_store(request), datetime.now(UTC)
        try:
            address = normalize_address(raw)
            if same_address((await store.get(account_id)).address, address):
                raise EmailInvalid("that address is already verified")
            token = issue_token(now)
            await store.start(account_id, address, token, now)
        except (EmailInvalid, TooManyMails) as exc:
            return await self.settings_page(request, account_id, {"email": raw, "error": str(exc)})
        if (problem := await _send_link(request, address, token.token)) is not None:
            return await self.settings_page(request, account_id, {"email": raw, "error": problem})
        raise web.HTTPSeeOther("/settings?email=sent#email")

    async def resend(self, request: web.Request) -> web.StreamResponse:
        """Mail a new link to the pending address (the earlier link stops working)."""
        account_id = require_user(request).account_id
        _require_mail(request)
        now = datetime.now(UTC)
        token = issue_token(now)
        try:
            address = await email_store(request).resend(account_id, token, now)
        except TooManyMails as exc:
            return await self.settings_page(request, account_id, {"error": str(exc)})
        if address is None:
            raise PanelError(404, "No address is waiting for confirmation.")
        if (problem := await _send_link(request, address, token.token)) is not None:
            return await self.settings_page(request, account_id, {"error": problem})
        raise web.HTTPSeeOther("/settings?email=resent#email")

    async def cancel(self, request: web.Request) -> web.StreamResponse:
        """Forget the address waiting for confirmation."""
        account_id = require_user(request).account_id
        if not await email_store(request).cancel_pending(account_id):
            raise PanelError(404, "No address is waiting for confirmation.")
        raise web.HTTPSeeOther("/settings?email=cancelled#email")

    async def remove(self, request: web.Request) -> web.StreamResponse:
        """Remove the account's addresses; its e-mail alerts pause."""
        account_id = require_user(request).account_id
        if not await email_store(request).remove(account_id):
            raise PanelError(404, "Your account has no e-mail address.")
        raise web.HTTPSeeOther("/settings?email=removed#email")


def _token_path(
    handler: Callable[[web.Request], Awaitable[web.Response]],
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Log a failure of a link page without its path (the error middleware logs paths; this one holds the token)."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (PanelError, web.HTTPException, asyncio.CancelledError):
            raise
        except Exception:
            log.exception("e-mail verification page failed")
            raise PanelError(500) from None

    return guarded


def _token(request: web.Request) -> bytes:
    token = request.match_info["token"]
    if not token_looks_valid(token):
        raise PanelError(404, "This verification link is not valid.")
    return hash_token(token)


def _link_page(request: web.Request, status: TokenStatus, **context: Any) -> web.Response:
    code = {TokenStatus.VALID: 200, TokenStatus.EXPIRED: 410, TokenStatus.UNKNOWN: 404}[status]
    signed_in = current_session(request) is not None
    return render(request, "email_verify.html", status=code, state=status.value, signed_in=signed_in, **context)


async def verify_page(request: web.Request) -> web.Response:
    """The mailed link: a confirm button for a valid token (nothing is verified by opening it)."""
    found = await email_store(request).peek(_token(request), datetime.now(UTC))
    return _link_page(request, found.status, address=found.address, token=request.match_info["token"], done=False)


async def confirm(request: web.Request) -> web.Response:
    """Use the token (CSRF-checked): its address becomes the account's verified one."""
    done = await email_store(request).confirm(_token(request), datetime.now(UTC))
    return _link_page(request, done.status, address=done.address, token="", done=True)


def add_email_routes(app: web.Application, settings_page: SettingsPage) -> None:
    """Register the e-mail forms (under /settings/email) and the verification link page."""
    pages = EmailPages(settings_page)
    app.router.add_post("/settings/email", pages.set_address, name="set_email")
    app.router.add_post("/settings/email/resend", pages.resend, name="resend_email")
    app.router.add_post("/settings/email/cancel", pages.cancel, name="cancel_email")
    app.router.add_post("/settings/email/remove", pages.remove, name="remove_email")
    app.router.add_get("/email/verify/{token}", _token_path(verify_page), name="verify_email")
    app.router.add_post("/email/verify/{token}", _token_path(confirm), name="confirm_email")
