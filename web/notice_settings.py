"""The settings page's sales notices: off, sales, or sales and buys, and where they go (as `/settings notices`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from core.alerts.model import AlertTarget, TargetKind
from core.trading.notify import NOTICE_MODES, NoticeSettings
from core.usecases.trading_orders import set_notices
from web.alert_inputs import FieldError, chosen_email, dm_identities, dm_target, email_target
from web.auth import require_user
from web.errors import PanelError
from web.keys import CONFIG
from web.stores import stores

FIELDS = ("notice_mode", "notice_target")
MODES = dict(zip(NOTICE_MODES, ("Off", "Sales only", "Sales and buys"), strict=True))
LABELS = {"notice_mode": "Announce", "notice_target": "Send them to"}
SAVED = "Sales notice settings saved."
NO_TARGET = "use the bot in Discord or Telegram, or verify an e-mail address, first: notices go to a chat of yours"
# Re-shows the settings page with the notice form's values and errors (status 422).
SettingsPage = Callable[..., Awaitable[web.Response]]


def notice_store(request: web.Request) -> NoticeSettings:
    """The store that keeps what the account's trade notices announce and where they go."""
    return stores(request).notices


def target_key(target: AlertTarget) -> str:
    """The form value naming a target."""
    return f"{target.kind.value}:{target.platform}:{target.address}"


async def notice_targets(request: web.Request, account_id: int) -> list[tuple[AlertTarget, str]]:
    """Where the account may send its notices from the panel: its chats' DMs, its verified e-mail address, and the
    channel or group chosen in chat with `/settings notices ... here` (it can only be chosen there)."""
    targets = [
        (dm_target(i), f"DM to {i.display_name or i.external_id} ({i.platform})")
        for i in await dm_identities(request, account_id)
    ]
    if (email := await email_target(request, account_id)) is not None:
        targets.append((email, f"E-mail to {email.address}"))
    current = await notice_store(request).notice_target(account_id)
    if current is not None and current.kind in (TargetKind.CHANNEL, TargetKind.CHAT):
        targets.append((current, f"The {current.platform} {current.kind.value} chosen in chat"))
    return targets


async def notice_section(
    request: web.Request,
    account_id: int,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the settings page shows about sales notices: the choices, the stored (or re-shown) values and errors."""
    if not request.app[CONFIG].sso_enabled:
        return {"enabled": False}
    store = notice_store(request)
    targets = await notice_targets(request, account_id)
    current = await store.notice_target(account_id)
    values = {
        "notice_mode": await store.notice_mode(account_id),
        "notice_target": target_key(current) if current is not None else "",
    } | dict(form or {})
    return {
        "enabled": True,
        "modes": MODES,
        "targets": [(target_key(target), label) for target, label in targets],
        "form": values,
        "errors": dict(errors or {}),
        "labels": LABELS,
        "saved": request.query.get("notices") == "saved",
    }


async def _chosen(request: web.Request, account_id: int, key: str) -> AlertTarget | None:
    """The target picked (None: none picked, so the stored one stays); FieldError when it is not the account's."""
    if not key:
        return None
    if key.startswith(f"{TargetKind.EMAIL.value}:"):
        return await chosen_email(request, account_id, key.partition(":")[2].partition(":")[2], "notice_target")
    for target, _ in await notice_targets(request, account_id):
        if target_key(target) == key:
            return target
    raise FieldError("notice_target", "invalid", "pick one of your own chats or your verified e-mail address")


async def parse_notices(
    request: web.Request, account_id: int, form: Mapping[str, str]
) -> tuple[str, AlertTarget | None]:
    """(mode, target) from the form; PanelError(422) with an error per bad field otherwise."""
    errors: dict[str, str] = {}
    mode = form["notice_mode"]
    if mode not in MODES:
        errors["notice_mode"] = f"must be one of {', '.join(MODES.values())}"
    target = None
    try:
        target = await _chosen(request, account_id, form["notice_target"])
    except FieldError as exc:
        errors["notice_target"] = str(exc)
    if (
        not errors
        and mode != "off"
        and target is None
        and await notice_store(request).notice_target(account_id) is None
    ):
        errors["notice_target"] = NO_TARGET
    if errors:
        raise PanelError(422, "Nothing was saved.", fields=errors)
    return mode, target


def add_notice_routes(app: web.Application, settings_page: SettingsPage) -> None:
    """Register POST /settings/notices; a rejected form re-shows the settings page through `settings_page`."""

    async def save_notices(request: web.Request) -> web.StreamResponse:
        """Save the sales notice settings; re-show them with an error per bad field (nothing saved then)."""
        account_id = require_user(request).account_id
        if not request.app[CONFIG].sso_enabled:
            raise PanelError(404, "Trading features are not enabled on this server.")
        posted = await request.post()
        form = {name: str(posted.get(name, "")).strip() for name in FIELDS}
        try:
            mode, target = await parse_notices(request, account_id, form)
        except PanelError as error:
            return await settings_page(request, account_id, notice_form=form, notice_errors=error.fields)
        await set_notices(notice_store(request), account_id, mode, target)
        raise web.HTTPSeeOther("/settings?notices=saved#notices")

    app.router.add_post("/settings/notices", save_notices, name="save_notices")
