"""SDE reader on a tiny hand-written JSONL folder: localized names, defaults, station names, bad lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from adapters.sde import SdeImportError
from adapters.sde.archive import SdeArchive
from adapters.sde.items import build_number, type_rows
from adapters.sde.names import roman
from adapters.sde.universe import station_rows, system_rows


def write_jsonl(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """One JSON object per line, like CCP's export."""
    (folder / name).write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))


def en(text: str) -> dict[str, str]:
    """A localized name with a second language, as CCP ships them."""
    return {"en": text, "de": text + " (de)"}


@pytest.fixture
def sde_folder(tmp_path: Path) -> Path:
    """A minimal export: two types, one system, stations on a moon, on a named planet, and orphaned."""
    write_jsonl(tmp_path, "_sde.jsonl", [{"_key": "sde", "buildNumber": 3650286, "releaseDate": "x"}])
    write_jsonl(tmp_path, "categories.jsonl", [{"_key": 4, "name": en("Material"), "published": True}])
    write_jsonl(tmp_path, "groups.jsonl", [{"_key": 18, "categoryID": 4, "name": en("Mineral")}])
    write_jsonl(
        tmp_path,
        "types.jsonl",
        [
            {"_key": 34, "groupID": 18, "marketGroupID": 1857, "name": en("Tritanium"), "portionSize": 1,
             "published": True, "volume": 0.01, "basePrice": 2.0},
            {"_key": 99, "groupID": 18, "name": {"de": "Nur Deutsch"}, "published": False},
        ],
    )  # fmt: skip
    write_jsonl(
        tmp_path,
        "mapSolarSystems.jsonl",
        [{"_key": 30000142, "constellationID": 20000020, "regionID": 10000002, "name": en("Jita"),
          "securityStatus": 0.9459}],
    )  # fmt: skip
    write_jsonl(
        tmp_path,
        "mapPlanets.jsonl",
        [{"_key": 40009082, "celestialIndex": 4, "solarSystemID": 30000142},
         {"_key": 40009100, "celestialIndex": 8, "solarSystemID": 30000142, "uniqueName": en("Oris")}],
    )  # fmt: skip
    write_jsonl(
        tmp_path,
        "mapMoons.jsonl",
        [{"_key": 40009087, "celestialIndex": 4, "orbitID": 40009082, "orbitIndex": 4, "solarSystemID": 30000142},
         {"_key": 40009088, "celestialIndex": 4, "orbitID": 40009082, "orbitIndex": 5, "solarSystemID": 30000142}],
    )  # fmt: skip
    write_jsonl(tmp_path, "npcCorporations.jsonl", [{"_key": 1000035, "name": en("Caldari Navy")}])
    write_jsonl(tmp_path, "stationOperations.jsonl", [{"_key": 14, "operationName": en("Assembly Plant")}])
    write_jsonl(
        tmp_path,
        "npcStations.jsonl",
        [{"_key": 60003760, "orbitID": 40009087, "ownerID": 1000035, "operationID": 14,
          "solarSystemID": 30000142, "typeID": 1531, "useOperationName": True},
         {"_key": 60003761, "orbitID": 40009100, "ownerID": 1000035, "operationID": 14,
          "solarSystemID": 30000142, "useOperationName": False},
         {"_key": 60003762, "orbitID": 1, "ownerID": 999, "operationID": 77, "celestialIndex": 7,
          "orbitIndex": 2, "solarSystemID": 30000142, "useOperationName": True}],
    )  # fmt: skip
    return tmp_path


def test_types_read_english_names_and_denormalise_the_category(sde_folder: Path) -> None:
    with SdeArchive(sde_folder) as archive:
        rows = {row[0]: row for row in type_rows(archive)}
        assert build_number(archive) == "3650286"
    assert rows[34] == (34, "Tritanium", 18, 4, 1857, 0.01, None, 1, 2.0, True)
    # No English name: another language rather than nothing; no portion size: 1.
    assert rows[99] == (99, "Nur Deutsch", 18, 4, None, None, None, 1, None, False)


def test_station_names_are_composed_from_orbit_corporation_and_operation(sde_folder: Path) -> None:
    with SdeArchive(sde_folder) as archive:
        names = {row[0]: row[3] for row in station_rows(archive)}
        systems = list(system_rows(archive))
    assert systems == [(30000142, 20000020, 10000002, "Jita", 0.9459)]
    assert names == {
        60003760: "Jita IV - Moon 4 - Caldari Navy Assembly Plant",
        60003761: "Jita VIII (Oris) - Caldari Navy",  # useOperationName false: corporation only
        60003762: "Jita VII - Moon 2",  # unknown orbit, owner, operation: the station's own indexes
    }


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 20, 40, 90)] == ["I", "IV", "IX", "XIV", "XX", "XL", "XC"]


def test_malformed_line_names_file_and_line(sde_folder: Path) -> None:
    with (sde_folder / "types.jsonl").open("ab") as file:
        file.write(b'{"_key": 35, "groupID": 18\n')
    with SdeArchive(sde_folder) as archive, pytest.raises(SdeImportError, match=r"types\.jsonl line 3: malformed"):
        list(type_rows(archive))


def test_mistyped_field_names_file_and_line(sde_folder: Path) -> None:
    write_jsonl(sde_folder, "groups.jsonl", [{"_key": 18, "categoryID": "four", "name": {"en": "Mineral"}}])
    with SdeArchive(sde_folder) as archive, pytest.raises(SdeImportError, match=r"groups\.jsonl line 1: categoryID"):
        list(type_rows(archive))


def test_station_in_unknown_system_is_an_error_with_its_line(sde_folder: Path) -> None:
    write_jsonl(sde_folder, "npcStations.jsonl", [{"_key": 60000001, "solarSystemID": 1, "ownerID": 1}])
    with SdeArchive(sde_folder) as archive, pytest.raises(SdeImportError, match=r"npcStations\.jsonl line 1"):
        list(station_rows(archive))
