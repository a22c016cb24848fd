"""Corpus cases. Industry windows: industry, compare window, planetary interaction."""

from __future__ import annotations

from tests.core.appraisal.corpus import JITA, NBSP, case

# ---------------------------------------------------------------------------------------- industry window

INDUSTRY = [
    case(
        "industry-copy-material-information",
        "Components\t\t\t\t\r\nItem\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Plasma Thruster\t30\t0\t75199.17\t11530\r\nStrange Part\t2\t0\t10.00\t99999\r\n\r\n"
        "Minerals\t\t\t\t\r\nItem\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Tritanium\t2,500\t10,000\t4.27\t34\r\nMorphite\t38\t0\t10558.3\t11399\r\n\r\n"
        "Planetary materials\t\t\t\t\r\nItem\tRequired\tAvailable\tEst. Unit price\ttypeID\r\n"
        "Construction Blocks\t30\t0\t11551.94\t3828\r\n\r\nItems\t\t\t\t\r\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\r\nBreacher\t1\t0\t393441.48\t598\r\n"
        "R.A.M.- Starship Tech\t3\t0\t314.02\t11478",
        {
            "Plasma Thruster": 30,
            "Tritanium": 2500,
            "Morphite": 38,
            "Construction Blocks": 30,
            "Breacher": 1,
            "R.A.M.- Starship Tech": 3,
        },
        (4,),
    ),
    case(
        "industry-datacores-and-no-optional-item",
        "Datacores\nItem\tRequired\tAvailable\tEst. Unit price\ttypeID\n"
        "Datacore - Mechanical Engineering\t60\t0\t43694.05\t20424\nOptional items\n"
        "Item\tRequired\tAvailable\tEst. Unit price\ttypeID\nNo item selected",
        {"Datacore - Mechanical Engineering": 60},
    ),
    case(
        "industry-german-header",
        "Mineralien\nGegenstand\tBenötigt\tVerfügbar\tGesch. Stückpreis\ttypeID\nTritanium\t1.234\t0\t4,27\t34\n"
        "Pyerite\t567\t0\t9,10\t35",
        {"Tritanium": 1234, "Pyerite": 567},
    ),
    case(
        "industry-units-lines",
        "Tritanium (4662 Units)\nPyerite (1,857 Units)\nIsogen (1 Unit)\nUnobtainium (4 Units)\n"
        f"Mexallon (1{NBSP}000 Units)",
        {"Tritanium": 4662, "Pyerite": 1857, "Isogen": 1, "Mexallon": 1000},
        (4,),
    ),
    case(
        "industry-blueprints-tab",
        f"Cap Booster 400 Blueprint\t10\t0\t-1\t2\t{JITA}\tItem hangar\tCharge\n"
        f"Rifter Blueprint\t10\t20\t-1\t0\t{JITA}\tItem hangar\tFrigate\n"
        "Rifter Blueprint\t0\t0\t1\tFrigate\n3 x Rifter Blueprint\t2\t4\t-1\t-1\tAmarr VIII\tItem hangar\tFrigate\n"
        "Prototype Gizmo Blueprint\t10\t20\t-1\t0\tJita\tItem hangar\tFrigate",
        {"Cap Booster 400 Blueprint (copy)": 1, "Rifter Blueprint": 4, "Rifter Blueprint (copy)": 1},
        (5,),
    ),
    case(
        "industry-rows-without-header-locales",
        f"Tritanium\t2.500\t0\t4,27\t34\nPyerite\t2{NBSP}500\t0\t9,10\t35\nMexallon\t2'500\t0\t40.1\t36",
        {"Tritanium": 2500, "Pyerite": 2500, "Mexallon": 2500},
    ),
]

# ---------------------------------------------------------------------------------------- compare window

COMPARE = [
    case(
        "compare-meta-group-rows",
        "Small Armor Repairer I\tTech I\t40 GJ\t5 MW\t5 tf\t6.00 s\t69 HP\tLevel 0\n"
        "Small Armor Repairer II\tTech II\t40 GJ\t6 MW\t6 tf\t6.00 s\t92 HP\tLevel 5\n"
        "'Gorget' Small Armor Repairer I\tStoryline\t40 GJ\t5 MW\t4 tf\t6.00 s\t92 HP\tLevel 6\n"
        "Republic Fleet Small Armor Repairer\tFaction\t36 GJ\t5 MW\t4 tf\t6.00 s\t83 HP\tLevel 7",
        {"Small Armor Repairer I": 1, "Small Armor Repairer II": 1, "Republic Fleet Small Armor Repairer": 1},
        (3,),  # the unknown named variant is reported, not priced as the base item its name embeds
    ),
    case(
        "compare-with-header-row",
        "Type\tMeta Level\tCPU usage\tPowergrid usage\r\nSmall Armor Repairer I\t0\t5 tf\t5 MW\r\n"
        "Small Armor Repairer II\t5\t6 tf\t6 MW\r\nMystery Repairer\t7\t4 tf\t5 MW\r\n"
        "Republic Fleet Small Armor Repairer\t7\t4 tf\t5 MW",
        {"Small Armor Repairer I": 1, "Small Armor Repairer II": 1, "Republic Fleet Small Armor Repairer": 1},
        (4,),
    ),
    case(
        "compare-ships",
        "Rifter\tTech I\t3 slots\t1,250 m/s\nBreacher\tTech I\t2 slots\t1,100 m/s",
        {"Rifter": 1, "Breacher": 1},
    ),
    case(
        "compare-name-header-and-meta-column",
        "Name\tMeta Group\tShield Bonus\nMedium Shield Extender II\tTech II\t2,625 HP\n"
        "Large Shield Extender II\tTech II\t5,000 HP",
        {"Medium Shield Extender II": 1, "Large Shield Extender II": 1},
    ),
]

# ----------------------------------------------------------------------------------- planetary interaction

PLANETARY = [
    case(
        "pi-storage-and-launchpad",
        "Precious Metals\t6,000\nWater\t305.0\t114.0\r\nBacteria\t12\t4,56 m³\nReactive Metals\t1 000,0\n"
        "Nanite Paste\t40",
        {"Precious Metals": 6000, "Water": 305, "Bacteria": 12, "Reactive Metals": 1000},
        (5,),
    ),
    case(
        "pi-routes",
        "331.0\tAqueous Liquids\tNot routed\n40\tCoolant\tRouted\n3\tCoolant\tSomewhere",
        # the row PlanetaryParser leaves (no routing state) still holds a real name and a number: the heuristic
        {"Aqueous Liquids": 331, "Coolant": 43},
    ),
    case(
        "pi-locales",
        f"Mechanical Parts\t6.000\nEnriched Uranium\t6{NBSP}000\nCoolant\t6'000\nConstruction Blocks\t6.000,0",
        {"Mechanical Parts": 6000, "Enriched Uranium": 6000, "Coolant": 6000, "Construction Blocks": 6000},
    ),
    case(
        "pi-same-commodity-summed",
        "Water\t100.0\t38.0\nWater\t250.0\t95.0\n40\tWater\tRouted",
        {"Water": 390},
    ),
    case(
        "pi-fractional-amount-stays",
        "Water\t1,5\nBacteria\t20",
        {"Water": 1, "Bacteria": 20},
        (),
    ),
]
