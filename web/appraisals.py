"""Shared appraisals: POST /api/v1/appraisals (anonymous), the Appraise page, and the permalink /a/{id}."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from core.appraisal.archive import MAX_PERCENT, StoredAppraisal, is_appraisal_id, percent_of_buy
from core.chat.params import ArgumentError
from core.formatting import isk, units
from core.market.hubs import HUBS, UnknownLocation
from core.usecases.appraisal import NOTHING, appraisal_of
from core.usecases.market_services import place_or_default
from web.api_io import ApiRoute, json_body, json_response
from web.api_schemas import ref
from web.errors import PanelError
from web.public import archive, catalog_of, market_context, permalink, services_of, take_appraisal_budget
from web.render import render

MAX_PASTE_BYTES = 1_048_576
MAX_PREFILL = 1_000  # characters of a prefilled field taken from the URL
DEFAULT_PERCENT = 90.0


async def appraise_and_store(request: web.Request, paste: str, hub: str | None) -> StoredAppraisal:
    """Run /appraise's use case on the paste at the hub and store the result; PanelError 422 on bad input."""
    if not paste.strip():
        raise PanelError(422, "Paste something to appraise.", fields={"paste": "Paste something to appraise."})
    context = market_context(request)
    catalog = catalog_of(context)
    try:
        place = catalog.location(hub) if hub else place_or_default(context, None)
    except UnknownLocation as exc:
        raise PanelError(422, str(exc), fields={"hub": str(exc)}) from None
    await take_appraisal_budget(request)
    unshared = replace(services_of(context), appraisals=None)  # stored here, once
    try:
        result = await appraisal_of(unshared, catalog, paste, place)
    except ArgumentError as exc:
        raise PanelError(422, str(exc), fields={"paste": str(exc)}) from None
    if not result.items:
        raise PanelError(422, NOTHING, fields={"paste": NOTHING})
    return await archive(request).save(place.name, result.footer.as_of, result.as_data())


def appraisal_json(request: web.Request, stored: StoredAppraisal) -> dict[str, Any]:
    """The Appraisal schema: id, url, hub and times, then exactly what `evetrader appraise --json` prints."""
    return {
        "id": stored.id,
        "url": permalink(request, stored.id),
        "hub": stored.hub,
        "priced_at": stored.priced_at,
        "created_at": stored.created_at,
        "expires_at": stored.expires_at,
        **stored.body,
    }


async def _create_appraisal(request: web.Request, _: object) -> web.Response:
    body = await json_body(request, MAX_PASTE_BYTES)
    paste, hub = body.get("paste"), body.get("hub")
    if set(body) - {"paste", "hub"} or not isinstance(paste, str) or not isinstance(hub, str | None):
        raise PanelError(422, "Send paste (text) and optionally hub (a trade hub's name) only.")
    stored = await appraise_and_store(request, paste, hub)
    return json_response(appraisal_json(request, stored), status=201)


async def _stored_or_404(request: web.Request) -> StoredAppraisal:
    appraisal_id = request.match_info["appraisal_id"]
    stored = await archive(request).get(appraisal_id) if is_appraisal_id(appraisal_id) else None
    if stored is None:
        raise PanelError(404, "No such appraisal: the link is wrong or it has expired.")
    return stored


async def _get_appraisal(request: web.Request, _: object) -> web.Response:
    return json_response(appraisal_json(request, await _stored_or_404(request)))


async def appraise_page(request: web.Request) -> web.Response:
    """The Appraise form: a paste and a hub (?paste= and ?hub= prefill them, e.g. from an item page)."""
    prefill = {name: request.query.get(name, "")[:MAX_PREFILL] for name in ("paste", "hub")}
    return _form(request, prefill, {})


def _form(request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200) -> web.Response:
    hubs = [hub.name for hub in HUBS]
    return render(request, "appraise.html", status=status, values=values, errors=errors, hubs=hubs)


async def appraise_submit(request: web.Request) -> web.StreamResponse:
    """Appraise the form's paste, store it, and go to its permalink (the form again with the error otherwise)."""
    form = await request.post()
    values = {"paste": str(form.get("paste", "")), "hub": str(form.get("hub", ""))}
    try:
        stored = await appraise_and_store(request, values["paste"], values["hub"] or None)
    except PanelError as error:
        if error.status != 422:
            raise
        return _form(request, values, error.fields or {"paste": error.message}, status=422)
    raise web.HTTPSeeOther(f"/a/{stored.id}")


async def appraisal_page(request: web.Request) -> web.Response:
    """A shared appraisal: items, totals, unparsed lines, hub, when priced, and a "% of buy" quote (?pct=90)."""
    stored = await _stored_or_404(request)
    totals = stored.body.get("totals", {})
    raw = request.query.get("pct", f"{DEFAULT_PERCENT:g}")
    try:
        percent = float(raw)
        offer: float | None = percent_of_buy(float(totals.get("buy", 0.0)), percent)
        pct_error = None
    except ValueError:
        percent, offer = DEFAULT_PERCENT, None
        pct_error = f"Give a percentage between 0 and {MAX_PERCENT:g}."
    return render(
        request,
        "appraisal.html",
        appraisal=stored,
        body=stored.body,
        sources=_sources(stored.body),
        url=permalink(request, stored.id),
        percent=raw if pct_error else f"{percent:g}",
        offer=offer,
        pct_error=pct_error,
        max_percent=MAX_PERCENT,
        isk=isk,
        units=units,
    )


def _sources(body: Mapping[str, Any]) -> list[tuple[str, datetime | None]]:
    """The stored appraisal's sources and when each was current (none for appraisals stored before they were kept)."""
    listed = body.get("sources")
    found: list[tuple[str, datetime | None]] = []
    for source in listed if isinstance(listed, list) else []:
        if isinstance(source, dict):
            at = source.get("as_of")
            found.append((str(source.get("name", "")), datetime.fromisoformat(at).astimezone(UTC) if at else None))
    return found


def add_appraisal_pages(app: web.Application) -> None:
    """Register /appraise (form) and /a/{appraisal_id} (permalink)."""
    app.router.add_get("/appraise", appraise_page, name="appraise")
    app.router.add_post("/appraise", appraise_submit, name="appraise_submit")
    app.router.add_get("/a/{appraisal_id}", appraisal_page, name="appraisal")


_ID = {"type": "string", "pattern": "^[0-9A-Za-z]{10}$"}
APPRAISAL_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute(
        "POST",
        "/api/v1/appraisals",
        _create_appraisal,
        "Appraise a paste at a hub and store it under a permalink (anonymous; no CSRF token; rate-limited per "
        "address; at most 1 MB)",
        "public",
        ref("Appraisal"),
        request=ref("AppraisalCreate"),
        status=201,
    ),
    ApiRoute(
        "GET",
        "/api/v1/appraisals/{appraisal_id}",
        _get_appraisal,
        "A stored appraisal (404 once expired)",
        "public",
        ref("Appraisal"),
        path_params={"appraisal_id": _ID},
    ),
)
