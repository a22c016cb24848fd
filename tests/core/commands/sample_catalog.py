"""A small in-memory CatalogSource with real item and location names, shared by the command and catalog tests."""

from __future__ import annotations

from collections.abc import Sequence

from core.catalog import Catalog, CatalogItem
from core.catalog_groups import MarketTree
from tests.core.commands.sample_groups import LOCALIZED, MARKET_GROUPS, TYPE_GROUPS

ITEMS = [
    CatalogItem(34, "Tritanium", "Mineral", 0.01),
    CatalogItem(35, "Pyerite", "Mineral", 0.01),
    CatalogItem(36, "Mexallon", "Mineral", 0.01),
    CatalogItem(37, "Isogen", "Mineral", 0.01),
    CatalogItem(38, "Nocxium", "Mineral", 0.01),
    CatalogItem(39, "Zydrine", "Mineral", 0.01),
    CatalogItem(40, "Megacyte", "Mineral", 0.01),
    CatalogItem(11399, "Morphite", "Mineral", 0.01),
    CatalogItem(44992, "PLEX", "Special Edition Commodities", 0.01),
    CatalogItem(40520, "Large Skill Injector", "Skill Injectors", 0.01),
    CatalogItem(45635, "Small Skill Injector", "Skill Injectors", 0.01),
    CatalogItem(40519, "Skill Extractor", "Skill Extractors", 0.01),
    CatalogItem(33475, "Mobile Tractor Unit", "Mobile Tractor Unit", 100.0),
    CatalogItem(33474, "Mobile Depot", "Mobile Depot", 50.0),
    CatalogItem(1230, "Veldspar", "Veldspar", 0.1),
    CatalogItem(28432, "Compressed Veldspar", "Veldspar", 0.001),
    CatalogItem(1228, "Scordite", "Scordite", 0.15),
    CatalogItem(3057, "Mega Pulse Laser II", "Energy Weapon", 20.0),
    CatalogItem(3041, "Mega Pulse Laser I", "Energy Weapon", 20.0),
    CatalogItem(3841, "Large Shield Extender II", "Shield Extender", 15.0),
    CatalogItem(2048, "Damage Control II", "Damage Control", 5.0),
    CatalogItem(24698, "Drake", "Battlecruiser", 15000.0),
    CatalogItem(638, "Raven", "Battleship", 50000.0),
    CatalogItem(587, "Rifter", "Frigate", 2500.0),
    CatalogItem(621, "Caracal", "Cruiser", 10000.0),
    CatalogItem(28668, "Nanite Repair Paste", "Nanite Repair Paste", 0.01),
    CatalogItem(17889, "Hydrogen Isotopes", "Ice Product", 0.03),
    CatalogItem(16274, "Helium Isotopes", "Ice Product", 0.03),
    CatalogItem(16275, "Strontium Clathrates", "Ice Product", 3.0),
    CatalogItem(16273, "Liquid Ozone", "Ice Product", 0.4),
    CatalogItem(527, "Stasis Webifier II", "Stasis Web", 5.0),
]
REGIONS = [(10000002, "The Forge"), (10000043, "Domain"), (10000032, "Sinq Laison"), (10000060, "Delve")]
SYSTEMS = [(30000142, "Jita", 10000002), (30000144, "Perimeter", 10000002), (30002187, "Amarr", 10000043)]
STATIONS = [
    (60003760, "Jita IV - Moon 4 - Caldari Navy Assembly Plant", 30000142, 10000002),
    (60000004, "Perimeter II - Moon 1 - Caldari Business Tribunal", 30000144, 10000002),
]


class MemoryCatalogSource:
    """CatalogSource over the lists above."""

    async def market_types(self) -> Sequence[CatalogItem]:
        return ITEMS

    async def regions(self) -> Sequence[tuple[int, str]]:
        return REGIONS

    async def systems(self) -> Sequence[tuple[int, str, int]]:
        return SYSTEMS

    async def stations(self) -> Sequence[tuple[int, str, int, int]]:
        return STATIONS

    async def market_groups(self) -> Sequence[tuple[int, int | None, str]]:
        return MARKET_GROUPS

    async def type_groups(self) -> Sequence[tuple[int, int | None, str]]:
        return TYPE_GROUPS

    async def localized_names(self) -> Sequence[tuple[int, str]]:
        return LOCALIZED


def sample_catalog(default_hub: str = "Jita") -> Catalog:
    """The sample data as a Catalog, built synchronously."""
    groups = MarketTree(MARKET_GROUPS, TYPE_GROUPS)
    return Catalog(ITEMS, REGIONS, SYSTEMS, STATIONS, default_hub=default_hub, groups=groups, localized=LOCALIZED)
