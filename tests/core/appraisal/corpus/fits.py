"""Corpus cases. Fits and combat: EFT, the fitting window, killmails, D-scan."""

from __future__ import annotations

from tests.core.appraisal.corpus import NBSP, NNBSP, case

# ---------------------------------------------------------------------------------------------------- EFT

# The fitting window's "Copy to clipboard" (EFT): low, mid, high, rigs, then drones and cargo, racks separated
# by blank lines, empty slots as "[Empty ... slot]".
VEXOR = """[Vexor, Vexor PvE]
Drone Damage Amplifier II
Drone Damage Amplifier II
Medium Armor Repairer II
Damage Control II

50MN Microwarpdrive II
Warp Scrambler II /OFFLINE
[Empty Med slot]

Heavy Neutron Blaster II, Null M
Heavy Neutron Blaster II, Null M
Heavy Neutron Blaster II, Antimatter Charge M /OFFLINE
[Empty High slot]

Medium Ancillary Current Router I
[Empty Rig slot]


Hammerhead II x5
Hobgoblin II x5


Antimatter Charge M x1000
Nanite Repair Paste x50
Hobgoblin II x2
"""

EFT = [
    case(
        "eft-vexor-in-game-export",
        VEXOR,
        {
            "Vexor": 1,
            "Drone Damage Amplifier II": 2,
            "Medium Armor Repairer II": 1,
            "Damage Control II": 1,
            "50MN Microwarpdrive II": 1,
            "Warp Scrambler II": 1,
            "Heavy Neutron Blaster II": 3,
            "Null M": 2,
            "Antimatter Charge M": 1001,
            "Medium Ancillary Current Router I": 1,
            "Hammerhead II": 5,
            "Hobgoblin II": 7,
            "Nanite Repair Paste": 50,
        },
    ),
    case(
        "eft-rifter-crlf-stray-spaces",
        "  [Rifter,Fleet Tackle]  \r\nDamage Control II\r\n\r\n1MN Afterburner II   \r\n"
        "\t200mm AutoCannon II,Barrage S\r\n200mm AutoCannon II, Barrage S\r\nBarrage S x1,200\r\n",
        {"Rifter": 1, "Damage Control II": 1, "1MN Afterburner II": 1, "200mm AutoCannon II": 2, "Barrage S": 1202},
    ),
    case(
        "eft-tengu-subsystems-with-dashes",
        '[Tengu, Tengu - "Covert" (ratting)]\nBallistic Control System II\nLarge Shield Extender II\n'
        "Multispectrum Shield Hardener II\nHeavy Missile Launcher II, Scourge Heavy Missile\n"
        "Tengu Defensive - Covert Reconfiguration\nTengu Offensive - Accelerated Ejection Bay\n\n"
        "Caldari Navy Scourge Heavy Missile x2'000",
        {
            "Tengu": 1,
            "Ballistic Control System II": 1,
            "Large Shield Extender II": 1,
            "Multispectrum Shield Hardener II": 1,
            "Heavy Missile Launcher II": 1,
            "Scourge Heavy Missile": 1,
            "Tengu Defensive - Covert Reconfiguration": 1,
            "Tengu Offensive - Accelerated Ejection Bay": 1,
            "Caldari Navy Scourge Heavy Missile": 2000,
        },
    ),
    case(
        "eft-unknown-module-and-charge-are-reported",
        "[Drake, Missiles]\nBallistic Control System II\nImaginary Module II\n"
        "Heavy Missile Launcher II, Imaginary Missile\nMedium Shield Extender II\n[Empty Low slot]\nWarrior III x5",
        # the heuristic still finds the real launcher on the line whose charge is unknown
        {"Drake": 1, "Ballistic Control System II": 1, "Medium Shield Extender II": 1, "Heavy Missile Launcher II": 1},
        (3, 7),
    ),
    case(
        "eft-fit-name-with-brackets",
        "[Rifter, [NPSI] tackle]\nDamage Control II\n[Empty Low slot]\n200mm AutoCannon II, Barrage S\n"
        "[Empty High slot]\n\nWarrior II x3",
        {"Rifter": 1, "Damage Control II": 1, "200mm AutoCannon II": 1, "Barrage S": 1, "Warrior II": 3},
    ),
    case(
        "eft-unknown-hull-modules-still-read",
        "[Shiny New Hull, test fit]\nDamage Control II\nSensor Booster II, Targeting Range Script",
        {"Damage Control II": 1, "Sensor Booster II": 1, "Targeting Range Script": 1},
        (1,),
    ),
    case(
        "eft-two-fits-back-to-back",
        "[Rifter, a]\n200mm AutoCannon II, Republic Fleet EMP S\n\n[Caracal, b]\nmedium shield extender ii\n"
        "Damage Control II\nHobgoblin II x3",
        {
            "Rifter": 1,
            "200mm AutoCannon II": 1,
            "Republic Fleet EMP S": 1,
            "Caracal": 1,
            "Medium Shield Extender II": 1,
            "Damage Control II": 1,
            "Hobgoblin II": 3,
        },
    ),
    case(
        "eft-cargo-names-with-commas-and-quotes",
        "[Raven, hauling junk]\nExotic Dancers, Female x2\nWomen's 'Excursion' Pants (black) x1\n"
        "Men's 'Esquire' Coat (red/gold) x3\nMobile Depot x1",
        {
            "Raven": 1,
            "Exotic Dancers, Female": 2,
            "Women's 'Excursion' Pants (black)": 1,
            "Men's 'Esquire' Coat (red/gold)": 3,
            "Mobile Depot": 1,
        },
    ),
    case(
        "eft-offline-lower-case-and-empty-slots-only",
        "[Thrasher, Empty]\n[Empty Low slot]\n[Empty Low slot]\n[Empty Med slot]\n[Empty High slot]\n"
        "Damage Control II /offline",
        {"Thrasher": 1, "Damage Control II": 1},
    ),
    case(
        "eft-cargo-quantities-in-client-locales",
        f"[Rifter, locales]\nTritanium x1.000\nPyerite x1{NBSP}000\nMexallon x1'000\nIsogen x1,000",
        {"Rifter": 1, "Tritanium": 1000, "Pyerite": 1000, "Mexallon": 1000, "Isogen": 1000},
    ),
    case(
        "eft-fit-then-a-listing-below",
        "[Rifter, tackle]\nWarp Scrambler II\nStasis Webifier II\n\nTritanium 500\nPLEX x 2",
        {"Rifter": 1, "Warp Scrambler II": 1, "Stasis Webifier II": 1, "Tritanium": 500, "PLEX": 2},
    ),
    case(
        "eft-sabre-with-drones-and-script",
        "[Sabre, bubbles]\nDamage Control II\n\n5MN Microwarpdrive II\nWarp Disruptor II\n"
        "Sensor Booster II, Targeting Range Script\n\n125mm Gatling AutoCannon II, Barrage S\n"
        "125mm Gatling AutoCannon II, Barrage S\n\n\nWarrior II x2\n\n\nTargeting Range Script x1",
        {
            "Sabre": 1,
            "Damage Control II": 1,
            "5MN Microwarpdrive II": 1,
            "Warp Disruptor II": 1,
            "Sensor Booster II": 1,
            "Targeting Range Script": 2,
            "125mm Gatling AutoCannon II": 2,
            "Barrage S": 2,
            "Warrior II": 2,
        },
    ),
]

# ---------------------------------------------------------------------------------------- fitting window

FITTING = [
    case(
        "fitting-window-every-section",
        "High power\n3x 200mm AutoCannon II\nMedium power\n1x 5MN Microwarpdrive II\n1x Warp Scrambler II\n"
        "1x Stasis Webifier II\nLow power\n1x Damage Control II\n2x Gyrostabilizer II\nRig Slot\n"
        "1x Small Projectile Burst Aerator I\n2x Small Polycarbon Engine Housing I\nCharges\n"
        "1,200x Republic Fleet EMP S\nDrones\n12 Warrior II\nCargo\nNanite Repair Paste x50\nMobile Depot\n"
        "Fuel\nHelium Isotopes",
        {
            "200mm AutoCannon II": 3,
            "5MN Microwarpdrive II": 1,
            "Warp Scrambler II": 1,
            "Stasis Webifier II": 1,
            "Damage Control II": 1,
            "Gyrostabilizer II": 2,
            "Small Projectile Burst Aerator I": 1,
            "Small Polycarbon Engine Housing I": 2,
            "Republic Fleet EMP S": 1200,
            "Warrior II": 12,
            "Nanite Repair Paste": 50,
            "Mobile Depot": 1,
            "Helium Isotopes": 1,
        },
    ),
    case(
        "fitting-window-crlf-and-unknown-module",
        "High Power\r\n2x Heavy Missile Launcher II\r\n1x Prototype Cloaking Device I\r\nLow Power\r\n"
        "1x Ballistic Control System II\r\nCharges\r\n8,718x Caldari Navy Scourge Heavy Missile\r\n",
        {
            "Heavy Missile Launcher II": 2,
            "Ballistic Control System II": 1,
            "Caldari Navy Scourge Heavy Missile": 8718,
        },
        (3,),
    ),
    case(
        "fitting-window-locales-and-subsystems",
        f"Subsystem\n1x Tengu Defensive - Covert Reconfiguration\nHigh power\n5x Heavy Missile Launcher II\n"
        f"Charges\n2.000x Scourge Heavy Missile\nCargo\n1{NBSP}500x Scourge Heavy Missile",
        {
            "Tengu Defensive - Covert Reconfiguration": 1,
            "Heavy Missile Launcher II": 5,
            "Scourge Heavy Missile": 3500,
        },
    ),
    case(
        "fitting-window-drone-bay-and-duplicates",
        "Medium power\n1x Large Shield Extender II\n1x Large Shield Extender II\nDrone Bay\n5x Hobgoblin II\n"
        "Hobgoblin II x3",
        {"Large Shield Extender II": 2, "Hobgoblin II": 8},
    ),
]

# ------------------------------------------------------------------------------------------- killmails

# The in-game killmail "Copy": date, victim block, every involved party, then the item blocks. An attacker
# flies the victim's ship type: only the destroyed Hurricane may be counted.
KILLMAIL = """2024.03.02 19:41:07

Victim: Some Poor Pilot
Corp: Victim Corp
Alliance: Victim Alliance
Faction: Unknown
Destroyed: Hurricane
System: Rancer
Security: 0.4
Damage Taken: 41872

Involved parties:

Name: Ganker One (laid the final blow)
Security: -9.8
Corp: Ganker Corp
Alliance: Ganker Alliance
Faction: Unknown
Ship: Rifter
Weapon: 200mm AutoCannon II
Damage Done: 30120

Name: Ganker Two
Security: -10.0
Corp: Ganker Corp
Alliance: None
Faction: None
Ship: Hurricane
Weapon: Hobgoblin II
Damage Done: 11752

Destroyed items:

425mm AutoCannon II, Qty: 4
Republic Fleet EMP M, Qty: 1,000 (Cargo)
Hobgoblin II, Qty: 3 (Drone Bay)
Damage Control II
Medium Projectile Wonder Rig I
Rifter Blueprint (Copy) (Cargo)

Dropped items:

425mm AutoCannon II, Qty: 2
Hammerhead II, Qty: 2 (Drone Bay)
Women's 'Excursion' Pants (black) (Cargo)
Mid-grade Crystal Alpha (Implant)"""

KILLMAILS = [
    case(
        "killmail-hurricane-full-copy",
        KILLMAIL,
        {
            "Hurricane": 1,
            "425mm AutoCannon II": 6,
            "Republic Fleet EMP M": 1000,
            "Hobgoblin II": 3,
            "Damage Control II": 1,
            "Rifter Blueprint (copy)": 1,
            "Hammerhead II": 2,
            "Women's 'Excursion' Pants (black)": 1,
            "Mid-grade Crystal Alpha": 1,
        },
        (38,),
    ),
    case(
        "killmail-pod-loss-crlf",
        "2024.03.02 19:45:10\r\n\r\n  Victim: Some Poor Pilot\r\nCorp: Victim Corp\r\nDestroyed: Capsule  \r\n"
        "Damage Taken: 512\r\n\r\nInvolved parties:\r\n\r\nName: Ganker One (laid the final blow)\r\n"
        "Ship: Sabre\r\nWeapon: Warp Disruptor II\r\nDamage Done: 512\r\n\r\nDropped items:\r\n\r\n"
        "  Mid-grade Crystal Alpha (Implant)   \r\n",
        {"Mid-grade Crystal Alpha": 1},
        (5,),
    ),
    case(
        "killmail-quantities-in-locales",
        "2024.05.01 10:00:00\nVictim: X\nDestroyed: Drake\nInvolved parties:\nName: Y (laid the final blow)\n"
        f"Ship: Caracal\nDestroyed items:\nScourge Heavy Missile, Qty: 1.234 (Cargo)\n"
        f"Nanite Repair Paste, Qty: 1{NBSP}000 (Cargo)\nDropped items:\nScourge Heavy Missile, Qty: 2'000 (Cargo)\n"
        "Heavy Missile Launcher II, Qty: 5",
        {"Drake": 1, "Scourge Heavy Missile": 3234, "Nanite Repair Paste": 1000, "Heavy Missile Launcher II": 5},
    ),
    case(
        "killmail-attackers-ships-never-counted",
        "2024.03.03 20:00\nVictim: Another Pilot\nDestroyed: Rifter\nInvolved parties:\n"
        "Name: A (laid the final blow)\nShip: Drake\nWeapon: Scourge Heavy Missile\nName: B\nShip: Raven\n"
        "Weapon: Raven\nDestroyed items:\n200mm AutoCannon II, Qty: 2",
        {"Rifter": 1, "200mm AutoCannon II": 2},
    ),
    case(
        "killmail-unknown-items-reported",
        "2024.03.03 20:00:00\nVictim: V\nDestroyed: Caracal\nDestroyed items:\nTotally Unknown Thing, Qty: 3\n"
        "Medium Shield Extender II, Qty: 2\nDropped items:\nSome Faction Module (Cargo)",
        {"Caracal": 1, "Medium Shield Extender II": 2},
        (5, 8),
    ),
    case(
        "killmail-blueprint-copy-and-original",
        "2024.03.03 20:00:00\nVictim: V\nDestroyed: Noctis\nDropped items:\nRifter Blueprint (Copy) (Cargo)\n"
        "Rifter Blueprint, Qty: 2 (Copy) (Cargo)\nDrake Blueprint (Cargo)",
        {"Noctis": 1, "Rifter Blueprint (copy)": 3, "Drake Blueprint": 1},
    ),
    case(
        "killmail-two-mails-pasted-together",
        "2024.03.02 19:41:07\nVictim: A\nDestroyed: Tayra\nDestroyed items:\nTritanium, Qty: 10,000 (Cargo)\n\n"
        "2024.03.02 19:55:00\nVictim: B\nDestroyed: Tayra\nDropped items:\nTritanium, Qty: 5,000 (Cargo)",
        {"Tayra": 2, "Tritanium": 15000},
    ),
    case(
        "killmail-only-the-item-block",
        "Dropped items:\nWarrior II, Qty: 5 (Drone Bay)\nNull M, Qty: 400 (Cargo)\n",
        {"Warrior II": 5, "Null M": 400},
    ),
    case(
        "killmail-moon-and-structure-fields",
        "2024.06.01 01:02:03\nVictim: Corp Structure\nCorp: Owner Corp\nAlliance: None\nFaction: None\n"
        "Destroyed: Astrahus\nSystem: Jita\nSecurity: 0.9\nMoon: Jita IV - Moon 4\nDamage Taken: 9000000\n"
        "Involved parties:\nName: Z (laid the final blow)\nShip: Raven\nDamage Done: 9000000\n"
        "Dropped items:\nPLEX, Qty: 500 (Cargo)",
        {"Astrahus": 1, "PLEX": 500},
    ),
]

# ---------------------------------------------------------------------------------------------- D-scan

DSCAN = [
    case(
        "dscan-four-columns",
        "24702\tSome Pilot's Hurricane\tHurricane\t1,234 km\n670\tCapsule\tCapsule\t-\n"
        f"587\tRifter\tRifter\t3{NBSP}225 m\r\n24702\tHurricane\tHurricane\t2.4 AU\n"
        "40009087\tJita IV - Moon 4\tMoon\t4.7 AU\n2456\tHobgoblin II\tHobgoblin II\t12 km\n"
        "24702\tLoot pinata\thurricane\t-\n  2456\tHobgoblin II\tHobgoblin II\t11 km  \n",
        {"Hurricane": 3, "Rifter": 1, "Hobgoblin II": 2},
        (2, 5),
    ),
    case(
        "dscan-three-column-legacy",
        "+\tNoctis\t3,225 m\nsome dude's Stabber Fleet Issue\tStabber Fleet Issue\t-\nWreck\tTayra\t82 km\n"
        "+\tNoctis\t9 km",
        {"Noctis": 2, "Stabber Fleet Issue": 1, "Tayra": 1},
    ),
    case(
        "dscan-structure-and-fleet-crlf",
        "35832\tJita - Trade Hub\tAstrahus\t0.8 AU\r\n24698\tRavenous\tDrake\t12,000 km\r\n"
        "24698\tDragon\tDrake\t12.001 km\r\n24698\tx\tDrake\t12 001 km\r\n621\tCara\tCaracal\t-\r\n",
        {"Astrahus": 1, "Drake": 3, "Caracal": 1},
    ),
    case(
        "dscan-only-celestials-are-unparsed",
        "40009077\tJita IV\tPlanet (Oceanic)\t2.1 AU\n40009087\tJita IV - Moon 4\tMoon\t4.7 AU\n"
        "30000142\tJita\tSun K7 (Orange)\t10 AU",
        {},
        (1, 2, 3),
    ),
    case(
        "dscan-many-drones-counted",
        "\n".join(["2488\tWarrior II\tWarrior II\t8 km"] * 5 + ["2185\tHammerhead II\tHammerhead II\t15 km"] * 3),
        {"Warrior II": 5, "Hammerhead II": 3},
    ),
    case(
        "dscan-thin-space-distance",
        f"17480\tMiner Bob's Procurer\tProcurer\t12{NNBSP}345 km\n17478\tx\tRetriever\t9{NNBSP}999 m",
        {"Procurer": 1, "Retriever": 1},
    ),
]
