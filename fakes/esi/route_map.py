"""The fake's POST /route/{origin}/{destination}: a small deterministic map of the trade hubs and its paths."""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

from .pipeline import dispatch
from .routes import HttpError, Reply, cached
from .snapshot import Body, make_etag

if TYPE_CHECKING:
    from .server import EsiFake

JITA, AMARR, DODIXIE, RENS, HEK = 30000142, 30002187, 30002659, 30002510, 30002053
HUB_SECURITY = {JITA: 0.9459, AMARR: 1.0, DODIXIE: 0.8693, RENS: 0.8989, HEK: 0.4626}  # as in the SDE
HUB_NAMES = {JITA: "Jita", AMARR: "Amarr", DODIXIE: "Dodixie", RENS: "Rens", HEK: "Hek"}
HUB_CONSTELLATIONS = {JITA: 20000020, AMARR: 20000322, DODIXIE: 20000389, RENS: 20000367, HEK: 20000302}
SYNTHETIC_CONSTELLATION = 20_900_000  # no real constellation has this id either
SYNTHETIC_BASE, HIGH_SEC, LOW_SEC = 30_900_000, 0.6, 0.3  # no real solar system has an id from 30_900_000 on
PREFERENCES, PENALTY = ("Shorter", "Safer", "LessSecure"), 50  # ESI's default security_penalty
# (one end, other end, jumps, positions 1..jumps-1 of the low-sec systems along the lane)
LANES: tuple[tuple[int, int, int, tuple[int, ...]], ...] = (
    (JITA, AMARR, 9, (5,)),  # the short trade lane crosses one low-sec choke point...
    (JITA, AMARR, 12, ()),  # ...so "Safer" takes this all high-sec detour
    (JITA, DODIXIE, 15, ()),
    (JITA, HEK, 17, ()),
    (JITA, HEK, 19, tuple(range(1, 19))),  # a low-sec lane "LessSecure" prefers
    (HEK, RENS, 3, ()),
    (AMARR, DODIXIE, 17, ()),
    (DODIXIE, HEK, 12, ()),
)
_BODY = web.RequestKey("route_body", bytes)


@dataclass(frozen=True)
class RouteMap:
    """Stargate connections (both ways) and the security status of every system."""

    neighbours: dict[int, tuple[int, ...]]
    security: dict[int, float]


def build_map(lanes: tuple[tuple[int, int, int, tuple[int, ...]], ...] = LANES) -> RouteMap:
    """The map: each lane is a chain of `jumps` gates through synthetic systems with sequential ids."""
    links: dict[int, set[int]] = {hub: set() for hub in HUB_SECURITY}
    security, next_id = dict(HUB_SECURITY), SYNTHETIC_BASE
    for start, end, jumps, low_sec in lanes:
        path = [start]
        for position in range(1, jumps):
            next_id += 1
            security[next_id] = LOW_SEC if position in low_sec else HIGH_SEC
            path.append(next_id)
        path.append(end)
        for a, b in itertools.pairwise(path):
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
    return RouteMap({system: tuple(sorted(near)) for system, near in links.items()}, security)


MAP = build_map()


def bfs_distances(route_map: RouteMap, origin: int) -> dict[int, int]:
    """Jumps from `origin` to every reachable system (plain breadth-first search)."""
    distances, queue = {origin: 0}, deque([origin])
    while queue:
        system = queue.popleft()
        for near in route_map.neighbours.get(system, ()):
            if near not in distances:
                distances[near] = distances[system] + 1
                queue.append(near)
    return distances


def find_route(
    graph: RouteMap, origin: int, target: int, preference: str = "Shorter", avoid: Collection[int] = ()
) -> list[int] | None:
    """Systems from origin to target (both included), or None when `avoid` cuts every path."""

    # Dijkstra: each system entered costs 1, plus PENALTY when it is of the class the preference
    # avoids (Safer: low/null-sec, LessSecure: high-sec); with "Shorter" every cost is 1, i.e. a BFS.
    def cost(system: int) -> int:
        high = graph.security[system] >= 0.45
        unwanted = (preference == "Safer" and not high) or (preference == "LessSecure" and high)
        return 1 + (PENALTY if unwanted else 0)

    best, parent, heap = {origin: 0}, {origin: origin}, [(0, origin)]
    while heap:
        spent, system = heapq.heappop(heap)
        if system == target:
            path = [system]
            while path[-1] != origin:
                path.append(parent[path[-1]])
            return path[::-1]
        if spent > best[system]:
            continue
        for near in graph.neighbours.get(system, ()):
            total = spent + cost(near)
            if near not in avoid and total < best.get(near, total + 1):
                best[near], parent[near] = total, system
                heapq.heappush(heap, (total, near))
    return None


def _options(raw: bytes) -> tuple[str, list[int]]:
    """(preference, avoid_systems) from the JSON body (400 when malformed)."""
    try:
        body: Any = orjson.loads(raw.strip() or b"{}")
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise HttpError(400, "Request body must be a JSON object")
    preference, avoid = body.get("preference", "Shorter"), body.get("avoid_systems", [])
    if preference not in PREFERENCES:
        raise HttpError(400, f"Invalid preference: {preference!r} (expected {', '.join(PREFERENCES)})")
    if not isinstance(avoid, list) or not all(isinstance(s, int) for s in avoid):
        raise HttpError(400, "Invalid avoid_systems: expected a list of solar system ids")
    return preference, avoid


def route(fake: EsiFake, request: web.Request) -> Reply:
    """POST /route/{origin}/{destination} {"preference": ...}: 200 {"route": [systems]} or 404."""
    ends = [request.match_info["origin"], request.match_info["destination"]]
    if not all(raw.isdigit() for raw in ends):
        raise HttpError(400, f"Invalid solar system id in {'/'.join(ends)!r}")
    origin, destination = (int(raw) for raw in ends)
    preference, avoid = _options(request.get(_BODY, b""))
    if origin not in MAP.security or destination not in MAP.security:
        raise HttpError(404, "Solar system not found")
    path = find_route(MAP, origin, destination, preference, set(avoid) - {origin, destination})
    if path is None:
        raise HttpError(404, "No route found")
    return Reply(200, Body.of({"route": path}))


def system_name(system_id: int) -> str:
    """A hub's real name; a synthetic system's made-up one ("Lane-007")."""
    return HUB_NAMES.get(system_id) or f"Lane-{system_id - SYNTHETIC_BASE:03d}"


def universe_system(fake: EsiFake, request: web.Request) -> Reply:
    """GET /universe/systems/{system_id}: ESI's fields of a system on the fake's map (404 for any other)."""
    raw = request.match_info["system_id"]
    if not raw.isdigit():
        raise HttpError(400, f"Invalid system_id: {raw!r}")
    system_id = int(raw)
    if system_id not in MAP.security:
        raise HttpError(404, "Solar system not found")
    security = MAP.security[system_id]
    body = {
        "constellation_id": HUB_CONSTELLATIONS.get(system_id, SYNTHETIC_CONSTELLATION),
        "name": system_name(system_id),
        "position": {"x": system_id * 1.0e12, "y": 0.0, "z": -system_id * 1.0e11},
        "security_class": "B" if security >= 0.45 else "C",
        "security_status": security,
        "system_id": system_id,
    }
    now = fake.clock()
    day = now // 86400 * 86400
    etag = make_etag(fake.seed, "system", system_id, weak=fake.weak_etags)
    return cached(request, Body.of(body), etag, day, day + 86400, now)


def endpoint(fake: EsiFake) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler: read the JSON body, then answer through the fake's pipeline (faults, limits)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        request[_BODY] = await request.read()
        return await dispatch(fake, request, handler=route, grouped=False)

    return handle
