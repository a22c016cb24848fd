"""Corpus cases. Trade windows: multibuy, contracts, inventory and assets."""

from __future__ import annotations

from tests.core.appraisal.corpus import NBSP, NNBSP, THIN, case

# ------------------------------------------------------------------------------------------------ multibuy

MULTIBUY = [
    case(
        "multibuy-export-with-total",
        "Multispectrum Shield Hardener II\t2\t1,234,567.89\t2,469,135.78\n"
        "Republic Fleet EMP S\t5.000\t42,50\t212.500,00\nFake Module\t1\t10.00\t10.00\n"
        "Damage Control II\t1\t-\t-\nTotal:\t\t\t2,681,645.78\n",
        {"Multispectrum Shield Hardener II": 2, "Republic Fleet EMP S": 5000, "Damage Control II": 1},
        (3,),
    ),
    case(
        "multibuy-nbsp-totals-and-duplicates",
        f"Tritanium\t1{NBSP}000{NBSP}000\t4,50\t4{NBSP}500{NBSP}000,00\nTritanium\t500\t4,50\t2{NBSP}250,00\n"
        f"Total:\t\t\t4{NBSP}502{NBSP}250,00",
        {"Tritanium": 1000500},
    ),
    case(
        "multibuy-translated-star-names",
        "Hornet EC-300*\t10\t12.000,00\t120.000,00\nWarrior II*\t5\t300.000,00\t1.500.000,00\nTotal:\t\t\t1.620.000,00",
        {"Hornet EC-300": 10, "Warrior II": 5},
    ),
    case(
        "multibuy-lone-total-is-unparsed",
        "Total:\t\t\t964.900,00",
        {},
        (1,),
    ),
    case(
        "multibuy-isk-suffix-and-empty-prices",
        "PLEX\t500\t5,000,000.00 ISK\t2,500,000,000.00 ISK\nLarge Skill Injector\t2\t\t\nTotal:\t2,500,000,000.00 ISK",
        {"PLEX": 500, "Large Skill Injector": 2},
    ),
]

# ----------------------------------------------------------------------------------------------- contracts

CONTRACTS = [
    case(
        "contract-packaged-ship-with-header",
        "Name\tQuantity\tType\tCategory\tDetails\r\nRokh\t1\tBattleship\tShip\t\r\n"
        " Medium Core Defense Field Extender I\t1\tRig Shield\tModule\tFitted\r\n"
        " Scorch M\t1\tAdvanced Pulse Laser Crystal\tCharge\tFitted 72% damaged\r\n"
        " Hammerhead II\t5\tCombat Drone\tDrone\tDrone Bay\r\n"
        " Nanite Repair Paste\t1,000\tNanite Repair Paste\tCommodity\tCargo Hold\r\n"
        " Officer's Mystery Box\t1\tCargo Container\tCelestial\t\r\n",
        {
            "Rokh": 1,
            "Medium Core Defense Field Extender I": 1,
            "Scorch M": 1,
            "Hammerhead II": 5,
            "Nanite Repair Paste": 1000,
        },
        (7,),
    ),
    case(
        "contract-blueprint-copies-and-originals",
        "Rifter Blueprint\t1\tFrigate Blueprint\tBlueprint\t"
        "BLUEPRINT COPY - Runs: 10 - Material Efficiency: 10 - Time Efficiency: 20\n"
        "Armageddon Blueprint\t1\tBattleship Blueprint\tBlueprint\t"
        "BLUEPRINT COPY - Runs: 9 - Material Level: 29 - Productivity Level: 0\n"
        "Drake Blueprint\t1\tCombat Battlecruiser Blueprint\tBlueprint\tBLUEPRINT COPY\n"
        "Drake Blueprint\t1\tCombat Battlecruiser Blueprint\tBlueprint\t"
        "ORIGINAL BLUEPRINT - Material Efficiency: 6 - Time Efficiency: 12",
        {
            "Rifter Blueprint (copy)": 1,
            "Armageddon Blueprint (copy)": 1,
            "Drake Blueprint (copy)": 1,
            "Drake Blueprint": 1,
        },
    ),
    case(
        "contract-locales-and-translated-names",
        "Zydrine\t10 102\tMineral\tMaterial\t\nRokh\t12'000\tBattleship\tShip\t\n"
        "Tritanium\t1.234.567\tMineral\tMaterial\t\nPyerite\t1,234,567\tMineral\tMaterial\t\n"
        f"Isogen\t1{NBSP}000\tMineral\tMaterial\t\n"
        " Hornet EC-300*\t10\tДрон электронного противодействия*\tДрон*\tОтсек для дронов\n"
        "Mega Pulse Laser II\t9000\tEnergy Weapon",
        {
            "Zydrine": 10102,
            "Rokh": 12000,
            "Tritanium": 1234567,
            "Pyerite": 1234567,
            "Isogen": 1000,
            "Hornet EC-300": 10,
            "Mega Pulse Laser II": 9000,
        },
    ),
    case(
        "contract-summary-lines",
        "Compressed Veldspar x 21163 (Item Exchange)\nRifter x 1 (Auction) \nUnobtainium x 5 (Item Exchange)\n"
        "Rifter x 2",
        {"Compressed Veldspar": 21163, "Rifter": 3},
        (3,),
    ),
    case(
        "contract-summary-with-grouped-quantity",
        "Compressed Veldspar x 21,163 (Item Exchange)\nPLEX x 1 000 (Item Exchange)\nRaven x 1 (Courier)",
        {"Compressed Veldspar": 21163, "PLEX": 1000, "Raven": 1},
    ),
    case(
        "contract-summary-name-with-x",
        "Exotic Dancers, Female x 10 (Item Exchange)\nTengu Defensive - Covert Reconfiguration x 2 (Auction)",
        {"Exotic Dancers, Female": 10, "Tengu Defensive - Covert Reconfiguration": 2},
    ),
    case(
        "contract-duplicates-summed",
        "Hobgoblin II\t5\tCombat Drone\tDrone\tDrone Bay\nHobgoblin II\t3\tCombat Drone\tDrone\tCargo Hold\n"
        "Hobgoblin II\t2\tCombat Drone\tDrone\t",
        {"Hobgoblin II": 10},
    ),
]

# ------------------------------------------------------------------------------------- inventory / assets

INVENTORY = [
    case(
        "inventory-detail-every-column",
        "50MN Microwarpdrive II\t\tPropulsion Module\tModule\tLarge\tMedium\t10 m3\t5\t2\t5,044,358.31 ISK\n"
        "5MN Y-T8 Compact Microwarpdrive\t3\tPropulsion Module\tModule\tSmall\tMedium\t30 m3\t1\t1\t960,279.42 ISK\n"
        "Tritanium\t1,234,567\tMineral\tMaterial\t\t\t12,345.67 m3\t\t\t6,543,210.00 ISK\n"
        "Shiny Unknown Thing\t1\tWidget\tModule\t\t\t1 m3\t\t\t1.00 ISK\n",
        {"50MN Microwarpdrive II": 1, "5MN Y-T8 Compact Microwarpdrive": 3, "Tritanium": 1234567},
        (4,),
    ),
    case(
        "inventory-detail-german-crlf",
        "Platinum\t24.647\tMoon Materials\tMaterial\t\t\t1.232,35 m3\t\tNone\t221.440.478,56 ISK\r\n"
        f"  Compressed Veldspar \t 1{NBSP}080 \tVeldspar\tAsteroid\t\t\t1,08 m3\t\t\t123.456,78 ISK  \r\n",
        {"Platinum": 24647, "Compressed Veldspar": 1080},
    ),
    case(
        "inventory-column-subsets",
        "Drake\t1\tCombat Battlecruiser\nDrake\t1\tCombat Battlecruiser\t\t\t15,000 m3\n"
        "Drake\t1\tCombat Battlecruiser\tShip\nDrake\t1\tCombat Battlecruiser\tShip\t\t\t15.000 m3\n"
        "Drake\t1\tCombat Battlecruiser\t\t\t\t\t\t\t54,123,456.00 ISK\n"
        "Drake\t\tCombat Battlecruiser\tShip\tLarge\t\t15 000 m3\t0\t1\t54 123 456,00 ISK\n"
        "drake\t1\tcombat battlecruiser",
        {"Drake": 7},
    ),
    case(
        "assets-window-rows",
        "Sleeper Data Library\t1080\tSleeper Components\t\t\t10.82 m3\n"
        f"Antimatter Charge M\t100{NBSP}000\tHybrid Charge\tMedium\t\t1{NBSP}250 m3\n"
        "Rokh\t12'000\tBattleship\t\t\t50,000 m3\nWarrior II\t9\tCombat Drone\n"
        "Quafe Zero Classic\t12\tBooster\tImplant\t\t1\t12 m3\n",
        {"Sleeper Data Library": 1080, "Antimatter Charge M": 100000, "Rokh": 12000, "Warrior II": 9},
        (5,),
    ),
    case(
        "view-contents-with-locations",
        "Multispectrum Shield Hardener II\tShield Hardener\tMedium Slot\t1\n"
        "50MN Microwarpdrive II\tPropulsion Module\tMedium Slot\t1\nHammerhead II\tCombat Drone\tDrone Bay\t5\n"
        "Heavy Water\tIce Product\tFuel Bay\t20,000\n"
        "Tengu Defensive - Covert Reconfiguration\tDefensive Systems\tSubsystem\t1\n"
        "Medium Core Defense Field Extender I\tRig Shield\tRig Slot\t1\n"
        "Nanite Repair Paste\tNanite Repair Paste\tCargo Hold\t250\n"
        "Giant Secure Container\tSecure Cargo Container\t\t1\nMen's 'Esquire' Coat (red/gold)\tOuter\t1\n"
        "Prototype Cloak\tCloaking Device\tHigh Slot\t1",
        {
            "Multispectrum Shield Hardener II": 1,
            "50MN Microwarpdrive II": 1,
            "Hammerhead II": 5,
            "Heavy Water": 20000,
            "Tengu Defensive - Covert Reconfiguration": 1,
            "Medium Core Defense Field Extender I": 1,
            "Nanite Repair Paste": 250,
            "Giant Secure Container": 1,
            "Men's 'Esquire' Coat (red/gold)": 1,
        },
        (10,),
    ),
    case(
        "inventory-blueprint-copies-have-no-price",
        "Rifter Blueprint\t\tFrigate Blueprint\tBlueprint\t\t\t0,01 m3\t\t\t\n"
        "Drake Blueprint\t\tCombat Battlecruiser Blueprint\tBlueprint\t\t\t0,01 m3\t\t\t1.234.567.890,00 ISK\n"
        "Armageddon Blueprint\t2\tBattleship Blueprint\tBlueprint\tBlueprint Copy\n"
        "Tritanium\t100\tMineral\tMaterial\t\t\t1 m3\t\t\t500,00 ISK",
        {
            "Rifter Blueprint (copy)": 1,
            "Drake Blueprint": 1,
            "Armageddon Blueprint (copy)": 2,
            "Tritanium": 100,
        },
    ),
    case(
        "inventory-unpriced-blueprints-are-originals",
        "Rifter Blueprint\t\tFrigate Blueprint\tBlueprint\nDrake Blueprint\t1\tCombat Battlecruiser Blueprint",
        {"Rifter Blueprint": 1, "Drake Blueprint": 1},
    ),
    case(
        "inventory-detail-duplicates-summed",
        "Hobgoblin II\t5\tCombat Drone\tDrone\t\t\t25 m3\t\t\t3,000,000.00 ISK\n"
        "Hobgoblin II\t\tCombat Drone\tDrone\t\t\t5 m3\t\t\t600,000.00 ISK\n"
        "Hobgoblin II\t10\tCombat Drone\tDrone\t\t\t50 m3\t\t\t6,000,000.00 ISK",
        {"Hobgoblin II": 16},
    ),
    case(
        "inventory-swiss-and-thin-space-quantities",
        "Tritanium\t1'234'567\tMineral\tMaterial\t\t\t12'345.67 m3\t\t\t6'543'210.00 ISK\n"
        f"Pyerite\t7{THIN}500\tMineral\tMaterial\t\t\t75 m3\t\t\t75{THIN}000,00 ISK\n"
        f"Mexallon\t2{NNBSP}000\tMineral\tMaterial\t\t\t20 m3\t\t\t120{NNBSP}000,00 ISK",
        {"Tritanium": 1234567, "Pyerite": 7500, "Mexallon": 2000},
    ),
    case(
        "inventory-translated-star-names",
        "Tritanium*\t1 000\tMinéral*\tMatériel*\t\t\t10 m3\t\t\t4 500,00 ISK\n"
        "Hobgoblin II*\t5\tDrone de combat*\tDrone*\t\t\t25 m3\t\t\t3 000 000,00 ISK",
        {"Tritanium": 1000, "Hobgoblin II": 5},
    ),
    case(
        "inventory-ship-hangar-assembled-ships",
        "Rifter\t\tFrigate\tShip\tSmall\t\t27,289 m3\t0\t1\t450,000.00 ISK\n"
        "Rifter\t3\tFrigate\tShip\tSmall\t\t7,500 m3\t0\t1\t1,350,000.00 ISK\n"
        "Procurer\t\tMining Barge\tShip\tMedium\t\t200,000 m3\t0\t1\t15,000,000.00 ISK",
        {"Rifter": 4, "Procurer": 1},
    ),
]
