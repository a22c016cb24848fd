"""The panel's Structure markets page: the account's tracked structures (place, broker fee, data age, reading
character), adding one by name or id with a chosen character, the owner's broker fee, removal (CSRF-checked forms)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from core.accounts.sso import SCOPE_STRUCTURE_MARKETS, SsoError
from core.catalog import Catalog
from core.digits import whole_number
from core.market.errors import MarketSourceUnavailable
from core.market.structures import StructureError, StructureMarket, StructureNotFound
from core.usecases.structures import MAX_BROKER_FEE_PERCENT, StructureMarkets, publish
from web.auth import require_user
from web.errors import PanelError, path_id, unavailable
from web.public import MARKET
from web.render import render

NOT_ENABLED = "Structure markets are not enabled on this server (it has no EVE sign-in)."
MAX_QUERY = 200


def structure_markets(request: web.Request) -> StructureMarkets | None:
    """The structure markets use case of this server (None without EVE SSO: nobody can add one)."""
    context = request.app.get(MARKET)
    found = getattr(context.accounts, "structures", None) if context is not None else None
    return found if isinstance(found, StructureMarkets) else None


def structure_names(request: web.Request) -> Mapping[int, str]:
    """The tracked structures' names by id, from this process's catalog (empty without one): alert listings name
    the structure a rule watches."""
    catalog = context.catalog if (context := request.app.get(MARKET)) is not None else None
    return catalog.structure_names() if isinstance(catalog, Catalog) else {}


async def structure_change(
    request: web.Request, change: Callable[[StructureMarkets], Awaitable[StructureMarket]]
) -> StructureMarket:
    """Run one change of the account's structure markets and tell this process's catalog; the use case's refusals
    become a 404 (no such structure of the account), 409 (not enabled) or 422, and an EVE outage a 503."""
    markets = structure_markets(request)
    if markets is None:
        raise PanelError(409, NOT_ENABLED)
    try:
        changed = await change(markets)
    except StructureNotFound as exc:
        raise PanelError(404, _sentence(str(exc))) from None
    except (StructureError, SsoError) as exc:
        raise PanelError(422, _sentence(str(exc))) from None
    except MarketSourceUnavailable:
        raise unavailable() from None
    context = request.app.get(MARKET)
    await publish(context.catalog if context is not None else None, markets)
    return changed


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def fee_percent(raw: str) -> float | None:
    """A broker fee in percent from a form or body field ('' clears it); 422 when it is not a number 0-50."""
    text = raw.strip().rstrip("%").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise PanelError(422, "The broker fee is a percentage between 0 and 50.", fields={"fee": "invalid"}) from None
    if not 0 <= value <= MAX_BROKER_FEE_PERCENT:
        raise PanelError(422, "The broker fee is a percentage between 0 and 50.", fields={"fee": "invalid"})
    return value


def character_choice(raw: str) -> int | None:
    """The chosen character id ('' lets the use case try each able character); 422 when not a whole number."""
    if not raw.strip():
        return None
    value = whole_number(raw.strip())
    if value is None:
        raise PanelError(422, "Choose one of your characters.", fields={"character_id": "invalid"})
    return value


async def _page(
    request: web.Request, *, status: int = 200, error: str | None = None, form: Mapping[str, str] | None = None
) -> web.Response:
    """The page: the list, the add form (with `form`'s values and `error` after a refused change)."""
    session = require_user(request)
    markets = structure_markets(request)
    listed = await markets.list(session.account_id) if markets is not None else None
    done = {"added": "Structure market added.", "removed": "Structure market removed.", "fee": "Broker fee saved."}
    return render(
        request,
        "structures.html",
        status=status,
        enabled=markets is not None,
        listed=listed,
        error=error,
        form=form or {},
        notice=done.get(request.query.get("done", "")) if error is None else None,
        scope=SCOPE_STRUCTURE_MARKETS,
    )


async def structures_page(request: web.Request) -> web.Response:
    """GET /structures."""
    return await _page(request)


async def _form_change(
    request: web.Request, change: Callable[[StructureMarkets], Awaitable[StructureMarket]], done: str
) -> web.StreamResponse:
    """Apply a form's change, then back to the page (303); a refusal re-shows the page with the error, unchanged."""
    form = {name: str(value) for name, value in (await request.post()).items() if isinstance(value, str)}
    try:
        await structure_change(request, change)
    except PanelError as exc:
        if exc.status >= 500:
            raise
        return await _page(request, status=exc.status, error=exc.message, form=form)
    raise web.HTTPSeeOther(f"/structures?done={done}")


async def add_structure(request: web.Request) -> web.StreamResponse:
    """POST /structures: track a structure by name or id, with the chosen character (or any able one)."""
    account = require_user(request).account_id
    form = await request.post()
    query = str(form.get("structure", ""))[:MAX_QUERY]
    try:
        character = character_choice(str(form.get("character_id", "")))
    except PanelError as exc:
        return await _page(request, status=exc.status, error=exc.message, form={"structure": query})
    return await _form_change(request, lambda m: m.add(account, query, character), "added")


async def remove_structure(request: web.Request) -> web.StreamResponse:
    """POST /structures/{structure_id}/remove: stop tracking one of the account's structures."""
    account, structure = require_user(request).account_id, path_id(request, "structure_id")
    return await _form_change(request, lambda m: m.remove(account, structure), "removed")


async def set_structure_fee(request: web.Request) -> web.StreamResponse:
    """POST /structures/{structure_id}/fee: set (blank: clear) the owner's broker fee in percent."""
    account, structure = require_user(request).account_id, path_id(request, "structure_id")
    raw = str((await request.post()).get("fee", ""))
    try:
        percent = fee_percent(raw)
    except PanelError as exc:
        return await _page(request, status=exc.status, error=exc.message)
    return await _form_change(request, lambda m: m.set_fee(account, structure, percent), "fee")


def add_structure_pages(app: web.Application) -> None:
    """Register the Structure markets page and its forms."""
    app.router.add_get("/structures", structures_page, name="structures")
    app.router.add_post("/structures", add_structure, name="add_structure")
    app.router.add_post("/structures/{structure_id}/remove", remove_structure, name="remove_structure")
    app.router.add_post("/structures/{structure_id}/fee", set_structure_fee, name="set_structure_fee")
