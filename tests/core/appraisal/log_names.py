"""An in-memory ItemsByName with the real type names the log and industry parser tests paste."""

from __future__ import annotations

from core.appraisal.model import ParsedItem
from tests.core.appraisal.names import NameLookup, items_of, lines_of

__all__ = ["NAMES", "LogNames", "lines_of", "summary"]

_TYPES: list[tuple[int, str, str, float]] = [
    (1230, "Veldspar", "Veldspar", 0.1),
    (17470, "Concentrated Veldspar", "Veldspar", 0.1),
    (62516, "Compressed Veldspar", "Veldspar", 0.001),
    (1228, "Scordite", "Scordite", 0.15),
    (1224, "Pyroxeres", "Pyroxeres", 0.3),
    (18, "Plagioclase", "Plagioclase", 0.35),
    (1227, "Omber", "Omber", 0.6),
    (20, "Kernite", "Kernite", 1.2),
    (17466, "Bright Spodumain", "Spodumain", 16.0),
    (17428, "Triclinic Bistot", "Bistot", 16.0),
    (45490, "Zeolites", "Ubiquitous Moon Asteroids", 10.0),
    (45491, "Sylvite", "Ubiquitous Moon Asteroids", 10.0),
    (45492, "Bitumens", "Ubiquitous Moon Asteroids", 10.0),
    (45493, "Coesite", "Ubiquitous Moon Asteroids", 10.0),
    (46284, "Brimful Zeolites", "Ubiquitous Moon Asteroids", 10.0),
    (34, "Tritanium", "Mineral", 0.01),
    (35, "Pyerite", "Mineral", 0.01),
    (36, "Mexallon", "Mineral", 0.01),
    (37, "Isogen", "Mineral", 0.01),
    (38, "Nocxium", "Mineral", 0.01),
    (11399, "Morphite", "Mineral", 0.01),
    (3645, "Water", "Basic Commodities - Tier 1", 0.38),
    (2393, "Bacteria", "Basic Commodities - Tier 1", 0.38),
    (2399, "Precious Metals", "Basic Commodities - Tier 1", 0.38),
    (2398, "Reactive Metals", "Basic Commodities - Tier 1", 0.38),
    (9832, "Coolant", "Refined Commodities - Tier 2", 1.5),
    (2268, "Aqueous Liquids", "Planet Liquid-Gas - Raw Resource", 0.01),
    (3828, "Construction Blocks", "Refined Commodities - Tier 2", 1.5),
    (25598, "Tripped Power Circuit", "Salvaged Materials", 0.01),
    (25595, "Alloyed Tritanium Bar", "Salvaged Materials", 0.01),
    (2488, "Warrior I", "Combat Drone", 5.0),
    (11530, "Plasma Thruster", "Construction Components", 1.0),
    (11478, "R.A.M.- Starship Tech", "Tool", 0.04),
    (20424, "Datacore - Mechanical Engineering", "Datacores", 0.1),
    (598, "Breacher", "Frigate", 2500.0),
    (691, "Rifter Blueprint", "Frigate Blueprint", 0.01),
    (1212, "Cap Booster 400 Blueprint", "Capacitor Booster Charge Blueprint", 0.01),
    (3831, "Small Armor Repairer I", "Armor Repair Unit", 5.0),
    (3833, "Small Armor Repairer II", "Armor Repair Unit", 5.0),
    (23414, "Republic Fleet Small Armor Repairer", "Armor Repair Unit", 5.0),
    (587, "Rifter", "Frigate", 2500.0),
]


class LogNames(NameLookup):
    """The NameLookup over the log and industry tests' types."""

    def __init__(self) -> None:
        super().__init__(items_of(_TYPES))


NAMES = LogNames()


def summary(items: list[ParsedItem]) -> list[tuple[str, int, int]]:
    """(name, quantity, line) of each item, for compact assertions."""
    return [(found.item.name, found.quantity, found.line) for found in items]
