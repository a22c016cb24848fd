"""InventoryParser on inventory, assets and view contents copies in list and detail view."""

from __future__ import annotations

import pytest

from core.appraisal.model import Line, ParsedItem
from core.appraisal.parsers.inventory import InventoryParser
from tests.core.appraisal.sample_names import SampleNames, lines_of

NAMES = SampleNames()


def read(items: list[ParsedItem]) -> list[tuple[str, int, int]]:
    return [(found.item.name, found.quantity, found.line) for found in items]


def test_detail_view_with_every_column_in_english_format() -> None:
    paste = (
        "50MN Microwarpdrive II\t\tPropulsion Module\tModule\tLarge\tMedium\t10 m3\t5\t2\t5,044,358.31 ISK\n"
        "5MN Y-T8 Compact Microwarpdrive\t3\tPropulsion Module\tModule\tSmall\tMedium\t30 m3\t1\t1\t960,279.42 ISK\n"
        "Tritanium\t1,234,567\tMineral\tMaterial\t\t\t12,345.67 m3\t\t\t6,543,210.00 ISK\n"
        "Shiny Unknown Thing\t1\tWidget\tModule\t\t\t1 m3\t\t\t1.00 ISK\n"
    )
    items, rest = InventoryParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("50MN Microwarpdrive II", 1, 1),
        ("5MN Y-T8 Compact Microwarpdrive", 3, 2),
        ("Tritanium", 1234567, 3),
    ]
    assert [(line.number, line.text.split("\t")[0]) for line in rest] == [(4, "Shiny Unknown Thing"), (5, "")]


def test_detail_view_in_a_german_client_with_crlf_and_stray_whitespace() -> None:
    paste = (
        "Platinum\t24.647\tMoon Materials\tMaterial\t\t\t1.232,35 m3\t\tNone\t221.440.478,56 ISK\r\n"
        "  Compressed Veldspar \t 1\u00a0080 \tVeldspar\tAsteroid\t\t\t1,08 m3\t\t\t123.456,78 ISK  \r\n"
    )
    items, rest = InventoryParser().parse(lines_of(paste), NAMES)
    assert read(items) == [("Platinum", 24647, 1), ("Compressed Veldspar", 1080, 2)]
    assert [line.number for line in rest] == [3]


def test_raw_lines_with_carriage_returns_still_read() -> None:
    items, _ = InventoryParser().parse([Line(7, " Damage Control II\t1'000\tDamage Control\t\tLow\t5 m3 \r")], NAMES)
    assert read(items) == [("Damage Control II", 1000, 7)]


@pytest.mark.parametrize(
    "row",
    [
        "Drake\t1\tCombat Battlecruiser",
        "Drake\t1\tCombat Battlecruiser\t\t\t15,000 m3",
        "Drake\t1\tCombat Battlecruiser\tShip",
        "Drake\t1\tCombat Battlecruiser\tShip\t\t\t15.000 m3",
        "Drake\t1\tCombat Battlecruiser\t\t\t\t\t\t\t54,123,456.00 ISK",
        "Drake\t\tCombat Battlecruiser\tShip\tLarge\t\t15 000 m3\t0\t1\t54 123 456,00 ISK",
        "drake\t1\tcombat battlecruiser",
    ],
)
def test_any_subset_of_the_optional_columns(row: str) -> None:
    items, rest = InventoryParser().parse([Line(1, row)], NAMES)
    assert read(items) == [("Drake", 1, 1)] and rest == []


def test_assets_window_rows() -> None:
    paste = (
        "Sleeper Data Library\t1080\tSleeper Components\t\t\t10.82 m3\n"
        "Antimatter Charge M\t100\u00a0000\tHybrid Charge\tMedium\t\t1\u00a0250 m3\n"
        "Rokh\t12'000\tBattleship\t\t\t50,000 m3\n"
        "Warrior II\t9\tCombat Drone\n"
        "Quafe Zero Classic\t12\tBooster\tImplant\t\t1\t12 m3\n"
    )
    items, rest = InventoryParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("Sleeper Data Library", 1080, 1),
        ("Antimatter Charge M", 100000, 2),
        ("Rokh", 12000, 3),
        ("Warrior II", 9, 4),
    ]
    assert [line.number for line in rest] == [5, 6]


def test_view_contents_of_a_ship_with_locations() -> None:
    paste = (
        "Multispectrum Shield Hardener II\tShield Hardener\tMedium Slot\t1\n"
        "50MN Microwarpdrive II\tPropulsion Module\tMedium Slot\t1\n"
        "Hammerhead II\tCombat Drone\tDrone Bay\t5\n"
        "Heavy Water\tIce Product\tFuel Bay\t20,000\n"
        "Tengu Defensive - Covert Reconfiguration\tDefensive Systems\tSubsystem\t1\n"
        "Medium Core Defense Field Extender I\tRig Shield\tRig Slot\t1\n"
        "Nanite Repair Paste\tNanite Repair Paste\tCargo Hold\t250\n"
        "Giant Secure Container\tSecure Cargo Container\t\t1\n"
        "Men's 'Esquire' Coat (red/gold)\tOuter\t1\n"
        "Prototype Cloak\tCloaking Device\tHigh Slot\t1"
    )
    items, rest = InventoryParser().parse(lines_of(paste), NAMES)
    assert [(found.item.name, found.quantity, found.section) for found in items] == [
        ("Multispectrum Shield Hardener II", 1, "fitted"),
        ("50MN Microwarpdrive II", 1, "fitted"),
        ("Hammerhead II", 5, "drones"),
        ("Heavy Water", 20000, "fuel bay"),
        ("Tengu Defensive - Covert Reconfiguration", 1, "fitted"),
        ("Medium Core Defense Field Extender I", 1, "fitted"),
        ("Nanite Repair Paste", 250, "cargo"),
        ("Giant Secure Container", 1, None),
        ("Men's 'Esquire' Coat (red/gold)", 1, None),
    ]
    assert [line.number for line in rest] == [10]


def test_blueprint_copies_have_no_price_in_a_priced_paste() -> None:
    paste = (
        "Rifter Blueprint\t\tFrigate Blueprint\tBlueprint\t\t\t0,01 m3\t\t\t\n"
        "Drake Blueprint\t\tCombat Battlecruiser Blueprint\tBlueprint\t\t\t0,01 m3\t\t\t1.234.567.890,00 ISK\n"
        "Armageddon Blueprint\t2\tBattleship Blueprint\tBlueprint\tBlueprint Copy\n"
        "Tritanium\t100\tMineral\tMaterial\t\t\t1 m3\t\t\t500,00 ISK"
    )
    items, _ = InventoryParser().parse(lines_of(paste), NAMES)
    assert [(found.item.name, found.quantity, found.blueprint_copy) for found in items] == [
        ("Rifter Blueprint", 1, True),
        ("Drake Blueprint", 1, False),
        ("Armageddon Blueprint", 2, True),
        ("Tritanium", 100, False),
    ]


def test_blueprints_in_an_unpriced_paste_are_not_guessed_to_be_copies() -> None:
    paste = "Rifter Blueprint\t\tFrigate Blueprint\tBlueprint\nDrake Blueprint\t1\tCombat Battlecruiser Blueprint"
    items, _ = InventoryParser().parse(lines_of(paste), NAMES)
    assert [(found.item.name, found.blueprint_copy) for found in items] == [
        ("Rifter Blueprint", False),
        ("Drake Blueprint", False),
    ]


def test_lines_that_are_not_inventory_rows_stay() -> None:
    paste = "Rifter x 10\nRifter\t10\nRifter\t1\t964.900,00\t964.900,00\nRifter\tabc\tFrigate\tShip\tx\ty\n"
    items, rest = InventoryParser().parse(lines_of(paste), NAMES)
    assert items == [] and [line.number for line in rest] == [1, 2, 3, 4, 5]
