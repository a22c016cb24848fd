"""Alert-rule input for the alerts API and page: DM and e-mail targets, places, items, quiet hours."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from aiohttp import web

from core.accounts.email import same_address
from core.accounts.linking import LinkedIdentity
from core.alerts.model import AlertTarget, QuietHours, RuleError, TargetKind, time_of_day
from core.catalog import ALIASES
from core.market.hubs import KNOWN_REGIONS, Hub, UnknownLocation, find_hub
from web.email_pages import mail_enabled
from web.keys import ACCOUNTS, CONFIG
from web.stores import stores

if TYPE_CHECKING:
    from core.alerts.ports import AlertRuleRepository
    from core.alerts.watchlist import WatchlistStore

NOT_A_CHAT = frozenset({"web", "console"})  # identities that cannot receive a DM
DEFAULT_HUB = "Jita"
SUGGESTIONS = 5


class FieldError(ValueError):
    """One input is wrong: the `field`, a stable `code` ("unknown", "invalid", "none") and a message for the user."""

    def __init__(self, field: str, code: str, message: str) -> None:
        self.field, self.code = field, code
        super().__init__(message)


def rules_store(request: web.Request) -> AlertRuleRepository:
    """The alert rules store of this app."""
    return stores(request).rules


def watchlist_store(request: web.Request) -> WatchlistStore:
    """The watchlist store of this app."""
    return stores(request).watchlist


async def dm_identities(request: web.Request, account_id: int) -> list[LinkedIdentity]:
    """The account's chat identities that can receive a DM, most recently seen first."""
    identities = await request.app[ACCOUNTS].identities(account_id)
    return [identity for identity in identities if identity.platform not in NOT_A_CHAT]


def dm_target(identity: LinkedIdentity) -> AlertTarget:
    """The private chat of one of the account's identities."""
    return AlertTarget(identity.platform, TargetKind.DM, identity.external_id)


async def email_target(request: web.Request, account_id: int) -> AlertTarget | None:
    """The account's verified e-mail address as a target; None when this server sends no mail or none is verified."""
    if not mail_enabled(request.app):
        return None
    address = await stores(request).emails.verified_address(account_id)
    return AlertTarget("email", TargetKind.EMAIL, address) if address else None


async def chosen_email(request: web.Request, account_id: int, address: str, field: str) -> AlertTarget:
    """The e-mail target the user picked: only the account's verified address; FieldError(field) otherwise."""
    if not mail_enabled(request.app):
        raise FieldError(field, "disabled", "e-mail alerts are not enabled on this server")
    target = await email_target(request, account_id)
    if target is None or not same_address(target.address, address):
        settings = f"{request.app[CONFIG].public_url.rstrip('/')}/settings"
        raise FieldError(field, "unverified", f"verify that e-mail address on the panel first: {settings}")
    return target


async def account_hub(request: web.Request, account_id: int) -> Hub:
    """The account's default hub, else Jita."""
    name = (await request.app[ACCOUNTS].settings(account_id)).default_hub
    return find_hub(name or DEFAULT_HUB)


def hub_place(name: str) -> tuple[int, int]:
    """(region, station) of a hub by name; FieldError("hub") when unknown."""
    try:
        hub = find_hub(name)
    except UnknownLocation as exc:
        raise FieldError("hub", "unknown", str(exc)) from None
    return hub.region_id, hub.station_id


def region_place(region_id: int) -> tuple[int, None]:
    """(region, None) for a region-wide rule; FieldError("region_id") when it is not a market region we know."""
    if region_id not in KNOWN_REGIONS:
        raise FieldError("region_id", "unknown", "Unknown market region.")
    return region_id, None


async def item_by_name(request: web.Request, name: str) -> tuple[int, str]:
    """(type_id, name) of the static-data type with this name or chat alias; FieldError("item") with suggestions."""
    wanted = " ".join(name.split())
    if not wanted:
        raise FieldError("item", "required", "say which item")
    wanted = ALIASES.get(wanted.lower(), wanted)
    found = await stores(request).types.by_name(wanted)
    if found is not None:
        return found
    close = await stores(request).types.starting_with(wanted, SUGGESTIONS)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise FieldError("item", "unknown", f"unknown item {wanted!r}{hint}")


def clock(text: str, field: str) -> time:
    """A time of day from "22:00" (or "2200", "22", "7"), read as chat reads it; FieldError(field) otherwise."""
    try:
        return time_of_day(text)
    except RuleError as exc:
        raise FieldError(field, "invalid", str(exc)) from None


def quiet_hours(timezone: str, start: str, end: str) -> QuietHours:
    """Quiet hours from text ("Europe/Berlin", "22:00", "07:00"); FieldError on "timezone", "start" or "end"."""
    start_at, end_at = clock(start, "start"), clock(end, "end")
    try:
        return QuietHours(timezone.strip(), start_at, end_at)
    except RuleError as exc:
        raise FieldError("timezone" if "time zone" in str(exc) else "end", "invalid", str(exc)) from None
