"""POST /ui/openwindow/marketdetails/?type_id=N: open an item's market window in the token's character's client.

Like ESI: 204 with no body; the bearer token must be valid (401) and grant esi-ui.open_window.v1 (403); a
type_id that is missing or not a number is a 400. Every opened window is recorded for tests (`opened`).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from aiohttp import web

from .characters import TokenRefused, character_market
from .routes import HttpError, Reply

if TYPE_CHECKING:
    from .server import EsiFake

OPEN_WINDOW_SCOPE = "esi-ui.open_window.v1"
_OPENED: weakref.WeakKeyDictionary[EsiFake, list[tuple[int, int]]] = weakref.WeakKeyDictionary()


def opened(fake: EsiFake) -> list[tuple[int, int]]:
    """(character id, type id) of every market window opened so far, in order."""
    return _OPENED.setdefault(fake, [])


def market_details(fake: EsiFake, request: web.Request) -> Reply:
    """POST /ui/openwindow/marketdetails/?type_id=N: 204 once the token proved a character with the scope."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    verify = character_market(fake).verify
    if scheme.lower() != "bearer" or not token or verify is None:
        raise HttpError(401, "authorization not provided")
    try:
        claims = verify(token)
    except TokenRefused as exc:
        raise HttpError(exc.status, str(exc)) from None
    scopes = claims.get("scp", [])
    if OPEN_WINDOW_SCOPE not in ([scopes] if isinstance(scopes, str) else scopes):
        raise HttpError(403, "token not valid for scope")
    raw = request.query.get("type_id", "")
    if not raw.isdigit():
        raise HttpError(400, f"Invalid type_id: {raw!r}")
    character = str(claims.get("sub", "")).rpartition(":")[2]
    opened(fake).append((int(character) if character.isdigit() else 0, int(raw)))
    return Reply(204)
