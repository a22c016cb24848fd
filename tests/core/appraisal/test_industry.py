"""Planetary interaction, industry window and compare window pastes, as the EVE client lays them out."""

from __future__ import annotations

import pytest

from core.appraisal.parsers.industry import CompareParser, IndustryParser, PlanetaryParser
from tests.core.appraisal.log_names import NAMES, lines_of, summary

NBSP = "\u00a0"


def test_planetary_storage_and_launchpad_contents() -> None:
    paste = (
        "Precious Metals\t6,000\nWater\t305.0\t114.0\r\n"
        "Bacteria\t12\t4,56 m³\nReactive Metals\t1 000,0\nNanite Paste\t40"
    )
    items, rest = PlanetaryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Precious Metals", 6000, 1),
        ("Water", 305, 2),
        ("Bacteria", 12, 3),
        ("Reactive Metals", 1000, 4),
    ]
    assert [(line.number, line.text) for line in rest] == [(5, "Nanite Paste\t40")]


def test_planetary_routes() -> None:
    paste = "331.0\tAqueous Liquids\tNot routed\n40\tCoolant\tRouted\n3\tCoolant\tSomewhere"
    items, rest = PlanetaryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Aqueous Liquids", 331, 1), ("Coolant", 40, 2)]
    assert [line.number for line in rest] == [3]


@pytest.mark.parametrize("quantity", ["6,000", "6.000", f"6{NBSP}000", "6'000", "6000", "6000.0", "6.000,0"])
def test_planetary_quantities_in_every_locale(quantity: str) -> None:
    items, rest = PlanetaryParser().parse(lines_of(f"Precious Metals\t{quantity}"), NAMES)
    assert summary(items) == [("Precious Metals", 6000, 1)] and rest == []


def test_planetary_rejects_fractions_and_other_tables() -> None:
    paste = "Water\t1,5\nVeldspar\t100\t12 km\nRifter\tFrigate"
    items, rest = PlanetaryParser().parse(lines_of(paste), NAMES)
    assert items == [] and len(rest) == 3


def test_industry_copy_material_information() -> None:
    paste = (
        "Components\t\t\t\t\r\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Plasma Thruster\t30\t0\t75199.17\t11530\r\n"
        "Strange Part\t2\t0\t10.00\t99999\r\n"
        "\r\n"
        "Minerals\t\t\t\t\r\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Tritanium\t2,500\t10,000\t4.27\t34\r\n"
        "Morphite\t38\t0\t10558.3\t11399\r\n"
        "\r\n"
        "Planetary materials\t\t\t\t\r\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Construction Blocks\t30\t0\t11551.94\t3828\r\n"
        "\r\n"
        "Items\t\t\t\t\r\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Breacher\t1\t0\t393441.48\t598\r\n"
        "R.A.M.- Starship Tech\t3\t0\t314.02\t11478"
    )
    items, rest = IndustryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Plasma Thruster", 30, 3),
        ("Tritanium", 2500, 8),
        ("Morphite", 38, 9),
        ("Construction Blocks", 30, 13),
        ("Breacher", 1, 17),
        ("R.A.M.- Starship Tech", 3, 18),
    ]
    assert [(line.number, line.text) for line in rest] == [
        (4, "Strange Part\t2\t0\t10.00\t99999"),
        (5, ""),
        (10, ""),
        (14, ""),
    ]


def test_industry_datacores_and_empty_optional_items() -> None:
    paste = (
        "Datacores\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\n"
        "Datacore - Mechanical Engineering\t60\t0\t43694.05\t20424\n"
        "Optional items\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\n"
        "No item selected"
    )
    items, rest = IndustryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Datacore - Mechanical Engineering", 60, 3)] and rest == []


@pytest.mark.parametrize("required", ["2,500", "2.500", f"2{NBSP}500", "2'500"])
def test_industry_rows_in_every_locale_without_header(required: str) -> None:
    items, rest = IndustryParser().parse(lines_of(f"Tritanium\t{required}\t0\t4,27\t34"), NAMES)
    assert summary(items) == [("Tritanium", 2500, 1)] and rest == []


def test_industry_localised_header_uses_second_column() -> None:
    paste = "Mineralien\nGegenstand\tBenötigt\tVerfügbar\tGesch. Stückpreis\ttypeID\nTritanium\t1.234\t0\t4,27\t34"
    items, rest = IndustryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Tritanium", 1234, 3)] and rest == []


def test_industry_units_lines() -> None:
    paste = "Tritanium (4662 Units)\nPyerite (1,857 Units)\nIsogen (1 Unit)\nUnobtainium (4 Units)"
    items, rest = IndustryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Tritanium", 4662, 1), ("Pyerite", 1857, 2), ("Isogen", 1, 3)]
    assert [line.number for line in rest] == [4]


def test_industry_blueprints_tab() -> None:
    paste = (
        "Cap Booster 400 Blueprint\t10\t0\t-1\t2\tJita IV - Moon 4 - Caldari Navy Assembly Plant\tItem hangar\tCharge\n"
        "Rifter Blueprint\t10\t20\t-1\t0\tJita IV - Moon 4 - Caldari Navy Assembly Plant\tItem hangar\tFrigate\n"
        "Rifter Blueprint\t0\t0\t1\tFrigate\n"
        "3 x Rifter Blueprint\t2\t4\t-1\t-1\tAmarr VIII\tItem hangar\tFrigate\n"
        "Rifter\t10\t20\t-1\t0\tJita\tItem hangar\tFrigate"
    )
    items, rest = IndustryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Cap Booster 400 Blueprint", 1, 1),
        ("Rifter Blueprint", 1, 2),
        ("Rifter Blueprint", 1, 3),
        ("Rifter Blueprint", 3, 4),
    ]
    assert [(found.blueprint_copy, found.runs) for found in items] == [
        (True, 2),
        (False, None),
        (True, 1),
        (False, None),
    ]
    assert [line.number for line in rest] == [5]


def test_compare_window_meta_group_rows() -> None:
    paste = (
        "Small Armor Repairer I\tTech I\t40 GJ\t5 MW\t5 tf\t6.00 s\t69 HP\tLevel 0\n"
        "Small Armor Repairer II\tTech II\t40 GJ\t6 MW\t6 tf\t6.00 s\t92 HP\tLevel 5\n"
        "'Gorget' Small Armor Repairer I\tStoryline\t40 GJ\t5 MW\t4 tf\t6.00 s\t92 HP\tLevel 6\n"
        "Republic Fleet Small Armor Repairer\tFaction\t36 GJ\t5 MW\t4 tf\t6.00 s\t83 HP\tLevel 7"
    )
    items, rest = CompareParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Small Armor Repairer I", 1, 1),
        ("Small Armor Repairer II", 1, 2),
        ("Republic Fleet Small Armor Repairer", 1, 4),
    ]
    assert [line.number for line in rest] == [3]


def test_compare_window_with_header_row() -> None:
    paste = (
        "Type\tMeta Level\tCPU usage\tPowergrid usage\r\n"
        "Small Armor Repairer I\t0\t5 tf\t5 MW\r\n"
        "Small Armor Repairer II\t5\t6 tf\t6 MW\r\n"
        "Mystery Repairer\t7\t4 tf\t5 MW\r\n"
        "Republic Fleet Small Armor Repairer\t7\t4 tf\t5 MW"
    )
    items, rest = CompareParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Small Armor Repairer I", 1, 2),
        ("Small Armor Repairer II", 1, 3),
        ("Republic Fleet Small Armor Repairer", 1, 5),
    ]
    assert [line.number for line in rest] == [4]


def test_compare_ignores_other_tables() -> None:
    paste = (
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\n"
        "Tritanium\t2500\t0\t4.27\t34\nTritanium\t100\nType\tA\tB\nRifter"
    )
    lines = lines_of(paste)
    items, rest = CompareParser().parse(lines, NAMES)
    assert items == [] and rest == lines


def test_industry_parsers_leave_foreign_lines_alone() -> None:
    paste = (
        "03:21:19 Dude has looted 5 x Tritanium\n2026.11.20\tVeldspar\t100\t10 m³\t15 ISK\tJita\nVeldspar\t10\t12 km"
    )
    lines = lines_of(paste)
    for parser in (PlanetaryParser(), IndustryParser(), CompareParser()):
        items, rest = parser.parse(lines, NAMES)
        assert items == [] and rest == lines, parser.name
