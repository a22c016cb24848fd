"""The panel's HTML pages: home, account, settings, alerts, admin, and sign-out (forms post back with a CSRF token)."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from adapters.postgres.account_settings import LastAdminError
from core.accounts.sessions import ROLES
from core.market.fees import MAX_SKILL_LEVEL
from core.market.hubs import HUBS
from core.usecases.settings import LABELS, SKILL_FIELDS, STANDING_FIELDS, SettingsInvalid, save_account_settings
from web.admin import admin_page
from web.alerts_page import add_alerts_routes
from web.appraisals import add_appraisal_pages
from web.auth import current_session, require_admin, require_user
from web.email_pages import add_email_routes, email_section
from web.errors import PanelError, path_id
from web.items import add_item_pages
from web.keys import ACCOUNTS, AUTH, SESSIONS
from web.notice_settings import add_notice_routes, notice_section
from web.render import render
from web.sso_routes import linked_characters
from web.structures_page import add_structure_pages
from web.trading_page import add_trading_pages


async def home(request: web.Request) -> web.Response:
    """What evetrader does, and the sign-in button (disabled with a reason when SSO is not configured)."""
    return render(request, "home.html")


async def account(request: web.Request) -> web.Response:
    """The account: id, role, linked identities, characters (with token health and an unlink form)."""
    session = require_user(request)
    accounts = request.app[ACCOUNTS]
    identities = await accounts.identities(session.account_id)
    role = await accounts.role(session.account_id) or session.role
    characters = (await linked_characters(request, session.account_id)).characters
    linked = next(
        (c.character for c in characters if str(c.character.character_id) == request.query.get("linked")), None
    )
    return render(
        request,
        "account.html",
        account_id=session.account_id,
        role=role,
        identities=identities,
        characters=characters,
        linked=linked,
        unlinked=request.query.get("unlinked") == "1",
    )


async def unlink_identity(request: web.Request) -> web.StreamResponse:
    """Detach one chat identity from the account."""
    session = require_user(request)
    form = await request.post()
    platform, external_id = str(form.get("platform", "")), str(form.get("external_id", ""))
    if not await request.app[ACCOUNTS].unlink_identity(session.account_id, platform, external_id):
        raise PanelError(404, "No such identity on your account.")
    raise web.HTTPSeeOther("/account")


async def _settings_page(
    request: web.Request,
    account_id: int,
    values: dict[str, object],
    errors: dict[str, str],
    saved: bool,
    email_form: Mapping[str, str] | None = None,
    notice_form: Mapping[str, str] | None = None,
    notice_errors: Mapping[str, str] | None = None,
) -> web.Response:
    email = await email_section(request, account_id, email_form)
    notices = await notice_section(request, account_id, notice_form, notice_errors)
    return render(
        request,
        "settings.html",
        status=422 if errors or email.get("error") or notice_errors else 200,
        hubs=[hub.name for hub in HUBS],
        values=values,
        errors=errors,
        saved=saved,
        labels=LABELS,
        skill_fields=SKILL_FIELDS,
        standing_fields=STANDING_FIELDS,
        max_level=MAX_SKILL_LEVEL,
        email=email,
        notices=notices,
    )


async def _current_settings_page(
    request: web.Request,
    account_id: int,
    email_form: Mapping[str, str] | None = None,
    *,
    notice_form: Mapping[str, str] | None = None,
    notice_errors: Mapping[str, str] | None = None,
) -> web.Response:
    """The settings page with the stored values (and, from the e-mail or notice forms, their values and errors)."""
    current = await request.app[ACCOUNTS].settings(account_id)
    values: dict[str, object] = {"default_hub": current.default_hub or ""}
    values.update({name: getattr(current.skills, name) for name in (*SKILL_FIELDS, *STANDING_FIELDS)})
    saved = request.query.get("saved") == "1"
    return await _settings_page(
        request, account_id, values, {}, saved, email_form, notice_form=notice_form, notice_errors=notice_errors
    )


async def settings(request: web.Request) -> web.Response:
    """The settings form: default hub, fee skills and standings; the e-mail address for alerts."""
    return await _current_settings_page(request, require_user(request).account_id)


async def save_settings(request: web.Request) -> web.StreamResponse:
    """Validate and save the settings form; re-show it with an error per bad field (nothing saved then)."""
    session = require_user(request)
    form = await request.post()
    values: dict[str, object] = {
        name: str(form.get(name, "")) for name in ("default_hub", *SKILL_FIELDS, *STANDING_FIELDS)
    }
    skills = {name: values[name] for name in (*SKILL_FIELDS, *STANDING_FIELDS)}
    try:
        await save_account_settings(request.app[ACCOUNTS], session.account_id, values["default_hub"], skills)
    except SettingsInvalid as exc:
        return await _settings_page(request, session.account_id, values, exc.errors, saved=False)
    raise web.HTTPSeeOther("/settings?saved=1")


async def change_role(request: web.Request) -> web.StreamResponse:
    """Apply the admin's role change form."""
    await require_admin(request)
    form = await request.post()
    role = str(form.get("role", ""))
    account_id = path_id(request, "account_id")
    if role not in ROLES:
        raise PanelError(422, f"Role must be one of {', '.join(ROLES)}.")
    try:
        await request.app[ACCOUNTS].set_role(account_id, role)
    except LookupError:
        raise PanelError(404, "No such account.") from None
    except LastAdminError:
        raise PanelError(409, "The last admin cannot be demoted.") from None
    raise web.HTTPSeeOther("/admin?changed=1")


async def logout(request: web.Request) -> web.StreamResponse:
    """Sign out: revoke this session's refresh family and clear the cookies."""
    if current_session(request) is not None:
        await request.app[SESSIONS].logout(request[AUTH])
    raise web.HTTPSeeOther("/")


async def sign_out_everywhere(request: web.Request) -> web.StreamResponse:
    """Sign out every browser of the account: revoke all its session families and their access tokens."""
    require_user(request)
    await request.app[SESSIONS].sign_out_everywhere(request[AUTH])
    raise web.HTTPSeeOther("/")


def add_page_routes(app: web.Application) -> None:
    """Register the panel's pages."""
    app.router.add_get("/", home, name="home")
    app.router.add_get("/account", account, name="account")
    app.router.add_post("/account/identities/unlink", unlink_identity, name="unlink_identity")
    app.router.add_get("/settings", settings, name="settings")
    app.router.add_post("/settings", save_settings, name="save_settings")
    add_email_routes(app, _current_settings_page)
    add_notice_routes(app, _current_settings_page)
    add_alerts_routes(app)
    app.router.add_get("/admin", admin_page, name="admin")
    app.router.add_post("/admin/accounts/{account_id}/role", change_role, name="change_role")
    app.router.add_post("/auth/logout", logout, name="logout")
    app.router.add_post("/auth/logout-everywhere", sign_out_everywhere, name="logout_everywhere")
    add_appraisal_pages(app)
    add_item_pages(app)
    add_trading_pages(app)
    add_structure_pages(app)
