"""ListingParser, MultibuyParser and the HeuristicParser fallback on realistic pastes."""

from __future__ import annotations

import pytest

from core.appraisal.model import Line, ParsedItem
from core.appraisal.parsers.fallback import HeuristicParser
from core.appraisal.parsers.listing import ListingParser, MultibuyParser
from tests.core.appraisal.sample_names import SampleNames, lines_of

NAMES = SampleNames()


def read(items: list[ParsedItem]) -> list[tuple[str, int, int]]:
    return [(found.item.name, found.quantity, found.line) for found in items]


@pytest.mark.parametrize(
    ("text", "name", "quantity"),
    [
        ("Rifter", "Rifter", 1),
        ("10 Rifter", "Rifter", 10),
        ("10x Rifter", "Rifter", 10),
        ("10 x Rifter", "Rifter", 10),
        ("10 X Rifter", "Rifter", 10),
        ("Rifter x10", "Rifter", 10),
        ("Rifter x 10", "Rifter", 10),
        ("Rifter X 10", "Rifter", 10),
        ("Rifter: 10", "Rifter", 10),
        ("Rifter\t10", "Rifter", 10),
        ("10\tRifter", "Rifter", 10),
        ("Rifter 10", "Rifter", 10),
        ("Tritanium - 3,029,400", "Tritanium", 3029400),
        ("tritanium   x   5", "Tritanium", 5),
        ("Republic Fleet EMP S 2000", "Republic Fleet EMP S", 2000),
        ("Caldari Navy Antimatter Charge M x 1'000", "Caldari Navy Antimatter Charge M", 1000),
        ("Frostline 'Omnivore' Harvester Upgrade", "Frostline 'Omnivore' Harvester Upgrade", 1),
        ("2x 'Augmented' Hammerhead", "'Augmented' Hammerhead", 2),
        ("Tengu Defensive - Covert Reconfiguration 3", "Tengu Defensive - Covert Reconfiguration", 3),
        ("Navy Cap Booster 400", "Navy Cap Booster 400", 1),  # a name that ends in a number
        ("Navy Cap Booster 400 25", "Navy Cap Booster 400", 25),
        ("Cap Booster 800 100", "Cap Booster 800", 100),
        ("125mm Gatling AutoCannon II", "125mm Gatling AutoCannon II", 1),
        ("1 125mm Gatling AutoCannon II", "125mm Gatling AutoCannon II", 1),
        ("Hornet EC-300*\t10", "Hornet EC-300", 10),  # translated clients mark English names with "*"
    ],
)
def test_every_listing_shape(text: str, name: str, quantity: int) -> None:
    items, rest = ListingParser().parse([Line(1, text)], NAMES)
    assert read(items) == [(name, quantity, 1)] and rest == []


@pytest.mark.parametrize(
    "number",
    ["1000000", "1,000,000", "1.000.000", "1 000 000", "1'000'000", "1\u00a0000\u00a0000", "1\u202f000\u202f000"],
)
def test_numbers_in_every_client_locale(number: str) -> None:
    for text in (f"{number} Tritanium", f"Tritanium {number}", f"Tritanium x {number}", f"Tritanium\t{number}"):
        items, _ = ListingParser().parse([Line(1, text)], NAMES)
        assert read(items) == [("Tritanium", 1_000_000, 1)], text


def test_a_mined_minerals_list_keeps_unknown_lines_with_their_numbers() -> None:
    paste = (
        "9'584'701 x Tritanium\r\n2'036'800 x Pyerite\r\n\r\n"
        "546'300 x Mexallon\r\n 12 x Unobtainium \r\n3'010 x Megacyte\r\n"
    )
    items, rest = ListingParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("Tritanium", 9584701, 1),
        ("Pyerite", 2036800, 2),
        ("Mexallon", 546300, 4),
        ("Megacyte", 3010, 6),
    ]
    assert [(line.number, line.text) for line in rest] == [(3, ""), (5, "12 x Unobtainium"), (7, "")]


def test_cargo_scan_results_with_blueprint_copies() -> None:
    paste = "1 Rifter\n12'000 Tritanium\n1 Rifter Blueprint (Copy)\n2 Drake Blueprint (Original)\n3 Plagioclase"
    items, rest = ListingParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("Rifter", 1, 1),
        ("Tritanium", 12000, 2),
        ("Rifter Blueprint", 1, 3),
        ("Drake Blueprint", 2, 4),
    ]
    assert [found.blueprint_copy for found in items] == [False, False, True, False]
    assert [line.number for line in rest] == [5]


def test_tab_separated_rows_of_other_windows_are_not_listings() -> None:
    lines = lines_of("Tritanium\t100\tMineral\tMaterial\nRifter\t1\t964.900,00\t964.900,00\nZydrine 1 0")
    items, rest = ListingParser().parse(lines, NAMES)
    assert items == [] and len(rest) == 3


def test_multibuy_export_reads_rows_and_swallows_the_total() -> None:
    paste = (
        "Multispectrum Shield Hardener II\t2\t1,234,567.89\t2,469,135.78\n"
        "Republic Fleet EMP S\t5.000\t42,50\t212.500,00\n"
        "Fake Module\t1\t10.00\t10.00\n"
        "Damage Control II\t1\t-\t-\n"
        "Total:\t\t\t2,681,645.78\n"
    )
    items, rest = MultibuyParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("Multispectrum Shield Hardener II", 2, 1),
        ("Republic Fleet EMP S", 5000, 2),
        ("Damage Control II", 1, 4),
    ]
    assert [(line.number, line.text) for line in rest] == [(3, "Fake Module\t1\t10.00\t10.00"), (6, "")]


def test_multibuy_leaves_a_lone_total_and_other_formats_alone() -> None:
    lines = lines_of("Total:\t\t\t964.900,00\nRifter\t1\tFrigate\tShip\nRifter x 2")
    items, rest = MultibuyParser().parse(lines, NAMES)
    assert items == [] and len(rest) == 3


def test_heuristic_finds_the_longest_real_names_and_their_numbers() -> None:
    paste = (
        "Procurer x 1- Medium Shield Extender I x 1- Ice Harvester II x 2- Mining Laser Upgrade II x 1\n"
        "177887021\tTritanium\n"
        "44461428\tUnobtainium\n"
        "wts Caldari Navy Antimatter Charge M 5 000 units, pm me\n"
        "selling (Rifter Blueprint) and Rifter, 3 of them"
    )
    items, rest = HeuristicParser().parse(lines_of(paste), NAMES)
    assert read(items) == [
        ("Procurer", 1, 1),
        ("Medium Shield Extender I", 1, 1),
        ("Ice Harvester II", 2, 1),
        ("Mining Laser Upgrade II", 1, 1),
        ("Tritanium", 177887021, 2),
        ("Caldari Navy Antimatter Charge M", 5000, 4),
        ("Rifter Blueprint", 1, 5),
        ("Rifter", 3, 5),
    ]
    assert [line.number for line in rest] == [3]


def test_heuristic_takes_no_volume_or_price_for_a_quantity() -> None:
    lines = lines_of("Platinum: 15,828,569 m3\nRifter 350,000.00 ISK\nTritanium, 20")
    items, _ = HeuristicParser().parse(lines, NAMES)
    assert read(items) == [("Platinum", 1, 1), ("Rifter", 1, 2), ("Tritanium", 20, 3)]


def test_heuristic_never_invents_items() -> None:
    lines = lines_of("o7 fly safe\n1000 isk\nAntimatter\nRifterBlueprint 5")
    items, rest = HeuristicParser().parse(lines, NAMES)
    assert items == [] and len(rest) == 4


def test_heuristic_reports_an_unknown_named_variant_instead_of_pricing_its_base_item() -> None:
    lines = lines_of("3 x 'Fancy' Rifter\n'Full Duplex' Rifter 1\n'Augmented' Hammerhead x 2\nRifter x 4 'fast'")
    items, rest = HeuristicParser().parse(lines, NAMES)
    assert read(items) == [("'Augmented' Hammerhead", 2, 3), ("Rifter", 4, 4)]  # a known named item still reads
    assert [line.number for line in rest] == [1, 2]
