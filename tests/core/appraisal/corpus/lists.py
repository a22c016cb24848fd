"""Corpus cases. Lists: listings in every spelling, cargo scans, the heuristic fallback."""

from __future__ import annotations

from tests.core.appraisal.corpus import NBSP, NNBSP, THIN, case

# ---------------------------------------------------------------------------------------------- listings

LISTINGS = [
    case("listing-bare-name", "Rifter", {"Rifter": 1}),
    case("listing-n-name", "10 Rifter", {"Rifter": 10}),
    case("listing-nx-name", "10x Rifter", {"Rifter": 10}),
    case("listing-n-x-name", "10 x Rifter", {"Rifter": 10}),
    case("listing-upper-x", "10 X Rifter", {"Rifter": 10}),
    case("listing-name-xn", "Rifter x10", {"Rifter": 10}),
    case("listing-name-x-n", "Rifter x 10", {"Rifter": 10}),
    case("listing-name-colon-n", "Rifter: 10", {"Rifter": 10}),
    case("listing-name-tab-n", "Rifter\t10", {"Rifter": 10}),
    case("listing-n-tab-name", "10\tRifter", {"Rifter": 10}),
    case("listing-name-space-n", "Rifter 10", {"Rifter": 10}),
    case("listing-name-dash-n", "Tritanium - 3,029,400", {"Tritanium": 3029400}),
    case("listing-name-equals-n", "Tritanium = 42", {"Tritanium": 42}),
    case("listing-multiplication-sign", "Rifter × 3\n4× Drake", {"Rifter": 3, "Drake": 4}),
    case("listing-lower-case-extra-spaces", "tritanium   x   5", {"Tritanium": 5}),
    case(
        "listing-name-ending-in-number",
        "Navy Cap Booster 400\nNavy Cap Booster 400 25\nCap Booster 800 100",
        {"Navy Cap Booster 400": 26, "Cap Booster 800": 100},
    ),
    case(
        "listing-name-starting-with-number",
        "125mm Gatling AutoCannon II\n2 125mm Gatling AutoCannon II",
        {"125mm Gatling AutoCannon II": 3},
    ),
    case(
        "listing-quotes-dashes-parentheses",
        "2x 'Augmented' Hammerhead\nFrostline 'Omnivore' Harvester Upgrade\n"
        "Tengu Defensive - Covert Reconfiguration 3\nWomen's 'Excursion' Pants (black) x 2\n"
        "R.A.M.- Starship Tech x 10",
        {
            "'Augmented' Hammerhead": 2,
            "Frostline 'Omnivore' Harvester Upgrade": 1,
            "Tengu Defensive - Covert Reconfiguration": 3,
            "Women's 'Excursion' Pants (black)": 2,
            "R.A.M.- Starship Tech": 10,
        },
    ),
    case(
        "listing-every-locale",
        f"1,000,000 Tritanium\n1.000.000 Pyerite\n1 000 000 Mexallon\n1{NBSP}000{NBSP}000 Isogen\n"
        f"1{NNBSP}000{NNBSP}000 Nocxium\n1'000'000 Zydrine\nMegacyte x 1{THIN}000",
        {
            "Tritanium": 1000000,
            "Pyerite": 1000000,
            "Mexallon": 1000000,
            "Isogen": 1000000,
            "Nocxium": 1000000,
            "Zydrine": 1000000,
            "Megacyte": 1000,
        },
    ),
    case(
        "listing-swiss-mined-minerals-crlf",
        "9'584'701 x Tritanium\r\n2'036'800 x Pyerite\r\n\r\n546'300 x Mexallon\r\n 12 x Unobtainium \r\n"
        "3'010 x Megacyte\r\n",
        {"Tritanium": 9584701, "Pyerite": 2036800, "Mexallon": 546300, "Megacyte": 3010},
        (5,),
    ),
    case(
        "listing-duplicates-summed",
        "Tritanium 100\n100 Tritanium\nTritanium x 100\ntritanium\nTRITANIUM: 99",
        {"Tritanium": 400},
    ),
    case(
        "listing-translated-star-names",
        "Hornet EC-300*\t10\nWarrior II* x 4",
        {"Hornet EC-300": 10, "Warrior II": 4},
    ),
    case(
        "listing-unknown-lines-reported",
        "PLEX\nSuper Mega Laser\n\n42\nLarge Skill Injector 3",
        {"PLEX": 1, "Large Skill Injector": 3},
        (2, 4),
    ),
    case(
        "listing-n-x-with-nbsp-and-trailing-space",
        f" 5{NBSP}x Mobile Depot \n Giant Secure Container x 2 ",
        {"Mobile Depot": 5, "Giant Secure Container": 2},
    ),
]

# --------------------------------------------------------------------------------------------- cargo scans

CARGO_SCANS = [
    case(
        "cargo-scan-with-blueprints",
        "1 Rifter\n12'000 Tritanium\n1 Rifter Blueprint (Copy)\n2 Drake Blueprint (Original)\n3 Plagioclase",
        {"Rifter": 1, "Tritanium": 12000, "Rifter Blueprint (copy)": 1, "Drake Blueprint": 2, "Plagioclase": 3},
    ),
    case(
        "cargo-scan-copies-summed-apart-from-originals",
        "3 Rifter Blueprint (Copy)\n2 Rifter Blueprint (Copy)\n1 Rifter Blueprint\n1 Rifter Blueprint (Original)",
        {"Rifter Blueprint (copy)": 5, "Rifter Blueprint": 2},
    ),
    case(
        "cargo-scan-industrial-haul",
        f"27{NBSP}000 Compressed Veldspar\n1 Giant Secure Container\n5 Mobile Tractor Unit\n1 Unknown Crate",
        {"Compressed Veldspar": 27000, "Giant Secure Container": 1, "Mobile Tractor Unit": 5},
        (4,),
    ),
    case(
        "listing-blueprint-copy-marker-before-the-quantity",
        "Rifter Blueprint (Copy) x 2\nRifter Blueprint (Copy)\t3\nRifter Blueprint (Copy): 4",
        {"Rifter Blueprint (copy)": 9},
    ),
    case(
        "cargo-scan-lower-case-copy-marker",
        "1 armageddon blueprint (copy)\n1 Armageddon Blueprint (COPY)",
        {"Armageddon Blueprint (copy)": 2},
    ),
]

# --------------------------------------------------------------------------------------- heuristic fallback

HEURISTIC = [
    case(
        "heuristic-miner-chat-line",
        "Procurer x 1- Medium Shield Extender II x 1- Ice Harvester II x 2- Mining Laser Upgrade II x 1",
        {"Procurer": 1, "Medium Shield Extender II": 1, "Ice Harvester II": 2, "Mining Laser Upgrade II": 1},
    ),
    case(
        "heuristic-number-then-name-columns",
        "177887021\tTritanium\n44461428\tUnobtainium",
        {"Tritanium": 177887021},
        (2,),
    ),
    case(
        "heuristic-wts-chat",
        "wts Caldari Navy Antimatter Charge M 5 000 units, pm me\nselling (Rifter Blueprint) and Rifter, 3 of them",
        {"Caldari Navy Antimatter Charge M": 5000, "Rifter Blueprint": 1, "Rifter": 3},
    ),
    case(
        "heuristic-no-volume-or-price-as-quantity",
        "Platinum: 15,828,569 m3\nRifter 350,000.00 ISK\nTritanium, 20",
        {"Platinum": 1, "Rifter": 1, "Tritanium": 20},
    ),
    case(
        "heuristic-never-invents",
        "o7 fly safe\n1000 isk\nAntimatter\nRifterBlueprint 5",
        {},
        (1, 2, 3, 4),
    ),
    case(
        "heuristic-pipe-and-semicolon-lists",
        "PLEX 10 | Large Skill Injector 2; Hobgoblin II 5",
        {"PLEX": 10, "Large Skill Injector": 2, "Hobgoblin II": 5},
    ),
    case(
        "heuristic-bullet-list",
        "- Damage Control II (x2)\n* Warrior II [5]\n# Nanite Repair Paste: 100 please",
        {"Damage Control II": 2, "Warrior II": 5, "Nanite Repair Paste": 100},
    ),
]
