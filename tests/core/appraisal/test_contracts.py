"""ContractParser on contract item tables, headers, blueprint copies and summary lines."""

from __future__ import annotations

from core.appraisal.model import Line, ParsedItem
from core.appraisal.parsers.contracts import ContractParser
from tests.core.appraisal.sample_names import SampleNames, lines_of

NAMES = SampleNames()


def read(items: list[ParsedItem]) -> list[tuple[str, int, int]]:
    return [(found.item.name, found.quantity, found.line) for found in items]


def test_a_packaged_ship_contract_with_its_header() -> None:
    paste = (
        "Name\tQuantity\tType\tCategory\tDetails\r\n"
        "Rokh\t1\tBattleship\tShip\t\r\n"
        " Medium Core Defense Field Extender I\t1\tRig Shield\tModule\tFitted\r\n"
        " Scorch M\t1\tAdvanced Pulse Laser Crystal\tCharge\tFitted 72% damaged\r\n"
        " Hammerhead II\t5\tCombat Drone\tDrone\tDrone Bay\r\n"
        " Nanite Repair Paste\t1,000\tNanite Repair Paste\tCommodity\tCargo Hold\r\n"
        " Officer's Mystery Box\t1\tCargo Container\tCelestial\t\r\n"
    )
    items, rest = ContractParser().parse(lines_of(paste), NAMES)
    assert [(found.item.name, found.quantity, found.line, found.section) for found in items] == [
        ("Rokh", 1, 2, None),
        ("Medium Core Defense Field Extender I", 1, 3, "fitted"),
        ("Scorch M", 1, 4, "fitted"),
        ("Hammerhead II", 5, 5, "drones"),
        ("Nanite Repair Paste", 1000, 6, "cargo"),
    ]
    assert [line.number for line in rest] == [7, 8]


def test_blueprint_copies_and_originals() -> None:
    paste = (
        "Rifter Blueprint\t1\tFrigate Blueprint\tBlueprint\t"
        "BLUEPRINT COPY - Runs: 10 - Material Efficiency: 10 - Time Efficiency: 20\n"
        "Armageddon Blueprint\t1\tBattleship Blueprint\tBlueprint\t"
        "BLUEPRINT COPY - Runs: 9 - Material Level: 29 - Productivity Level: 0\n"
        "Drake Blueprint\t1\tCombat Battlecruiser Blueprint\tBlueprint\tBLUEPRINT COPY\n"
        "Drake Blueprint\t1\tCombat Battlecruiser Blueprint\tBlueprint\t"
        "ORIGINAL BLUEPRINT - Material Efficiency: 6 - Time Efficiency: 12"
    )
    items, rest = ContractParser().parse(lines_of(paste), NAMES)
    assert [(found.item.name, found.blueprint_copy, found.runs) for found in items] == [
        ("Rifter Blueprint", True, 10),
        ("Armageddon Blueprint", True, 9),
        ("Drake Blueprint", True, None),
        ("Drake Blueprint", False, None),
    ]
    assert rest == []


def test_quantities_in_every_client_locale_and_translated_names() -> None:
    paste = (
        "Zydrine\t10 102\tMineral\tMaterial\t\n"
        "Rokh\t12'000\tBattleship\tShip\t\n"
        "Tritanium\t1.234.567\tMineral\tMaterial\t\n"
        "Pyerite\t1,234,567\tMineral\tMaterial\t\n"
        "Isogen\t1\u00a0000\tMineral\tMaterial\t\n"
        " Hornet EC-300*\t10\tДрон электронного противодействия*\tДрон*\tОтсек для дронов\n"
        "Mega Pulse Laser II\t9000\tEnergy Weapon"
    )
    items, rest = ContractParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("Zydrine", 10102, 1),
        ("Rokh", 12000, 2),
        ("Tritanium", 1234567, 3),
        ("Pyerite", 1234567, 4),
        ("Isogen", 1000, 5),
        ("Hornet EC-300", 10, 6),
        ("Mega Pulse Laser II", 9000, 7),
    ]
    assert rest == []


def test_summary_lines_of_item_exchanges_and_auctions() -> None:
    paste = (
        "Compressed Veldspar x 21163 (Item Exchange)\n"
        "Rifter x 1 (Auction) \n"
        "Unobtainium x 5 (Item Exchange)\n"
        "Rifter x 2"
    )
    items, rest = ContractParser().parse(lines_of(paste), NAMES)
    assert read(items) == [("Compressed Veldspar", 21163, 1), ("Rifter", 1, 2)]
    assert [(line.number, line.text) for line in rest] == [(3, "Unobtainium x 5 (Item Exchange)"), (4, "Rifter x 2")]


def test_headers_only_and_rows_of_other_formats_are_left_or_swallowed() -> None:
    lines = [
        Line(1, "Name\tQuantity\tType"),
        Line(2, "Rokh"),
        Line(3, "Rokh\t\tBattleship\tShip"),
        Line(4, "Rokh\t1\t964.900,00\t964.900,00"),
        Line(5, "Rokh\tBattleship\tCargo Hold\t1"),
    ]
    items, rest = ContractParser().parse(lines, NAMES)
    assert items == [] and [line.number for line in rest] == [2, 3, 4, 5]
