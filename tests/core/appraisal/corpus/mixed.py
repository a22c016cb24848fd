"""Corpus cases. Mixed pastes: several formats in one paste."""

from __future__ import annotations

from tests.core.appraisal.corpus import JITA, case
from tests.core.appraisal.corpus.fits import KILLMAIL

# ------------------------------------------------------------------------------------------- mixed pastes

MIXED = [
    case(
        "mixed-eft-and-cargo-scan",
        "[Rifter, tackle]\nDamage Control II\nWarp Scrambler II\n\n1 Drake\n2 Rifter Blueprint (Copy)",
        {"Rifter": 1, "Damage Control II": 1, "Warp Scrambler II": 1, "Drake": 1, "Rifter Blueprint (copy)": 2},
    ),
    case(
        "mixed-killmail-then-listing",
        KILLMAIL.split("Dropped items:")[0].rstrip() + "\n\nTritanium x 1000\n",
        {
            "Hurricane": 1,
            "425mm AutoCannon II": 4,
            "Republic Fleet EMP M": 1000,
            "Hobgoblin II": 3,
            "Damage Control II": 1,
            "Rifter Blueprint (copy)": 1,
            "Tritanium": 1000,
        },
        (38,),
    ),
    case(
        "mixed-dscan-and-wallet",
        "587\tRifter\tRifter\t12 km\n"
        f"2026.11.20 18:02\t10\tTritanium\t5.00 ISK\t-50.00 ISK\tSome Seller\t{JITA}\n587\tx\tRifter\t14 km",
        {"Rifter": 2, "Tritanium": 10},
    ),
    case(
        "mixed-inventory-pi-and-listing",
        "Tritanium\t100\tMineral\tMaterial\t\t\t1 m3\t\t\t500,00 ISK\nPrecious Metals\t6,000\n10x Rifter\n"
        "something unreadable",
        {"Tritanium": 100, "Precious Metals": 6000, "Rifter": 10},
        (4,),
    ),
    case(
        "mixed-loot-and-ledger-and-survey",
        "03:21:19 Dude has looted 5 x Tripped Power Circuit\n"
        "2018.03.01\tVeldspar\t30,000\t3,000 m³\t450,000 ISK\tJita\n"
        "Veldspar\t4,000\t9 km",
        {"Tripped Power Circuit": 5, "Veldspar": 34000},
    ),
    case(
        "mixed-contract-multibuy-and-heuristic",
        "Rokh\t1\tBattleship\tShip\t\nDamage Control II\t2\t300,000.00\t600,000.00\nTotal:\t\t\t600,000.00\n"
        "also need PLEX x 5 thanks",
        {"Rokh": 1, "Damage Control II": 2, "PLEX": 5},
    ),
    case(
        "mixed-industry-and-compare",
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\nTritanium\t2500\t0\t4.27\t34\n\n"
        "Small Armor Repairer II\tTech II\t40 GJ\t6 MW",
        {"Tritanium": 2500, "Small Armor Repairer II": 1},
    ),
    case(
        "mixed-everything-crlf",
        "[Caracal, pve]\r\nMedium Shield Extender II\r\n\r\n"
        "2024.03.03 20:00:00\r\nVictim: V\r\nDestroyed: Rifter\r\nDropped items:\r\nNull M, Qty: 100 (Cargo)\r\n\r\n"
        "35832\tKeepstar?\tAstrahus\t1 AU\r\n"
        "Hobgoblin II\tCombat Drone\tDrone Bay\t5\r\n"
        "Compressed Veldspar x 100 (Item Exchange)\r\n",
        {
            "Caracal": 1,
            "Medium Shield Extender II": 1,
            "Rifter": 1,
            "Null M": 100,
            "Astrahus": 1,
            "Hobgoblin II": 5,
            "Compressed Veldspar": 100,
        },
    ),
    case(
        "mixed-fitting-window-and-pi",
        "High power\n2x Mega Pulse Laser II\nCharges\n2x Scorch M\n\nCoolant\t40",
        {"Mega Pulse Laser II": 2, "Scorch M": 2, "Coolant": 40},
    ),
    case(
        "mixed-only-noise",
        "hello\r\n\r\n   \r\nthis is not a paste\t:)\r\n12345",
        {},
        (1, 4, 5),
    ),
]
