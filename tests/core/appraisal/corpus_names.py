"""One in-memory ItemNames over every real EVE item name the paste corpus and the property tests use.

Type ids are the real ones where known (they must be distinct: the D-scan parser counts rows per type id);
groups and packaged volumes are close to the SDE's (the mining ledger derives quantities from volumes).
"""

from __future__ import annotations

from core.catalog import CatalogItem

ROWS: list[tuple[int, str, str, float]] = [
    # minerals
    (34, "Tritanium", "Mineral", 0.01),
    (35, "Pyerite", "Mineral", 0.01),
    (36, "Mexallon", "Mineral", 0.01),
    (37, "Isogen", "Mineral", 0.01),
    (38, "Nocxium", "Mineral", 0.01),
    (39, "Zydrine", "Mineral", 0.01),
    (40, "Megacyte", "Mineral", 0.01),
    (11399, "Morphite", "Mineral", 0.01),
    # ores, moon ores, ice products, moon materials
    (1230, "Veldspar", "Veldspar", 0.1),
    (17470, "Concentrated Veldspar", "Veldspar", 0.1),
    (17471, "Dense Veldspar", "Veldspar", 0.1),
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
    (16644, "Platinum", "Moon Materials", 0.05),
    (16272, "Heavy Water", "Ice Product", 0.4),
    (16273, "Liquid Ozone", "Ice Product", 0.4),
    (16274, "Helium Isotopes", "Ice Product", 0.03),
    (16275, "Strontium Clathrates", "Ice Product", 3.0),
    # planetary commodities
    (3645, "Water", "Basic Commodities - Tier 1", 0.38),
    (2393, "Bacteria", "Basic Commodities - Tier 1", 0.38),
    (2399, "Precious Metals", "Basic Commodities - Tier 1", 0.38),
    (2398, "Reactive Metals", "Basic Commodities - Tier 1", 0.38),
    (9832, "Coolant", "Refined Commodities - Tier 2", 1.5),
    (3689, "Mechanical Parts", "Refined Commodities - Tier 2", 1.5),
    (44, "Enriched Uranium", "Refined Commodities - Tier 2", 1.5),
    (3828, "Construction Blocks", "Refined Commodities - Tier 2", 1.5),
    (2268, "Aqueous Liquids", "Planet Liquid-Gas - Raw Resource", 0.01),
    # salvage, components, tools, datacores
    (25598, "Tripped Power Circuit", "Salvaged Materials", 0.01),
    (25595, "Alloyed Tritanium Bar", "Salvaged Materials", 0.01),
    (25600, "Burned Logic Circuit", "Salvaged Materials", 0.01),
    (30747, "Sleeper Data Library", "Sleeper Components", 0.01),
    (11530, "Plasma Thruster", "Construction Components", 1.0),
    (11478, "R.A.M.- Starship Tech", "Tool", 0.04),
    (20424, "Datacore - Mechanical Engineering", "Datacores", 0.1),
    # ships and structures
    (587, "Rifter", "Frigate", 2500.0),
    (598, "Breacher", "Frigate", 2500.0),
    (24698, "Drake", "Combat Battlecruiser", 15000.0),
    (24702, "Hurricane", "Combat Battlecruiser", 15000.0),
    (621, "Caracal", "Cruiser", 10000.0),
    (626, "Vexor", "Cruiser", 10000.0),
    (17713, "Stabber Fleet Issue", "Cruiser", 10000.0),
    (638, "Raven", "Battleship", 50000.0),
    (643, "Armageddon", "Battleship", 50000.0),
    (24688, "Rokh", "Battleship", 50000.0),
    (29984, "Tengu", "Strategic Cruiser", 5000.0),
    (16242, "Thrasher", "Destroyer", 5000.0),
    (22456, "Sabre", "Interdictor", 5000.0),
    (2998, "Noctis", "Salvager", 3750.0),
    (649, "Tayra", "Hauler", 20000.0),
    (17478, "Retriever", "Mining Barge", 3750.0),
    (17480, "Procurer", "Mining Barge", 3750.0),
    (35832, "Astrahus", "Citadel", 8000.0),
    # blueprints
    (691, "Rifter Blueprint", "Frigate Blueprint", 0.01),
    (24699, "Drake Blueprint", "Combat Battlecruiser Blueprint", 0.01),
    (997, "Armageddon Blueprint", "Battleship Blueprint", 0.01),
    (1212, "Cap Booster 400 Blueprint", "Capacitor Booster Charge Blueprint", 0.01),
    # modules and rigs
    (2048, "Damage Control II", "Damage Control", 5.0),
    (3831, "Medium Shield Extender II", "Shield Extender", 10.0),
    (3841, "Large Shield Extender II", "Shield Extender", 15.0),
    (2281, "Multispectrum Shield Hardener II", "Shield Hardener", 5.0),
    (12076, "50MN Microwarpdrive II", "Propulsion Module", 10.0),
    (440, "5MN Microwarpdrive II", "Propulsion Module", 10.0),
    (5973, "5MN Y-T8 Compact Microwarpdrive", "Propulsion Module", 10.0),
    (438, "1MN Afterburner II", "Propulsion Module", 5.0),
    (448, "Warp Scrambler II", "Warp Scrambler", 5.0),
    (3244, "Warp Disruptor II", "Warp Scrambler", 5.0),
    (527, "Stasis Webifier II", "Stasis Web", 5.0),
    (519, "Gyrostabilizer II", "Gyrostabilizer", 5.0),
    (2410, "Heavy Missile Launcher II", "Missile Launcher Heavy", 10.0),
    (22291, "Ballistic Control System II", "Missile Guidance Enhancer", 5.0),
    (4405, "Drone Damage Amplifier II", "Drone Damage Modules", 5.0),
    (3530, "Medium Armor Repairer II", "Armor Repair Unit", 10.0),
    (3504, "Small Armor Repairer I", "Armor Repair Unit", 5.0),
    (3538, "Small Armor Repairer II", "Armor Repair Unit", 5.0),
    (23414, "Republic Fleet Small Armor Repairer", "Armor Repair Unit", 5.0),
    (3146, "Heavy Neutron Blaster II", "Hybrid Weapon", 10.0),
    (3057, "Mega Pulse Laser II", "Energy Weapon", 20.0),
    (2889, "200mm AutoCannon II", "Projectile Weapon", 5.0),
    (2913, "425mm AutoCannon II", "Projectile Weapon", 10.0),
    (2873, "125mm Gatling AutoCannon II", "Projectile Weapon", 5.0),
    (1952, "Sensor Booster II", "Sensor Booster", 5.0),
    (22229, "Ice Harvester II", "Strip Miner", 25.0),
    (22542, "Mining Laser Upgrade II", "Mining Upgrade", 5.0),
    (41034, "Frostline 'Omnivore' Harvester Upgrade", "Mining Upgrade", 5.0),
    (31790, "Medium Core Defense Field Extender I", "Rig Shield", 10.0),
    (31668, "Small Projectile Burst Aerator I", "Rig Projectile Weapon", 5.0),
    (31177, "Small Polycarbon Engine Housing I", "Rig Navigation", 5.0),
    (31360, "Medium Ancillary Current Router I", "Rig Core", 10.0),
    (45586, "Tengu Defensive - Covert Reconfiguration", "Defensive Systems", 40.0),
    (45601, "Tengu Offensive - Accelerated Ejection Bay", "Offensive Systems", 40.0),
    # charges and scripts
    (21898, "Republic Fleet EMP S", "Projectile Ammo", 0.0025),
    (21896, "Republic Fleet EMP M", "Projectile Ammo", 0.0125),
    (12625, "Barrage S", "Advanced Autocannon Ammo", 0.0025),
    (209, "Scourge Heavy Missile", "Heavy Missile", 0.03),
    (27441, "Caldari Navy Scourge Heavy Missile", "Heavy Missile", 0.03),
    (230, "Antimatter Charge M", "Hybrid Charge", 0.0125),
    (23037, "Caldari Navy Antimatter Charge M", "Hybrid Charge", 0.0125),
    (12785, "Null M", "Advanced Blaster Charge", 0.0125),
    (12814, "Scorch M", "Advanced Pulse Laser Crystal", 1.0),
    (32006, "Navy Cap Booster 400", "Capacitor Booster Charge", 16.0),
    (263, "Cap Booster 800", "Capacitor Booster Charge", 32.0),
    (29009, "Targeting Range Script", "Sensor Booster Script", 1.0),
    (28668, "Nanite Repair Paste", "Nanite Repair Paste", 0.01),
    # drones
    (2456, "Hobgoblin II", "Combat Drone", 5.0),
    (2185, "Hammerhead II", "Combat Drone", 10.0),
    (2486, "Warrior I", "Combat Drone", 5.0),
    (2488, "Warrior II", "Combat Drone", 5.0),
    (28272, "'Augmented' Hammerhead", "Combat Drone", 10.0),
    (23707, "Hornet EC-300", "Electronic Warfare Drone", 5.0),
    # everything else
    (44992, "PLEX", "Special Edition Commodities", 0.01),
    (40520, "Large Skill Injector", "Skill Injectors", 0.01),
    (33474, "Mobile Depot", "Mobile Depot", 50.0),
    (33475, "Mobile Tractor Unit", "Mobile Tractor Unit", 100.0),
    (11489, "Giant Secure Container", "Secure Cargo Container", 3000.0),
    (22107, "Mid-grade Crystal Alpha", "Cyberimplant", 1.0),
    (17765, "Exotic Dancers, Female", "Livestock", 1.0),
    (4016, "Women's 'Excursion' Pants (black)", "Bottoms", 0.1),
    (23757, "Men's 'Esquire' Coat (red/gold)", "Outer", 0.1),
]

ITEMS: list[CatalogItem] = [CatalogItem(type_id, name, group, volume) for type_id, name, group, volume in ROWS]
assert len({item.type_id for item in ITEMS}) == len(ITEMS), "type ids must be distinct"
assert len({item.name.lower() for item in ITEMS}) == len(ITEMS), "names must be distinct"


class CorpusNames:
    """ItemNames over ITEMS: exact names, any case, runs of whitespace folded (like Catalog.exact)."""

    def __init__(self, items: list[CatalogItem] = ITEMS) -> None:
        self._by_lower = {item.name.lower(): item for item in items}

    def exact(self, name: str) -> CatalogItem | None:
        """The item with exactly this name (any case, single spaces), or None."""
        return self._by_lower.get(" ".join(name.split()).lower())


NAMES = CorpusNames()


class IndexedCorpusNames(CorpusNames):
    """CorpusNames that also answers `starts_name` (model.FirstWords, as Catalog does), so parsers may prune."""

    def __init__(self, items: list[CatalogItem] = ITEMS) -> None:
        super().__init__(items)
        self._first_words = {words[0] for lower in self._by_lower if (words := lower.split())}

    def starts_name(self, word: str) -> bool:
        """Whether some item name begins with this lower-case word."""
        return word in self._first_words


INDEXED_NAMES = IndexedCorpusNames()
