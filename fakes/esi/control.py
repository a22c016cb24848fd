"""The /_fake control API: arm faults, advance regions, count requests (for out-of-process use)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .server import EsiFake


def add_routes(app: web.Application, fake: EsiFake) -> None:
    """Register POST/DELETE /_fake/faults, POST /_fake/advance/{region_id}, GET /_fake/requests."""

    async def arm(request: web.Request) -> web.Response:
        """POST /_fake/faults {"kind": "...", ...kwargs}."""
        try:
            spec = await request.json()
            kind = spec.pop("kind")
            fake.faults.arm(kind, **spec)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return web.json_response({"error": f"bad fault spec: {exc}"}, status=400)
        return web.json_response({"ok": True, "pending": fake.faults.pending()})

    async def clear(request: web.Request) -> web.Response:
        """DELETE /_fake/faults."""
        fake.faults.clear()
        return web.json_response({"ok": True, "pending": 0})

    async def advance(request: web.Request) -> web.Response:
        """POST /_fake/advance/{region_id}."""
        raw = request.match_info["region_id"]
        if not raw.isdigit() or int(raw) not in fake.region_sizes:
            return web.json_response({"error": "Region not found"}, status=404)
        snap = fake.advance(int(raw))
        return web.json_response(
            {"region_id": snap.region_id, "version": snap.version, "last_modified": snap.last_modified}
        )

    async def requests(request: web.Request) -> web.Response:
        """GET /_fake/requests: how many requests were served, by status."""
        statuses = Counter(str(r.status) for r in fake.requests)
        return web.json_response({"count": len(fake.requests), "by_status": dict(statuses)})

    async def reset_requests(request: web.Request) -> web.Response:
        """DELETE /_fake/requests: forget the recorded requests."""
        fake.requests.clear()
        return web.json_response({"ok": True})

    app.router.add_post("/_fake/faults", arm)
    app.router.add_delete("/_fake/faults", clear)
    app.router.add_post("/_fake/advance/{region_id}", advance)
    app.router.add_get("/_fake/requests", requests)
    app.router.add_delete("/_fake/requests", reset_requests)
