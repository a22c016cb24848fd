"""POST /ui/openwindow/marketdetails/?type_id=N: open an item's market window in the token's character's client.

Like ESI: 204 with no body; the bearer token must be valid (401) and grant esi-ui.open_window.v1 (403); a
type_id that is missing or not a number is a 400. Every opened window is recorded for tests (`opened`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .characters import token_character
from .routes import HttpError, PerFake, Reply

if TYPE_CHECKING:
    from .server import EsiFake

OPEN_WINDOW_SCOPE = "esi-ui.open_window.v1"
# (character id, type id) of every market window opened so far, in order
opened: PerFake[list[tuple[int, int]]] = PerFake(list)


def market_details(fake: EsiFake, request: web.Request) -> Reply:
    """POST /ui/openwindow/marketdetails/?type_id=N: 204 once the token proved a character with the scope."""
    character_id = token_character(fake, request, OPEN_WINDOW_SCOPE)
    raw = request.query.get("type_id", "")
    if not raw.isdigit():
        raise HttpError(400, f"Invalid type_id: {raw!r}")
    opened(fake).append((character_id, int(raw)))
    return Reply(204)
