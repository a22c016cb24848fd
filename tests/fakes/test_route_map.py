"""The ESI fake's route map: BFS correctness, symmetric distances, preferences and the HTTP endpoint."""

from __future__ import annotations

import itertools

import aiohttp
import pytest

from fakes.esi import EsiFake
from fakes.esi.route_map import AMARR, DODIXIE, HEK, JITA, LOW_SEC, MAP, RENS, bfs_distances, find_route

HUBS = (JITA, AMARR, DODIXIE, RENS, HEK)
SHORTER_JUMPS = {
    (JITA, AMARR): 9,
    (JITA, DODIXIE): 15,
    (JITA, RENS): 20,
    (JITA, HEK): 17,
    (AMARR, DODIXIE): 17,
    (HEK, RENS): 3,
    (DODIXIE, RENS): 15,
    (AMARR, HEK): 26,
}


def assert_valid_path(path: list[int], origin: int, destination: int) -> None:
    """The path starts and ends right, repeats no system, and every step is a stargate."""
    assert path[0] == origin and path[-1] == destination
    assert len(set(path)) == len(path)
    for a, b in itertools.pairwise(path):
        assert b in MAP.neighbours[a] and a in MAP.neighbours[b]


@pytest.mark.parametrize(("pair", "jumps"), SHORTER_JUMPS.items())
def test_hub_distances_are_plausible_and_match_bfs(pair: tuple[int, int], jumps: int) -> None:
    origin, destination = pair
    assert bfs_distances(MAP, origin)[destination] == jumps
    path = find_route(MAP, origin, destination)
    assert path is not None and len(path) - 1 == jumps
    assert_valid_path(path, origin, destination)


def test_shorter_equals_bfs_for_every_system_from_every_hub() -> None:
    for hub in HUBS:
        distances = bfs_distances(MAP, hub)
        assert set(distances) == set(MAP.security)  # the map is connected
        for system, jumps in list(distances.items())[::7]:
            path = find_route(MAP, hub, system)
            assert path is not None and len(path) - 1 == jumps


def test_distances_are_symmetric() -> None:
    systems = sorted(MAP.security)[::5] + list(HUBS)
    tables = {system: bfs_distances(MAP, system) for system in systems}
    for a, b in itertools.combinations(systems, 2):
        assert tables[a][b] == tables[b][a]
    for a, b in itertools.permutations(HUBS, 2):
        forward, back = find_route(MAP, a, b), find_route(MAP, b, a)
        assert forward is not None and back is not None and len(forward) == len(back)


def test_safer_avoids_low_sec_and_less_secure_seeks_it() -> None:
    safer = find_route(MAP, JITA, AMARR, "Safer")
    assert safer is not None and len(safer) - 1 == 12
    assert all(MAP.security[s] >= 0.45 for s in safer)
    insecure = find_route(MAP, JITA, HEK, "LessSecure")
    assert insecure is not None and len(insecure) - 1 == 19
    assert all(MAP.security[s] == LOW_SEC for s in insecure[1:-1])
    assert_valid_path(insecure, JITA, HEK)


def test_same_system_avoidance_and_dead_ends() -> None:
    assert find_route(MAP, JITA, JITA) == [JITA]
    shortest = find_route(MAP, HEK, RENS)
    assert shortest is not None
    assert find_route(MAP, HEK, RENS, avoid={shortest[1]}) is None  # Rens hangs on a single lane
    detour = find_route(MAP, JITA, AMARR, avoid={MAP.neighbours[JITA][0]})
    assert detour is not None and len(detour) - 1 > 9


async def test_endpoint_answers_routes_and_records_requests(fake: EsiFake, http: aiohttp.ClientSession) -> None:
    url = f"{fake.base_url}/route/{JITA}/{AMARR}"
    async with http.post(url, json={"preference": "Shorter"}) as response:
        assert response.status == 200
        body = await response.json()
    assert set(body) == {"route"} and len(body["route"]) == 10
    assert_valid_path(body["route"], JITA, AMARR)
    async with http.post(f"{fake.base_url}/latest/route/{JITA}/{AMARR}/", json={"preference": "Safer"}) as response:
        assert len((await response.json())["route"]) == 13
    async with http.post(url) as response:  # no body: Shorter
        assert len((await response.json())["route"]) == 10
    assert [(r.method, r.status) for r in fake.requests] == [("POST", 200)] * 3
    assert fake.requests[0].path == f"/route/{JITA}/{AMARR}"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        (f"/route/{JITA}/30000001", {"preference": "Shorter"}, 404),
        (f"/route/99/{JITA}", {}, 404),
        (f"/route/{JITA}/{AMARR}", {"preference": "Fastest"}, 400),
        (f"/route/{JITA}/{AMARR}", {"avoid_systems": "Niarja"}, 400),
        (f"/route/jita/{AMARR}", {}, 400),
    ],
)
async def test_endpoint_errors_carry_an_esi_error_body(
    fake: EsiFake, http: aiohttp.ClientSession, path: str, body: dict[str, object], status: int
) -> None:
    async with http.post(fake.base_url + path, json=body) as response:
        assert response.status == status
        assert isinstance((await response.json())["error"], str)
    assert fake.requests[-1].status == status
