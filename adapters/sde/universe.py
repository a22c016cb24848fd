"""Row generators for the map (regions, constellations, systems) and NPC stations with composed names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from adapters.sde.archive import SdeArchive
from adapters.sde.fields import (
    RecordError,
    english,
    english_name,
    optional_int,
    record_key,
    required_int,
    required_number,
)
from adapters.sde.names import Moon, Planet, moon_name, planet_name, station_name

RegionRow = tuple[int, str]
ConstellationRow = tuple[int, int, str]
SystemRow = tuple[int, int, int, str, float]
StationRow = tuple[int, int, int, str, int | None, int | None]


def region_rows(archive: SdeArchive) -> Iterator[RegionRow]:
    """(region_id, name) from mapRegions.jsonl."""
    return archive.rows("mapRegions.jsonl", lambda r: (record_key(r), english_name(r, "name", f"Region {r['_key']}")))


def constellation_rows(archive: SdeArchive) -> Iterator[ConstellationRow]:
    """(constellation_id, region_id, name) from mapConstellations.jsonl."""

    def convert(record: dict[str, Any]) -> ConstellationRow:
        constellation_id = record_key(record)
        name = english_name(record, "name", f"Constellation {constellation_id}")
        return constellation_id, required_int(record, "regionID"), name

    return archive.rows("mapConstellations.jsonl", convert)


def system_rows(archive: SdeArchive) -> Iterator[SystemRow]:
    """(system_id, constellation_id, region_id, name, security) from mapSolarSystems.jsonl."""

    def convert(record: dict[str, Any]) -> SystemRow:
        system_id = record_key(record)
        return (
            system_id,
            required_int(record, "constellationID"),
            required_int(record, "regionID"),
            english_name(record, "name", f"System {system_id}"),
            required_number(record, "securityStatus"),
        )

    return archive.rows("mapSolarSystems.jsonl", convert)


def _names(archive: SdeArchive, file_name: str, field: str) -> dict[int, str]:
    rows = archive.rows(file_name, lambda r: (record_key(r), english(r.get(field))))
    return {key: name for key, name in rows if name}


def station_rows(archive: SdeArchive) -> Iterator[StationRow]:
    """(station_id, system_id, region_id, name, owner_id, type_id) from npcStations.jsonl.

    Names follow CCP's rule (orbit - corporation [operation]); only the planets and moons that stations
    orbit are kept in memory while mapPlanets/mapMoons stream past.
    """
    systems = {row[0]: (row[3], row[2]) for row in system_rows(archive)}

    def known_system(record: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        system_id = required_int(record, "solarSystemID")
        if system_id not in systems:
            raise RecordError(f"solarSystemID {system_id} is not in mapSolarSystems.jsonl")
        return record_key(record), record

    stations = list(archive.rows("npcStations.jsonl", known_system))
    if not stations:
        return
    corporations = _names(archive, "npcCorporations.jsonl", "name")
    operations = _names(archive, "stationOperations.jsonl", "operationName")
    orbit_ids = {orbit for _, r in stations if isinstance(orbit := r.get("orbitID"), int)}

    def wanted_moon(record: dict[str, Any]) -> tuple[int, Moon] | None:
        moon_id = record_key(record)
        if moon_id not in orbit_ids:
            return None
        moon = Moon(
            required_int(record, "solarSystemID"),
            optional_int(record, "orbitID"),
            optional_int(record, "celestialIndex"),
            optional_int(record, "orbitIndex"),
            english(record.get("uniqueName")) or english(record.get("name")),
        )
        return moon_id, moon

    moons = dict(archive.rows("mapMoons.jsonl", wanted_moon))
    planet_ids = orbit_ids | {moon.planet_id for moon in moons.values() if moon.planet_id}

    def wanted_planet(record: dict[str, Any]) -> tuple[int, Planet] | None:
        planet_id = record_key(record)
        if planet_id not in planet_ids:
            return None
        unique = english(record.get("uniqueName")) or english(record.get("name"))
        planet = Planet(required_int(record, "solarSystemID"), optional_int(record, "celestialIndex"), unique)
        return planet_id, planet

    planets = dict(archive.rows("mapPlanets.jsonl", wanted_planet))

    for station_id, record in stations:
        system_id = record["solarSystemID"]
        system_name, region_id = systems[system_id]
        name = english(record.get("name"))  # only "enhanced" SDE variants carry station names
        if name is None:
            operation_id, owner_id = record.get("operationID"), record.get("ownerID")
            operation = (
                operations.get(operation_id)
                if record.get("useOperationName") and isinstance(operation_id, int)
                else None
            )
            corporation = corporations.get(owner_id) if isinstance(owner_id, int) else None
            orbit = _orbit_name(record, system_id, system_name, planets, moons)
            name = station_name(orbit, corporation, operation)
        owner, type_id = record.get("ownerID"), record.get("typeID")
        yield (
            station_id,
            system_id,
            region_id,
            name,
            owner if isinstance(owner, int) else None,
            type_id if isinstance(type_id, int) else None,
        )


def _orbit_name(
    station: dict[str, Any],
    system_id: int,
    system_name: str,
    planets: dict[int, Planet],
    moons: dict[int, Moon],
) -> str:
    """The name of what the station orbits, falling back to the station's own indexes, then the system."""
    orbit_id = station.get("orbitID")
    if isinstance(orbit_id, int) and orbit_id in moons:
        moon = moons[orbit_id]
        return moon_name(system_name, moon, planets.get(moon.planet_id) if moon.planet_id else None)
    if isinstance(orbit_id, int) and orbit_id in planets:
        return planet_name(system_name, planets[orbit_id])
    celestial, orbit_index = station.get("celestialIndex"), station.get("orbitIndex")
    celestial = celestial if isinstance(celestial, int) else None
    orbit_index = orbit_index if isinstance(orbit_index, int) else None
    return moon_name(system_name, Moon(system_id, None, celestial, orbit_index), None)
