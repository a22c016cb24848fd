"""Loot history, wallet, mining/moon ledger and survey scanner pastes, as the EVE client lays them out."""

from __future__ import annotations

import pytest

from core.appraisal.parsers.logs import LootHistoryParser, MiningLedgerParser, SurveyScannerParser, WalletParser
from tests.core.appraisal.log_names import NAMES, lines_of, summary

NBSP = "\u00a0"
JITA = "Jita IV - Moon 4 - Caldari Navy Assembly Plant"


def test_loot_history_log_lines() -> None:
    paste = (
        "03:21:19 Some dude has looted 5 x Tripped Power Circuit\n"
        "2026.11.20 18:02  Pilot Name has looted 12 x Alloyed Tritanium Bar\n"
        "03:22:40 Some dude has looted 1 x Ancient Gizmo\n"
        "[ 2026.11.20 18:04:11 ] A cool dude has looted 5'000 x Tritanium"
    )
    items, rest = LootHistoryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Tripped Power Circuit", 5, 1),
        ("Alloyed Tritanium Bar", 12, 2),
        ("Tritanium", 5000, 4),
    ]
    assert [(line.number, line.text) for line in rest] == [(3, "03:22:40 Some dude has looted 1 x Ancient Gizmo")]


def test_loot_history_tab_separated_rows() -> None:
    paste = (
        "18:02:11\tPilot Name\tTripped Power Circuit\t12\tSalvaged Materials\r\n"
        "18:02:14\tOther Pilot\tWarrior I\t2\tCombat Drone\r\n"
        "18:03:00\tPilot Name\tUnknown Widget\t3\tThings\r\n"
        "Tripped Power Circuit\t12"
    )
    items, rest = LootHistoryParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Tripped Power Circuit", 12, 1), ("Warrior I", 2, 2)]
    assert [line.number for line in rest] == [3, 4]


@pytest.mark.parametrize("quantity", ["1,000", "1.000", f"1{NBSP}000", "1'000", "1000", "1\u202f000"])
def test_loot_history_quantities_in_every_locale(quantity: str) -> None:
    lines = lines_of(f"03:21:19 Some dude has looted {quantity} x Tritanium\n03:21:19\tDude\tPyerite\t{quantity}")
    items, rest = LootHistoryParser().parse(lines, NAMES)
    assert summary(items) == [("Tritanium", 1000, 1), ("Pyerite", 1000, 2)]
    assert rest == []


def test_wallet_transactions_current_layout() -> None:
    paste = (
        f"2026.11.20 18:02\t10\tTritanium\t5.00 ISK\t-50.00 ISK\tSome Seller\t{JITA}\n"
        f"2026.11.20 18:05\t-3\tRifter\t450,000.00 ISK\t1,350,000.00 ISK\tSome Buyer\t{JITA}\n"
        "2026.11.20 18:07\t4\tMystery Item\t1.00 ISK\t-4.00 ISK\tSomeone\tAmarr VIII (Oris) - Emperor Family Academy\n"
        f"2026.11.20 18:09\t2\tTritanium\t5.00 ISK\t-10.00 ISK\tSome Seller\t{JITA}"
    )
    items, rest = WalletParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Tritanium", 10, 1), ("Rifter", 3, 2), ("Tritanium", 2, 4)]
    assert [found.section for found in items] == ["bought", "sold", "bought"]
    assert [line.number for line in rest] == [3]


def test_wallet_legacy_itemized_rows_and_journal_lines() -> None:
    paste = (
        "2014.01.04 05:49:31\tMarket Escrow\t-251.00 ISK\t325.22 ISK\tMarket escrow authorized by: Me\n"
        "2014.01.04 16:08\tRifter\t200,000.00 ISK\t1\t-200,000.00 ISK\tISK\tlady scarlette\tJita IV - Moon 4\n"
        "2014.12.19 20:04\tPlagioclase\t7'999.10 ISK\t1'000\t7'999'100.00 ISK\tISK\tOrmand Ishikela\tJita IV - Moon 4"
    )
    items, rest = WalletParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Rifter", 1, 2), ("Plagioclase", 1000, 3)]
    assert [found.section for found in items] == ["bought", "sold"]
    assert [line.number for line in rest] == [1]


@pytest.mark.parametrize(
    ("quantity", "total"), [("1,500", "-7,500.00"), ("1.500", "-7.500,00"), (f"1{NBSP}500", "-7 500,00")]
)
def test_wallet_locales(quantity: str, total: str) -> None:
    line = f"2026.11.20 18:02\t{quantity}\tTritanium\t5,00 ISK\t{total} ISK\tSeller\tJita"
    items, rest = WalletParser().parse(lines_of(line), NAMES)
    assert summary(items) == [("Tritanium", 1500, 1)] and rest == []


def test_personal_mining_ledger_window_copy() -> None:
    paste = (
        "2018.03.01\t Bright Spodumain\t24,993\t399,888 m³\t33,796,534 ISK\tQ-02UL\r\n"
        "2018.03.01\tVeldspar\t30.000\t3.000 m³\t450.000 ISK\tJita\r\n"
        "2018.03.02\tConcentrated Veldspar\t12 000\t1 200 m³\t190 000 ISK\tJita\r\n"
        "2018.03.02\tUnobtainium\t12\t12 m³\t1 ISK\tJita"
    )
    items, rest = MiningLedgerParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Bright Spodumain", 24993, 1),
        ("Veldspar", 30000, 2),
        ("Concentrated Veldspar", 12000, 3),
    ]
    assert [line.number for line in rest] == [4]


def test_mining_ledger_export_with_header() -> None:
    paste = (
        "Timestamp\tOre Type\tQuantity\tVolume\tEst. Price\tSolar System\tOre TypeID\tSolarSystemID\n"
        "2017.10.11\tTriclinic Bistot\t349\t5584.0\t962,161\tZ-Y9C3\t17428\t30003124\n"
        "2017.10.22\tPyroxeres\t1'435\t430.5\t2,253,447\tZ-Y9C3\t1224\t30003124\n"
        "2017.10.05\tTriclinic Bistot\t865\t13840.0\t1,999,603\tZ-Y9C3\t17428\t30003124"
    )
    items, rest = MiningLedgerParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Triclinic Bistot", 349, 2), ("Pyroxeres", 1435, 3), ("Triclinic Bistot", 865, 4)]
    assert rest == []


def test_moon_mining_ledger_both_copies() -> None:
    paste = (
        "2019.01.19\tCorp name\tminer 1\tZeolites\t8,625\t86,250 m³\t70,377,757 ISK\n"
        "2019.01.19\tCorp name\tminer 2\tBrimful Zeolites\t2.940\t29.400 m³\t38.004.556 ISK\n"
        "Timestamp\tCorporation\tPilot\tOre Type\tQuantity\tVolume\tEst. Price\tOre TypeID\tSolarSystemID\n"
        "2019.01.19\tCorp Name\tminer 1\tSylvite\t7667\t76670\t62560726\t45491\t30003687\n"
        "2019.01.19\tCorp Name\tminer 2\tCoesite\t612\t6120.0\t7911152\t45493\t30003687"
    )
    items, rest = MiningLedgerParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Zeolites", 8625, 1),
        ("Brimful Zeolites", 2940, 2),
        ("Sylvite", 7667, 4),
        ("Coesite", 612, 5),
    ]
    assert rest == []


def test_mining_ledger_without_quantity_column_uses_volume() -> None:
    items, rest = MiningLedgerParser().parse(lines_of("2026.11.20\tBitumens\t1,000 m³\t9,000,000 ISK"), NAMES)
    assert summary(items) == [("Bitumens", 100, 1)] and rest == []


def test_ledger_header_stays_without_rows_and_timestamps_are_not_ledgers() -> None:
    paste = "Timestamp\tOre Type\tQuantity\tVolume\n2026.11.20 18:02\tVeldspar\t100\t10 m³"
    items, rest = MiningLedgerParser().parse(lines_of(paste), NAMES)
    assert items == [] and [line.number for line in rest] == [1, 2]


def test_survey_scanner_with_group_headers() -> None:
    paste = (
        "Pyroxeres\t1,919\t5,842 m\n"
        "Pyroxeres\t11,595\t7,180 m\n"
        "Scordite\n"
        "Veldspar\n"
        "Veldspar\t10\t12 km\n"
        "Concentrated Veldspar\t26.644\t6.115 m\n"
        "Veldspar\t26 935\t12 km\n"
        "Mystery Rock\t100\t8 km\n"
        "\n"
        "Omber"
    )
    items, rest = SurveyScannerParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [
        ("Pyroxeres", 1919, 1),
        ("Pyroxeres", 11595, 2),
        ("Veldspar", 10, 5),
        ("Concentrated Veldspar", 26644, 6),
        ("Veldspar", 26935, 7),
    ]
    assert [(line.number, line.text) for line in rest] == [(8, "Mystery Rock\t100\t8 km"), (9, ""), (10, "Omber")]


def test_survey_scanner_group_header_with_total_and_locales() -> None:
    paste = f"Kernite\t2,000\nKernite\t1'500\t9{NBSP}000 m\nKernite\t500\t1,2 km\r\nPlagioclase\t40"
    items, rest = SurveyScannerParser().parse(lines_of(paste), NAMES)
    assert summary(items) == [("Kernite", 1500, 2), ("Kernite", 500, 3)]
    assert [line.number for line in rest] == [4]


def test_parsers_leave_foreign_lines_alone() -> None:
    paste = "Tritanium\t100\nRifter\n[Rifter, Fit]\n2026.11.20\tsomething\t12\n2026.11.20 18:02\tVeldspar\t100\t10 m³"
    lines = lines_of(paste)
    for parser in (LootHistoryParser(), WalletParser(), MiningLedgerParser(), SurveyScannerParser()):
        items, rest = parser.parse(lines, NAMES)
        assert items == [] and rest == lines, parser.name
