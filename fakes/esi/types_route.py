"""GET /universe/types/{type_id}: names, groups and (packaged) volumes of the bundled SDE's types."""

from __future__ import annotations

import functools
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .routes import HttpError, Reply, cached
from .snapshot import Body, make_etag

if TYPE_CHECKING:
    from .server import EsiFake

SHIP_CATEGORY = 6
DAY = 86_400

# group_id -> CCP's packaged volume (m3) of ships in that group; ship groups not listed pack to their volume.
SHIP_PACKAGED_VOLUMES: dict[int, float] = {
    **dict.fromkeys((25, 237, 324, 830, 831, 834, 893, 1283, 1527), 2_500.0),  # frigates, corvettes, T2 frigates
    31: 500.0,  # shuttles
    **dict.fromkeys((420, 541, 1305, 1534), 5_000.0),  # destroyers, interdictors, T3 and command destroyers
    **dict.fromkeys((26, 358, 832, 833, 894, 906), 10_000.0),  # cruisers, T2 cruisers
    **dict.fromkeys((419, 540, 1201), 15_000.0),  # battlecruisers, command ships
    **dict.fromkeys((27, 898, 900), 50_000.0),  # battleships, black ops, marauders
    **dict.fromkeys((28, 380, 1202), 20_000.0),  # haulers, deep space transports, blockade runners
    **dict.fromkeys((463, 543), 3_750.0),  # mining barges, exhumers
}


@functools.cache
def type_facts(path: Path | None = None) -> dict[int, dict[str, Any]]:
    """ESI's type answer of every type in an SDE JSONL zip (evetrader's bundled fixture by default; read once)."""
    if path is None:
        from adapters.sde import bundled_fixture_path  # the fakes serve the static data evetrader ships

        path = bundled_fixture_path()
    with zipfile.ZipFile(path) as archive:
        categories = {g["_key"]: g["categoryID"] for g in _rows(archive, "groups.jsonl")}
        facts: dict[int, dict[str, Any]] = {}
        for row in _rows(archive, "types.jsonl"):
            type_id, group_id = int(row["_key"]), int(row["groupID"])
            volume = float(row.get("volume") or 0.0)
            packaged = volume
            if categories.get(group_id) == SHIP_CATEGORY:
                packaged = SHIP_PACKAGED_VOLUMES.get(group_id, volume)
            facts[type_id] = {
                "type_id": type_id,
                "name": row["name"]["en"],
                "description": "",
                "group_id": group_id,
                "published": bool(row.get("published")),
                "volume": volume,
                "packaged_volume": packaged,
                "portion_size": int(row.get("portionSize") or 1),
                **({"market_group_id": row["marketGroupID"]} if row.get("marketGroupID") is not None else {}),
            }
    return facts


def _rows(archive: zipfile.ZipFile, basename: str) -> list[dict[str, Any]]:
    name = next(n for n in archive.namelist() if n.rsplit("/", 1)[-1] == basename)
    with archive.open(name) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def universe_type(fake: EsiFake, request: web.Request) -> Reply:
    """GET /universe/types/{type_id}: the type's facts, cached for a day (404 for unknown types)."""
    raw = request.match_info["type_id"]
    if not raw.isdigit():
        raise HttpError(400, f"Invalid type_id: {raw!r}")
    facts = type_facts().get(int(raw))
    if facts is None:
        raise HttpError(404, "Type not found!")
    now = fake.clock()
    day = now // DAY * DAY
    key = ("type", facts["type_id"])
    body = fake.body_cache.get(key)
    if body is None:
        body = fake.body_cache[key] = Body.of(facts)
    etag = make_etag(fake.seed, "type", facts["type_id"], weak=fake.weak_etags)
    return cached(request, body, etag, day, day + DAY, now)
