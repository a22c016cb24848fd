"""Player structures: GET /markets/structures/{id}/, /universe/structures/{id}/ and /characters/{id}/search/.

Bearer tokens are checked as for the character routes (401 bad or expired). A structure's market needs
esi-markets.structure_markets.v1 and docking access (403 "Market access denied" otherwise, as ESI answers);
its orders are paged with X-Pages and cached 300 s, every page of one generation with the same Last-Modified.
/universe/structures/{id}/ needs esi-universe.read_structures.v1 and docking access (403 "Forbidden") and gives
{name, owner_id, solar_system_id, type_id}; search needs esi-search.search_structures.v1 and finds the
structures the character may dock at whose name contains the text (3 characters or more). Tests add structures
with add_structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .characters import token_character
from .routes import HttpError, PerFake, Reply, cached, int_param
from .snapshot import Body, make_etag

if TYPE_CHECKING:
    from .server import EsiFake

MARKET_SCOPE = "esi-markets.structure_markets.v1"
READ_SCOPE = "esi-universe.read_structures.v1"
SEARCH_SCOPE = "esi-search.search_structures.v1"
MARKET_CACHE_S, INFO_CACHE_S, SEARCH_CACHE_S = 300, 3600, 3600
PAGE_ROWS = 1000
Row = dict[str, Any]


@dataclass
class Structure:
    """One structure: its public facts, who may dock, its orders and the generation being served."""

    structure_id: int
    name: str
    solar_system_id: int
    owner_id: int
    type_id: int
    docking: set[int]
    orders: list[Row]
    page_rows: int = PAGE_ROWS
    version: int = 1
    generation: tuple[float, float] | None = None  # (last_modified, expires) of the pages being served
    served: list[Row] = field(default_factory=list)


structures: PerFake[dict[int, Structure]] = PerFake(dict)  # the fake's structures by id


def add_structure(
    fake: EsiFake,
    structure_id: int,
    name: str,
    *,
    solar_system_id: int,
    owner_id: int = 98_000_001,
    type_id: int = 35834,
    docking: set[int] | None = None,
    orders: list[Row] | None = None,
    page_rows: int = PAGE_ROWS,
) -> Structure:
    """Add (or replace) a structure; `docking` are the characters with access, `orders` its market in ESI's shape."""
    structure = Structure(
        structure_id, name, solar_system_id, owner_id, type_id, set(docking or ()), list(orders or ()), page_rows
    )
    structures(fake)[structure_id] = structure
    return structure


def set_structure_orders(fake: EsiFake, structure_id: int, orders: list[Row]) -> None:
    """The structure's orders from its next generation on (after the cached one expires)."""
    structure = structures(fake)[structure_id]
    structure.orders = [dict(row) for row in orders]
    structure.version += 1


def _structure(fake: EsiFake, request: web.Request) -> Structure:
    raw = request.match_info["structure_id"]
    if not raw.isdigit():
        raise HttpError(400, f"Invalid structure_id: {raw!r}")
    found = structures(fake).get(int(raw))
    if found is None:
        raise HttpError(404, "Structure not found")
    return found


def market(fake: EsiFake, request: web.Request) -> Reply:
    """GET /markets/structures/{structure_id}/?page=N (cached 300 s, X-Pages)."""
    character_id = token_character(fake, request, MARKET_SCOPE)
    structure = _structure(fake, request)
    if character_id not in structure.docking:
        raise HttpError(403, "Market access denied")
    now = fake.clock()
    if structure.generation is None or now >= structure.generation[1]:
        structure.generation = (now, now + MARKET_CACHE_S)
        structure.served = [dict(row) for row in structure.orders]
    last_modified, expires = structure.generation
    rows = structure.served
    pages = max(1, -(-len(rows) // structure.page_rows))
    page = int_param(request, "page", 1) or 1
    if page > pages:
        raise HttpError(404, "Requested page does not exist!")
    part = rows[(page - 1) * structure.page_rows : page * structure.page_rows]
    etag = make_etag(fake.seed, "structure", structure.structure_id, last_modified, page, weak=fake.weak_etags)
    reply = cached(request, Body.of(part), etag, last_modified, expires, now)
    reply.headers["X-Pages"] = str(pages)
    return reply


def universe_structure(fake: EsiFake, request: web.Request) -> Reply:
    """GET /universe/structures/{structure_id}/ (cached 3600 s)."""
    character_id = token_character(fake, request, READ_SCOPE)
    structure = _structure(fake, request)
    if character_id not in structure.docking:
        raise HttpError(403, "Forbidden")
    body = {
        "name": structure.name,
        "owner_id": structure.owner_id,
        "solar_system_id": structure.solar_system_id,
        "type_id": structure.type_id,
    }
    now = fake.clock()
    etag = make_etag(fake.seed, "universe-structure", structure.structure_id, structure.name)
    return cached(request, Body.of(body), etag, now, now + INFO_CACHE_S, now)


def search(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/search/?categories=structure&search=text (cached 3600 s)."""
    raw = request.match_info["character_id"]
    character_id = token_character(fake, request, SEARCH_SCOPE)
    if not raw.isdigit() or int(raw) != character_id:
        raise HttpError(403, "token not valid for this character")
    categories = request.query.get("categories", "")
    text = request.query.get("search", "")
    if not categories or len(text) < 3:
        raise HttpError(400, "search and categories are required; search needs 3 characters or more")
    found = [
        s.structure_id
        for s in structures(fake).values()
        if "structure" in categories.split(",") and character_id in s.docking and text.lower() in s.name.lower()
    ]
    now = fake.clock()
    body: Row = {"structure": sorted(found)} if found else {}
    etag = make_etag(fake.seed, "search", character_id, text, tuple(found))
    return cached(request, Body.of(body), etag, now, now + SEARCH_CACHE_S, now)


def add_structure_routes(app: web.Application, prefix: str, wrap: Any) -> None:
    """Mount the three routes under `prefix` with the server's handler wrapper."""
    app.router.add_get(prefix + "/markets/structures/{structure_id}{_:/?}", wrap(market))
    app.router.add_get(prefix + "/universe/structures/{structure_id}{_:/?}", wrap(universe_structure))
    app.router.add_get(prefix + "/characters/{character_id}/search{_:/?}", wrap(search))
