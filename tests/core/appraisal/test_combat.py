"""Killmail copies and directional scans: what is counted, what is skipped, what is left over."""

from __future__ import annotations

from core.appraisal.model import Line, ParsedItem
from core.appraisal.parsers.combat import DscanParser, KillmailParser
from tests.core.appraisal.corpus.fits import KILLMAIL
from tests.core.appraisal.fit_names import NAMES, paste

Row = tuple[str, int, int, str | None]


def rows(items: list[ParsedItem]) -> list[Row]:
    """(name, quantity, line, section) of each item, in order."""
    return [(item.item.name, item.quantity, item.line, item.section) for item in items]


def texts(lines: list[Line]) -> list[tuple[int, str]]:
    """(number, text) of left-over lines."""
    return [(line.number, line.text) for line in lines]


def test_killmail_counts_the_hull_and_both_item_blocks() -> None:
    items, rest = KillmailParser().parse(paste(KILLMAIL), NAMES)
    assert rows(items) == [
        ("Hurricane", 1, 7, "destroyed"),
        ("425mm AutoCannon II", 4, 34, "destroyed"),
        ("Republic Fleet EMP M", 1000, 35, "destroyed"),
        ("Hobgoblin II", 3, 36, "destroyed"),
        ("Damage Control II", 1, 37, "destroyed"),
        ("Rifter Blueprint", 1, 39, "destroyed"),
        ("425mm AutoCannon II", 2, 43, "dropped"),
        ("Hammerhead II", 2, 44, "dropped"),
        ("Women's 'Excursion' Pants (black)", 1, 45, "dropped"),
        ("Mid-grade Crystal Alpha", 1, 46, "dropped"),
    ]
    assert [item.blueprint_copy for item in items] == [False] * 5 + [True] + [False] * 4
    assert texts(rest) == [(38, "Medium Projectile Wonder Rig I")]


def test_killmail_never_counts_attackers_ships_or_weapons() -> None:
    items, _ = KillmailParser().parse(paste(KILLMAIL), NAMES)
    numbered = KILLMAIL.splitlines()
    involved = range(numbered.index("Involved parties:") + 1, numbered.index("Destroyed items:") + 1)
    assert [item for item in items if item.line in involved] == []
    assert "Rifter" not in {item.item.name for item in items}
    assert "200mm AutoCannon II" not in {item.item.name for item in items}


def test_killmail_with_crlf_stray_spaces_and_a_pod_loss() -> None:
    text = (
        "2024.03.02 19:45:10\r\n\r\n"
        "  Victim: Some Poor Pilot\r\n"
        "Corp: Victim Corp\r\n"
        "Destroyed: Capsule  \r\n"
        "Damage Taken: 512\r\n\r\n"
        "Involved parties:\r\n\r\n"
        "Name: Ganker One (laid the final blow)\r\n"
        "Ship: Sabre\r\n"
        "Weapon: Warp Disrupt Probe\r\n"
        "Damage Done: 512\r\n\r\n"
        "Dropped items:\r\n\r\n"
        "  Mid-grade Crystal Alpha (Implant)   \r\n"
    )
    items, rest = KillmailParser().parse(paste(text), NAMES)
    assert rows(items) == [("Mid-grade Crystal Alpha", 1, 17, "dropped")]
    assert texts(rest) == [(5, "Destroyed: Capsule")]  # pods are not sold on the market


def test_killmail_leaves_lines_around_it_and_ignores_non_killmail_text() -> None:
    lines = paste("Ship: Rifter\nWeapon: 200mm AutoCannon II\nCorp: Someone\n2024.03.02 19:41:07\nTritanium 100")
    items, rest = KillmailParser().parse(lines, NAMES)
    assert items == []
    assert rest == lines


def test_killmail_starting_at_an_item_block_and_two_killmails() -> None:
    text = (
        "Destroyed items:\n"
        "Warrior II, Qty: 5 (Drone Bay)\n"
        "2024.03.03 20:00:00\n"
        "Victim: Another Pilot\n"
        "Destroyed: Rifter\n"
        "Involved parties:\n"
        "Name: Someone (laid the final blow)\n"
        "Ship: Drake\n"
        "Weapon: Scourge Heavy Missile\n"
        "Destroyed items:\n"
        "Scourge Heavy Missile, Qty: 12 (Cargo)\n"
        "Totally Unknown Thing, Qty: 3\n"
    )
    items, rest = KillmailParser().parse(paste(text), NAMES)
    assert rows(items) == [
        ("Warrior II", 5, 2, "destroyed"),
        ("Rifter", 1, 5, "destroyed"),
        ("Scourge Heavy Missile", 12, 11, "destroyed"),
    ]
    assert texts(rest) == [(12, "Totally Unknown Thing, Qty: 3")]


def test_killmail_unknown_lines_inside_the_victim_and_parties_blocks_are_left() -> None:
    text = "Victim: X\nDestroyed: Drake\nsomething odd\nInvolved parties:\nName: Y\nShip: Caracal\nmore noise"
    items, rest = KillmailParser().parse(paste(text), NAMES)
    assert rows(items) == [("Drake", 1, 2, "destroyed")]
    assert texts(rest) == [(3, "something odd"), (7, "more noise")]


# D-scan copy as the client lays it out today: type id, name, type, distance (tab separated).
DSCAN = (
    "24702\tSome Pilot's Hurricane\tHurricane\t1,234 km\n"
    "670\tCapsule\tCapsule\t-\n"
    "587\tRifter\tRifter\t3\u00a0225 m\r\n"
    "24702\tHurricane\tHurricane\t2.4 AU\n"
    "40009087\tJita IV - Moon 4\tMoon\t4.7 AU\n"
    "2456\tHobgoblin II\tHobgoblin II\t12 km\n"
    "24702\tLoot pinata\thurricane\t-\n"
    "  2456\tHobgoblin II\tHobgoblin II\t11 km  \n"
)


def test_dscan_counts_rows_per_type_column() -> None:
    items, rest = DscanParser().parse(paste(DSCAN), NAMES)
    assert rows(items) == [("Hurricane", 3, 1, None), ("Rifter", 1, 3, None), ("Hobgoblin II", 2, 6, None)]
    assert texts(rest) == [(2, "670\tCapsule\tCapsule\t-"), (5, "40009087\tJita IV - Moon 4\tMoon\t4.7 AU")]


def test_dscan_older_three_column_layout() -> None:
    text = (
        "+\tNoctis\t3,225 m\n"
        "some dude's Stabber Fleet Issue\tStabber Fleet Issue\t-\n"
        "Wreck\tTayra\t82 km\n"
        "+\tNoctis\t9 km"
    )
    items, rest = DscanParser().parse(paste(text), NAMES)
    assert rows(items) == [("Noctis", 2, 1, None), ("Stabber Fleet Issue", 1, 2, None), ("Tayra", 1, 3, None)]
    assert rest == []


def test_dscan_leaves_rows_that_are_not_scan_results() -> None:
    lines = paste("Tritanium\t100\nRifter\tRifter\t5 parsecs\nRifter x3\n587\tRifter\tRifter\t7 km\textra")
    items, rest = DscanParser().parse(lines, NAMES)
    assert items == []
    assert rest == lines
