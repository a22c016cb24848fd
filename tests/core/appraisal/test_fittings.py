"""EFT fits and the fitting window copy: hull, modules, loaded charges, drones, cargo, and what is left over."""

from __future__ import annotations

from core.appraisal.model import Line, ParsedItem
from core.appraisal.parsers.fittings import EftParser, FittingWindowParser
from tests.core.appraisal.corpus.fits import VEXOR
from tests.core.appraisal.fit_names import NAMES, paste

Row = tuple[str, int, int, str | None]


def rows(items: list[ParsedItem]) -> list[Row]:
    """(name, quantity, line, section) of each item, in order."""
    return [(item.item.name, item.quantity, item.line, item.section) for item in items]


def texts(lines: list[Line]) -> list[tuple[int, str]]:
    """(number, text) of left-over lines."""
    return [(line.number, line.text) for line in lines]


def test_eft_in_game_export_reads_hull_racks_charges_drones_and_cargo() -> None:
    items, rest = EftParser().parse(paste(VEXOR), NAMES)
    assert rows(items) == [
        ("Vexor", 1, 1, "hull"),
        ("Drone Damage Amplifier II", 1, 2, "fitted"),
        ("Drone Damage Amplifier II", 1, 3, "fitted"),
        ("Medium Armor Repairer II", 1, 4, "fitted"),
        ("Damage Control II", 1, 5, "fitted"),
        ("50MN Microwarpdrive II", 1, 7, "fitted"),
        ("Warp Scrambler II", 1, 8, "fitted"),
        ("Heavy Neutron Blaster II", 1, 11, "fitted"),
        ("Null M", 1, 11, "charges"),
        ("Heavy Neutron Blaster II", 1, 12, "fitted"),
        ("Null M", 1, 12, "charges"),
        ("Heavy Neutron Blaster II", 1, 13, "fitted"),
        ("Antimatter Charge M", 1, 13, "charges"),
        ("Medium Ancillary Current Router I", 1, 16, "fitted"),
        ("Hammerhead II", 5, 20, "drones"),
        ("Hobgoblin II", 5, 21, "drones"),
        ("Antimatter Charge M", 1000, 24, "cargo"),
        ("Nanite Repair Paste", 50, 25, "cargo"),
        ("Hobgoblin II", 2, 26, "drones"),
    ]
    assert rest == []


def test_eft_counts_a_loaded_charge_once_per_module_line() -> None:
    fit = "[Rifter, Tackle]\n200mm AutoCannon II, Republic Fleet EMP S\n200mm AutoCannon II, Republic Fleet EMP S"
    items, _ = EftParser().parse(paste(fit), NAMES)
    charges = [item for item in items if item.section == "charges"]
    assert [(item.item.name, item.quantity) for item in charges] == [("Republic Fleet EMP S", 1)] * 2


def test_eft_leaves_unknown_names_with_their_line_numbers() -> None:
    fit = (
        "Tritanium x100\n"  # before any header: not part of a fit
        "[Drake, Missiles]\n"
        "Ballistic Control System II\n"
        "Imaginary Module II\n"
        "Heavy Missile Launcher II, Imaginary Missile\n"
        "Medium Shield Extender II\n"
        "[Empty Low slot]\n"
        "Warrior III x5"
    )
    items, rest = EftParser().parse(paste(fit), NAMES)
    assert rows(items) == [
        ("Drake", 1, 2, "hull"),
        ("Ballistic Control System II", 1, 3, "fitted"),
        ("Medium Shield Extender II", 1, 6, "fitted"),
    ]
    assert texts(rest) == [
        (1, "Tritanium x100"),
        (4, "Imaginary Module II"),
        (5, "Heavy Missile Launcher II, Imaginary Missile"),
        (8, "Warrior III x5"),
    ]


def test_eft_unknown_hull_is_left_but_its_modules_are_read() -> None:
    items, rest = EftParser().parse(paste("[Shiny New Hull, test]\nDamage Control II"), NAMES)
    assert rows(items) == [("Damage Control II", 1, 2, "fitted")]
    assert texts(rest) == [(1, "[Shiny New Hull, test]")]


def test_eft_several_fits_crlf_and_stray_whitespace() -> None:
    text = (
        "  [Rifter,Fleet Tackle]  \r\n"
        "Damage Control II\r\n"
        "\r\n"
        "1MN Afterburner II   \r\n"
        "\t200mm AutoCannon II,Barrage S\r\n"
        "[Caracal, PvE]\r\n"
        "  medium shield extender ii\r\n"
        "Multispectrum Shield Hardener II\r\n"
        "Exotic Dancers, Female x2\r\n"
    )
    items, rest = EftParser().parse(paste(text), NAMES)
    assert rows(items) == [
        ("Rifter", 1, 1, "hull"),
        ("Damage Control II", 1, 2, "fitted"),
        ("1MN Afterburner II", 1, 4, "fitted"),
        ("200mm AutoCannon II", 1, 5, "fitted"),
        ("Barrage S", 1, 5, "charges"),
        ("Caracal", 1, 6, "hull"),
        ("Medium Shield Extender II", 1, 7, "fitted"),
        ("Multispectrum Shield Hardener II", 1, 8, "fitted"),
        ("Exotic Dancers, Female", 2, 9, "cargo"),
    ]
    assert rest == []


def test_eft_takes_raw_lines_with_blanks_and_padding() -> None:
    lines = [Line(1, "[Raven, Cruise]"), Line(2, ""), Line(3, "  Damage Control II  "), Line(4, "[empty rig slot]")]
    items, rest = EftParser().parse(lines, NAMES)
    assert rows(items) == [("Raven", 1, 1, "hull"), ("Damage Control II", 1, 3, "fitted")]
    assert rest == []


def test_eft_without_header_takes_nothing() -> None:
    lines = paste("Damage Control II\nHobgoblin II x5\n[Empty High slot]")
    items, rest = EftParser().parse(lines, NAMES)
    assert items == []
    assert rest == lines


FITTING_WINDOW = """High power
3x 200mm AutoCannon II
Medium power
1x 5MN Microwarpdrive II
1x Warp Scrambler II
1x Stasis Webifier II
Low power
1x Damage Control II
2x Gyrostabilizer II
Rig Slot
1x Small Projectile Burst Aerator I
2x Small Polycarbon Engine Housing I
Charges
1,200x Republic Fleet EMP S
8,718x Caldari Navy Scourge Heavy Missile
Drones
12 Warrior II
Cargo
Nanite Repair Paste x50
Mobile Depot
Fuel
Helium Isotopes"""


def test_fitting_window_reads_every_section_with_quantities() -> None:
    items, rest = FittingWindowParser().parse(paste(FITTING_WINDOW), NAMES)
    assert rows(items) == [
        ("200mm AutoCannon II", 3, 2, "fitted"),
        ("5MN Microwarpdrive II", 1, 4, "fitted"),
        ("Warp Scrambler II", 1, 5, "fitted"),
        ("Stasis Webifier II", 1, 6, "fitted"),
        ("Damage Control II", 1, 8, "fitted"),
        ("Gyrostabilizer II", 2, 9, "fitted"),
        ("Small Projectile Burst Aerator I", 1, 11, "fitted"),
        ("Small Polycarbon Engine Housing I", 2, 12, "fitted"),
        ("Republic Fleet EMP S", 1200, 14, "charges"),
        ("Caldari Navy Scourge Heavy Missile", 8718, 15, "charges"),
        ("Warrior II", 12, 17, "drones"),
        ("Nanite Repair Paste", 50, 19, "cargo"),
        ("Mobile Depot", 1, 20, "cargo"),
        ("Helium Isotopes", 1, 22, "fuel"),
    ]
    assert rest == []


def test_fitting_window_leaves_unknown_lines_and_text_before_the_first_header() -> None:
    text = "My Vexor\r\nHigh Power\r\n2x Heavy Neutron Blaster II  \r\n1x Wobbly Laser\r\n"
    text += "Drone Bay\r\n5x Hobgoblin II\r\nhi"
    items, rest = FittingWindowParser().parse(paste(text), NAMES)
    assert rows(items) == [("Heavy Neutron Blaster II", 2, 3, "fitted"), ("Hobgoblin II", 5, 6, "drones")]
    assert texts(rest) == [(1, "My Vexor"), (4, "1x Wobbly Laser"), (7, "hi")]


def test_fitting_window_needs_a_slot_rack_header() -> None:
    lines = paste("Cargo\n5x Hobgoblin II\nDrones\n12 Warrior II")
    items, rest = FittingWindowParser().parse(lines, NAMES)
    assert items == []
    assert rest == lines


def test_fitting_window_thousands_separators_and_names_starting_with_digits() -> None:
    text = "Low power\n1 000 Tritanium\n2 200mm AutoCannon II\n1.500x Barrage S\nExotic Dancers, Female"
    items, rest = FittingWindowParser().parse(paste(text), NAMES)
    assert [(item.item.name, item.quantity) for item in items] == [
        ("Tritanium", 1000),
        ("200mm AutoCannon II", 2),
        ("Barrage S", 1500),
        ("Exotic Dancers, Female", 1),
    ]
    assert rest == []
