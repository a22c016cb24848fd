"""The JSON API under /api/v1: one route table that both registers the handlers and generates the OpenAPI document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiohttp import web

from adapters.postgres.account_settings import LastAdminError
from core.accounts.sessions import ROLES
from core.market.fees import AccountSettings
from core.usecases.settings import SettingsInvalid, save_account_settings
from web.admin import DEFAULT_DAYS, MAX_DAYS, admin_providers, admin_usage
from web.api_alerts import ALERT_ROUTES
from web.api_io import API_PREFIX, PUBLIC, ApiRoute
from web.api_io import json_body as _body
from web.api_io import json_response as _json
from web.api_schemas import Schema, ref
from web.api_structures import STRUCTURE_ROUTES
from web.api_trading import TRADING_ROUTES
from web.appraisals import APPRAISAL_ROUTES
from web.auth import require_admin, require_user
from web.errors import PanelError, path_id
from web.items import ITEM_ROUTES
from web.keys import ACCOUNTS
from web.market_api import MARKET_ROUTES
from web.render import request_csrf_token
from web.session_model import Session
from web.sso import character_json
from web.sso_routes import linked_characters

__all__ = ["API_PREFIX", "ROUTES", "ApiRoute", "add_api_routes", "settings_json"]


def settings_json(settings: AccountSettings) -> dict[str, Any]:
    """The Settings schema of an account's settings."""
    skills = settings.skills
    return {
        "default_hub": settings.default_hub,
        "skills": {
            "accounting": skills.accounting,
            "broker_relations": skills.broker_relations,
            "advanced_broker_relations": skills.advanced_broker_relations,
            "faction_standing": skills.faction_standing,
            "corp_standing": skills.corp_standing,
        },
    }


async def _get_account(request: web.Request, session: Session) -> web.Response:
    accounts = request.app[ACCOUNTS]
    identities = await accounts.identities(session.account_id)
    linked = await linked_characters(request, session.account_id)
    return _json(
        {
            "id": session.account_id,
            "role": await accounts.role(session.account_id) or session.role,
            "identities": [
                {
                    "platform": i.platform,
                    "external_id": i.external_id,
                    "display_name": i.display_name,
                    "last_seen_at": i.last_seen_at.isoformat(),
                }
                for i in identities
            ],
            "characters": [character_json(c.character) for c in linked.characters],
            "csrf_token": request_csrf_token(request),
        }
    )


async def _unlink_identity(request: web.Request, session: Session) -> web.Response:
    platform, external_id = request.match_info["platform"], request.match_info["external_id"]
    if not await request.app[ACCOUNTS].unlink_identity(session.account_id, platform, external_id):
        raise PanelError(404, "No such identity on your account.")
    return web.Response(status=204)


async def _get_settings(request: web.Request, session: Session) -> web.Response:
    return _json(settings_json(await request.app[ACCOUNTS].settings(session.account_id)))


async def _put_settings(request: web.Request, session: Session) -> web.Response:
    body = await _body(request)
    unknown = sorted(set(body) - {"default_hub", "skills"})
    skills = body.get("skills", {})
    if unknown or not isinstance(skills, dict):
        raise PanelError(422, "Send default_hub and a skills object only.")
    try:
        settings = await save_account_settings(
            request.app[ACCOUNTS], session.account_id, body.get("default_hub"), skills, strict=True
        )
    except SettingsInvalid as exc:
        raise PanelError(422, str(exc), fields=exc.errors) from None
    return _json(settings_json(settings))


async def _list_accounts(request: web.Request, session: Session) -> web.Response:
    rows = await request.app[ACCOUNTS].accounts()
    return _json(
        {
            "accounts": [
                {"id": r.account_id, "role": r.role, "created_at": r.created_at.isoformat(), "identities": r.identities}
                for r in rows
            ]
        }
    )


async def _set_role(request: web.Request, session: Session) -> web.Response:
    account_id = path_id(request, "account_id")
    role = (await _body(request)).get("role")
    if role not in ROLES:
        raise PanelError(422, f"role must be one of {', '.join(ROLES)}")
    try:
        changed = await request.app[ACCOUNTS].set_role(account_id, str(role))
    except LookupError:
        raise PanelError(404, "No such account.") from None
    except LastAdminError:
        raise PanelError(409, "The last admin cannot be demoted.") from None
    return _json({"id": account_id, "role": changed})


_TEXT: Schema = {"type": "string", "minLength": 1}
ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute("GET", f"{API_PREFIX}/account", _get_account, "The signed-in account", "user", ref("Account")),
    ApiRoute(
        "DELETE",
        f"{API_PREFIX}/account/identities/{{platform}}/{{external_id}}",
        _unlink_identity,
        "Unlink a chat identity from the account",
        "user",
        None,
        path_params={"platform": _TEXT, "external_id": _TEXT},
    ),
    ApiRoute("GET", f"{API_PREFIX}/settings", _get_settings, "The account's settings", "user", ref("Settings")),
    ApiRoute(
        "PUT",
        f"{API_PREFIX}/settings",
        _put_settings,
        "Replace the account's settings",
        "user",
        ref("Settings"),
        request=ref("SettingsUpdate"),
    ),
    ApiRoute(
        "GET", f"{API_PREFIX}/admin/accounts", _list_accounts, "Every account (admin)", "admin", ref("AccountList")
    ),
    ApiRoute(
        "PUT",
        f"{API_PREFIX}/admin/accounts/{{account_id}}/role",
        _set_role,
        "Change an account's role (admin)",
        "admin",
        ref("RoleResult"),
        request=ref("RoleChange"),
        path_params={"account_id": {"type": "integer"}},
        conflicts="The last admin cannot be demoted",
    ),
    ApiRoute(
        "GET",
        f"{API_PREFIX}/admin/usage",
        admin_usage,
        f"AI usage per UTC day and provider/model, and the top accounts, over ?days=N (1-{MAX_DAYS}, "
        f"default {DEFAULT_DAYS}; another value is a 400) (admin)",
        "admin",
        ref("UsageReport"),
        query_params={"days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": DEFAULT_DAYS}},
    ),
    ApiRoute(
        "GET",
        f"{API_PREFIX}/admin/providers",
        admin_providers,
        "Each AI provider's health over the last hour and day, from every process's usage rows (admin)",
        "admin",
        ref("ProviderHealthList"),
    ),
    *ALERT_ROUTES,
    *APPRAISAL_ROUTES,
    *TRADING_ROUTES,
    *STRUCTURE_ROUTES,
    *MARKET_ROUTES,
    *ITEM_ROUTES,
)


def _guarded(route: ApiRoute) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler of a route: the role check of its table row, then the handler (public: no session)."""

    async def handle(request: web.Request) -> web.Response:
        if route.role == PUBLIC:
            return await route.handler(request, cast(Session, None))  # public handlers never read a session
        session = await require_admin(request) if route.role == "admin" else require_user(request)
        return await route.handler(request, session)

    handle.__name__ = route.operation_id
    return handle


def add_api_routes(app: web.Application, routes: tuple[ApiRoute, ...] = ROUTES) -> None:
    """Register every route of the table (and nothing else) under /api/v1."""
    for route in routes:
        app.router.add_route(route.method, route.path, _guarded(route))
