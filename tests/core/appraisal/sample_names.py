"""An in-memory ItemsByName with real EVE item names, and a helper that turns a paste into numbered Lines."""

from __future__ import annotations

from core.catalog import CatalogItem
from tests.core.appraisal.names import NameLookup, lines_of

__all__ = ["ITEMS", "SampleNames", "lines_of"]

_NAMES = [
    # (type id, name, group, packaged volume m3); ids are for telling items apart, not a reference
    (34, "Tritanium", "Mineral", 0.01),
    (35, "Pyerite", "Mineral", 0.01),
    (36, "Mexallon", "Mineral", 0.01),
    (37, "Isogen", "Mineral", 0.01),
    (38, "Nocxium", "Mineral", 0.01),
    (39, "Zydrine", "Mineral", 0.01),
    (40, "Megacyte", "Mineral", 0.01),
    (11399, "Morphite", "Mineral", 0.01),
    (1230, "Veldspar", "Veldspar", 0.1),
    (28432, "Compressed Veldspar", "Veldspar", 0.001),
    (16644, "Platinum", "Moon Materials", 0.05),
    (16272, "Heavy Water", "Ice Product", 0.4),
    (16275, "Strontium Clathrates", "Ice Product", 3.0),
    (44992, "PLEX", "Special Edition Commodities", 0.01),
    (40520, "Large Skill Injector", "Skill Injectors", 0.01),
    (587, "Rifter", "Frigate", 2500.0),
    (691, "Rifter Blueprint", "Frigate Blueprint", 0.01),
    (24698, "Drake", "Combat Battlecruiser", 15000.0),
    (24699, "Drake Blueprint", "Combat Battlecruiser Blueprint", 0.01),
    (24688, "Rokh", "Battleship", 50000.0),
    (638, "Raven", "Battleship", 50000.0),
    (643, "Armageddon", "Battleship", 50000.0),
    (997, "Armageddon Blueprint", "Battleship Blueprint", 0.01),
    (621, "Caracal", "Cruiser", 10000.0),
    (17478, "Retriever", "Mining Barge", 3750.0),
    (17480, "Procurer", "Mining Barge", 3750.0),
    (2488, "Warrior II", "Combat Drone", 5.0),
    (2185, "Hammerhead II", "Combat Drone", 10.0),
    (28272, "'Augmented' Hammerhead", "Combat Drone", 10.0),
    (23707, "Hornet EC-300", "Electronic Warfare Drone", 5.0),
    (2048, "Damage Control II", "Damage Control", 5.0),
    (2281, "Multispectrum Shield Hardener II", "Shield Hardener", 5.0),
    (3841, "Large Shield Extender II", "Shield Extender", 15.0),
    (3831, "Medium Shield Extender I", "Shield Extender", 10.0),
    (12058, "10MN Afterburner II", "Propulsion Module", 5.0),
    (12076, "50MN Microwarpdrive II", "Propulsion Module", 10.0),
    (5973, "5MN Y-T8 Compact Microwarpdrive", "Propulsion Module", 10.0),
    (2873, "125mm Gatling AutoCannon II", "Projectile Weapon", 5.0),
    (3057, "Mega Pulse Laser II", "Energy Weapon", 20.0),
    (22291, "Ballistic Control System II", "Missile Guidance Enhancer", 5.0),
    (16242, "Ice Harvester II", "Strip Miner", 25.0),
    (22542, "Mining Laser Upgrade II", "Mining Upgrade", 5.0),
    (41034, "Frostline 'Omnivore' Harvester Upgrade", "Mining Upgrade", 5.0),
    (31718, "Medium Core Defense Field Extender I", "Rig Shield", 10.0),
    (29984, "Tengu", "Strategic Cruiser", 10000.0),
    (45586, "Tengu Defensive - Covert Reconfiguration", "Defensive Systems", 40.0),
    (21894, "Republic Fleet EMP S", "Projectile Ammo", 0.0025),
    (23037, "Caldari Navy Antimatter Charge M", "Hybrid Charge", 0.0125),
    (230, "Antimatter Charge M", "Hybrid Charge", 0.0125),
    (209, "Scourge Light Missile", "Light Missile", 0.015),
    (12814, "Scorch M", "Advanced Pulse Laser Crystal", 1.0),
    (263, "Cap Booster 800", "Capacitor Booster Charge", 32.0),
    (32014, "Navy Cap Booster 400", "Capacitor Booster Charge", 16.0),
    (28668, "Nanite Repair Paste", "Nanite Repair Paste", 0.01),
    (30747, "Sleeper Data Library", "Sleeper Components", 0.01),
    (3689, "Mechanical Parts", "Refined Commodities", 1.5),
    (44, "Enriched Uranium", "Refined Commodities", 1.5),
    (2867, "Giant Secure Container", "Secure Cargo Container", 3000.0),
    (33475, "Mobile Tractor Unit", "Mobile Tractor Unit", 100.0),
    (23757, "Men's 'Esquire' Coat (red/gold)", "Outer", 0.1),
]
ITEMS = [CatalogItem(type_id, name, group, volume) for type_id, name, group, volume in _NAMES]


class SampleNames(NameLookup):
    """The NameLookup over ITEMS."""

    def __init__(self, items: list[CatalogItem] = ITEMS) -> None:
        super().__init__(items)
