"""Corpus cases. Logs and ledgers: loot history, wallet transactions, mining and moon ledgers, survey scanner."""

from __future__ import annotations

from tests.core.appraisal.corpus import JITA, NBSP, NNBSP, case

# ----------------------------------------------------------------------------------------- loot history

LOOT = [
    case(
        "loot-log-lines",
        "03:21:19 Some dude has looted 5 x Tripped Power Circuit\n"
        "2026.11.20 18:02  Pilot Name has looted 12 x Alloyed Tritanium Bar\n"
        "03:22:40 Some dude has looted 1 x Ancient Gizmo\n"
        "[ 2026.11.20 18:04:11 ] A cool dude has looted 5'000 x Tritanium",
        {"Tripped Power Circuit": 5, "Alloyed Tritanium Bar": 12, "Tritanium": 5000},
        (3,),
    ),
    case(
        "loot-tab-rows",
        "18:02:11\tPilot Name\tTripped Power Circuit\t12\tSalvaged Materials\r\n"
        "18:02:14\tOther Pilot\tWarrior I\t2\tCombat Drone\r\n18:03:00\tPilot Name\tUnknown Widget\t3\tThings\r\n",
        {"Tripped Power Circuit": 12, "Warrior I": 2},
        (3,),
    ),
    case(
        "loot-duplicates-summed-across-variants",
        "03:21:19 A has looted 5 x Burned Logic Circuit\n03:21:25 B has looted 7 x Burned Logic Circuit\n"
        "03:21:40\tC\tBurned Logic Circuit\t3\tSalvaged Materials",
        {"Burned Logic Circuit": 15},
    ),
    case(
        "loot-locales",
        f"03:21:19 Dude has looted 1,000 x Tritanium\n03:21:20 Dude has looted 1.000 x Pyerite\n"
        f"03:21:21 Dude has looted 1{NBSP}000 x Mexallon\n03:21:22 Dude has looted 1{NNBSP}000 x Isogen\n"
        f"03:21:23\tDude\tNocxium\t1'000\tMineral",
        {"Tritanium": 1000, "Pyerite": 1000, "Mexallon": 1000, "Isogen": 1000, "Nocxium": 1000},
    ),
    case(
        "loot-pilot-names-with-has-and-x",
        "12:00:00 Xx has looted has looted 2 x Sleeper Data Library\n12:00:01 Mr x has looted 3 x Hobgoblin II",
        {"Sleeper Data Library": 2, "Hobgoblin II": 3},
    ),
    case(
        "loot-with-noise-lines",
        "Loot history\n03:21:19 Pilot has looted 40 x Antimatter Charge M\nshow: all\n"
        "03:21:20 Pilot has looted 1 x Mobile Tractor Unit",
        {"Antimatter Charge M": 40, "Mobile Tractor Unit": 1},
        (1, 3),
    ),
]

# --------------------------------------------------------------------------------- wallet transactions

WALLET = [
    case(
        "wallet-current-layout-buys-and-sells",
        f"2026.11.20 18:02\t10\tTritanium\t5.00 ISK\t-50.00 ISK\tSome Seller\t{JITA}\n"
        f"2026.11.20 18:05\t-3\tRifter\t450,000.00 ISK\t1,350,000.00 ISK\tSome Buyer\t{JITA}\n"
        "2026.11.20 18:07\t4\tMystery Item\t1.00 ISK\t-4.00 ISK\tSomeone\tAmarr VIII (Oris) - Emperor Family Academy\n"
        f"2026.11.20 18:09\t2\tTritanium\t5.00 ISK\t-10.00 ISK\tSome Seller\t{JITA}",
        {"Tritanium": 12, "Rifter": 3},
        (3,),
    ),
    case(
        "wallet-legacy-itemized-and-journal",
        "2014.01.04 05:49:31\tMarket Escrow\t-251.00 ISK\t325.22 ISK\tMarket escrow authorized by: Me\n"
        "2014.01.04 16:08\tRifter\t200,000.00 ISK\t1\t-200,000.00 ISK\tISK\tlady scarlette\tJita IV - Moon 4\n"
        "2014.12.19 20:04\tPlagioclase\t7'999.10 ISK\t1'000\t7'999'100.00 ISK\tISK\tOrmand Ishikela\tJita IV - Moon 4",
        {"Rifter": 1, "Plagioclase": 1000},
        (1,),
    ),
    case(
        "wallet-german-locale",
        "2026.11.20 18:02\t1.500\tTritanium\t5,00 ISK\t-7.500,00 ISK\tVerkäufer\tJita\n"
        "2026.11.21 09:00\t-2\tPLEX\t5.000.000,00 ISK\t10.000.000,00 ISK\tKäufer\tJita",
        {"Tritanium": 1500, "PLEX": 2},
    ),
    case(
        "wallet-french-locale-nbsp",
        f"2026.11.20 18:02\t1{NBSP}500\tPyerite\t5,00 ISK\t-7{NBSP}500,00 ISK\tVendeur\tJita\r\n"
        f"2026.11.20 18:03\t2{NNBSP}000\tPyerite\t5,00 ISK\t-10{NNBSP}000,00 ISK\tVendeur\tJita\r\n",
        {"Pyerite": 3500},
    ),
    case(
        "wallet-names-with-quotes-and-skill-injectors",
        f"2026.11.20 18:02\t-1\tLarge Skill Injector\t900,000,000.00 ISK\t900,000,000.00 ISK\tBuyer\t{JITA}\n"
        f"2026.11.20 18:03\t5\t'Augmented' Hammerhead\t1,000,000.00 ISK\t-5,000,000.00 ISK\tSeller\t{JITA}",
        {"Large Skill Injector": 1, "'Augmented' Hammerhead": 5},
    ),
]

# -------------------------------------------------------------------------------- mining and moon ledgers

LEDGERS = [
    case(
        "mining-ledger-personal-window",
        "2018.03.01\t Bright Spodumain\t24,993\t399,888 m³\t33,796,534 ISK\tQ-02UL\r\n"
        "2018.03.01\tVeldspar\t30.000\t3.000 m³\t450.000 ISK\tJita\r\n"
        "2018.03.02\tConcentrated Veldspar\t12 000\t1 200 m³\t190 000 ISK\tJita\r\n"
        "2018.03.02\tUnobtainium\t12\t12 m³\t1 ISK\tJita",
        {"Bright Spodumain": 24993, "Veldspar": 30000, "Concentrated Veldspar": 12000},
        (4,),
    ),
    case(
        "mining-ledger-export-with-header",
        "Timestamp\tOre Type\tQuantity\tVolume\tEst. Price\tSolar System\tOre TypeID\tSolarSystemID\n"
        "2017.10.11\tTriclinic Bistot\t349\t5584.0\t962,161\tZ-Y9C3\t17428\t30003124\n"
        "2017.10.22\tPyroxeres\t1'435\t430.5\t2,253,447\tZ-Y9C3\t1224\t30003124\n"
        "2017.10.05\tTriclinic Bistot\t865\t13840.0\t1,999,603\tZ-Y9C3\t17428\t30003124",
        {"Triclinic Bistot": 1214, "Pyroxeres": 1435},
    ),
    case(
        "moon-ledger-both-copies",
        "2019.01.19\tCorp name\tminer 1\tZeolites\t8,625\t86,250 m³\t70,377,757 ISK\n"
        "2019.01.19\tCorp name\tminer 2\tBrimful Zeolites\t2.940\t29.400 m³\t38.004.556 ISK\n"
        "Timestamp\tCorporation\tPilot\tOre Type\tQuantity\tVolume\tEst. Price\tOre TypeID\tSolarSystemID\n"
        "2019.01.19\tCorp Name\tminer 1\tSylvite\t7667\t76670\t62560726\t45491\t30003687\n"
        "2019.01.19\tCorp Name\tminer 2\tCoesite\t612\t6120.0\t7911152\t45493\t30003687",
        {"Zeolites": 8625, "Brimful Zeolites": 2940, "Sylvite": 7667, "Coesite": 612},
    ),
    case(
        "mining-ledger-quantity-column-hidden",
        "2026.11.20\tBitumens\t1,000 m³\t9,000,000 ISK\n2026.11.20\tVeldspar\t1.234,5 m3\t100.000 ISK",
        {"Bitumens": 100, "Veldspar": 12345},
    ),
    case(
        "mining-ledger-same-ore-summed",
        "2026.11.01\tScordite\t1 000\t150 m³\t20 000 ISK\tAmarr\n"
        "2026.11.02\tScordite\t2 500\t375 m³\t50 000 ISK\tAmarr\n"
        "2026.11.03\tDense Veldspar\t700\t70 m³\t9 000 ISK\tAmarr",
        {"Scordite": 3500, "Dense Veldspar": 700},
    ),
    case(
        "mining-ledger-ice-products",
        "2026.11.01\tHeavy Water\t13,000\t5,200 m³\t1,300,000 ISK\tGE-8JV\n"
        "2026.11.01\tStrontium Clathrates\t500\t1,500 m³\t2,000,000 ISK\tGE-8JV",
        {"Heavy Water": 13000, "Strontium Clathrates": 500},
    ),
]

# ----------------------------------------------------------------------------------------- survey scanner

SURVEY = [
    case(
        "survey-with-group-headers",
        "Pyroxeres\t1,919\t5,842 m\nPyroxeres\t11,595\t7,180 m\nScordite\nVeldspar\nVeldspar\t10\t12 km\n"
        "Concentrated Veldspar\t26.644\t6.115 m\nVeldspar\t26 935\t12 km\nMystery Rock\t100\t8 km\n\nOmber",
        {"Pyroxeres": 13514, "Veldspar": 26945, "Concentrated Veldspar": 26644, "Omber": 1},
        (8,),
    ),
    case(
        "survey-header-with-group-total",
        f"Kernite\t2,000\nKernite\t1'500\t9{NBSP}000 m\nKernite\t500\t1,2 km\r\nPlagioclase\t40",
        {"Kernite": 2000, "Plagioclase": 40},
    ),
    case(
        "survey-moon-ores-and-less-than-distance",
        "Zeolites\t12,000\t< 1 km\nSylvite\t8,000\t14 km\nBitumens\t900\t21 km",
        {"Zeolites": 12000, "Sylvite": 8000, "Bitumens": 900},
    ),
    case(
        "survey-crlf-stray-whitespace",
        "  Veldspar \r\n Veldspar\t 4,000 \t 9 km \r\nDense Veldspar\t3,000\t10 km\r\n",
        {"Veldspar": 4000, "Dense Veldspar": 3000},
    ),
    case(
        "survey-ice-field",
        "Heavy Water\t1\t15 km\nLiquid Ozone\t1\t22 km",
        {"Heavy Water": 1, "Liquid Ozone": 1},
    ),
]
