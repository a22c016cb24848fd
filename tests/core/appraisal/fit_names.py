"""Real EVE item names for the fitting and combat parser tests: type ids, groups and volumes from the SDE."""

from __future__ import annotations

from core.appraisal.model import Line
from tests.core.appraisal.names import NameLookup, items_of

ROWS: list[tuple[int, str, str, float]] = [
    (587, "Rifter", "Frigate", 27289.0),
    (24698, "Drake", "Combat Battlecruiser", 252000.0),
    (621, "Caracal", "Cruiser", 92000.0),
    (626, "Vexor", "Cruiser", 115000.0),
    (638, "Raven", "Battleship", 470000.0),
    (24702, "Hurricane", "Combat Battlecruiser", 216000.0),
    (11978, "Scimitar", "Logistics", 89000.0),
    (17726, "Apocalypse Navy Issue", "Battleship", 470000.0),
    (2998, "Noctis", "Hauler", 270000.0),
    (16242, "Thrasher", "Destroyer", 43000.0),
    (17713, "Stabber Fleet Issue", "Cruiser", 101000.0),
    (649, "Tayra", "Hauler", 270000.0),
    (22456, "Sabre", "Interdictor", 43000.0),
    (29984, "Tengu", "Strategic Cruiser", 92000.0),
    (33157, "Hurricane Fleet Issue", "Combat Battlecruiser", 216000.0),
    (2889, "200mm AutoCannon II", "Projectile Weapon", 5.0),
    (2913, "425mm AutoCannon II", "Projectile Weapon", 10.0),
    (2048, "Damage Control II", "Damage Control", 5.0),
    (3831, "Medium Shield Extender II", "Shield Extender", 10.0),
    (3841, "Large Shield Extender II", "Shield Extender", 20.0),
    (2281, "Multispectrum Shield Hardener II", "Shield Hardener", 5.0),
    (12076, "50MN Microwarpdrive II", "Propulsion Module", 10.0),
    (440, "5MN Microwarpdrive II", "Propulsion Module", 10.0),
    (438, "1MN Afterburner II", "Propulsion Module", 5.0),
    (448, "Warp Scrambler II", "Warp Scrambler", 5.0),
    (3244, "Warp Disruptor II", "Warp Scrambler", 5.0),
    (527, "Stasis Webifier II", "Stasis Web", 5.0),
    (519, "Gyrostabilizer II", "Gyrostabilizer", 5.0),
    (2410, "Heavy Missile Launcher II", "Missile Launcher Heavy", 10.0),
    (22291, "Ballistic Control System II", "Ballistic Control System", 5.0),
    (4405, "Drone Damage Amplifier II", "Drone Damage Modules", 5.0),
    (3530, "Medium Armor Repairer II", "Armor Repair Unit", 10.0),
    (3146, "Heavy Neutron Blaster II", "Hybrid Weapon", 10.0),
    (3057, "Mega Pulse Laser II", "Energy Weapon", 20.0),
    (1952, "Sensor Booster II", "Sensor Booster", 5.0),
    (2024, "Medium Capacitor Booster II", "Capacitor Booster", 10.0),
    (2605, "Nanofiber Internal Structure II", "Nanofiber Internal Structure", 5.0),
    (31668, "Small Projectile Burst Aerator I", "Rig Projectile Weapon", 5.0),
    (31177, "Small Polycarbon Engine Housing I", "Rig Navigation", 5.0),
    (31790, "Medium Core Defense Field Extender I", "Rig Shield", 10.0),
    (31718, "Medium EM Shield Reinforcer I", "Rig Shield", 10.0),
    (31360, "Medium Ancillary Current Router I", "Rig Core", 10.0),
    (45601, "Tengu Offensive - Accelerated Ejection Bay", "Offensive Subsystem", 40.0),
    (21898, "Republic Fleet EMP S", "Projectile Ammo", 0.0025),
    (21896, "Republic Fleet EMP M", "Projectile Ammo", 0.0125),
    (12625, "Barrage S", "Advanced Autocannon Ammo", 0.0025),
    (209, "Scourge Heavy Missile", "Heavy Missile", 0.03),
    (27441, "Caldari Navy Scourge Heavy Missile", "Heavy Missile", 0.03),
    (207, "Mjolnir Heavy Missile", "Heavy Missile", 0.03),
    (230, "Antimatter Charge M", "Hybrid Charge", 0.0125),
    (12785, "Null M", "Advanced Blaster Charge", 0.0125),
    (29009, "Targeting Range Script", "Sensor Booster Script", 1.0),
    (32006, "Navy Cap Booster 400", "Capacitor Booster Charge", 12.0),
    (28668, "Nanite Repair Paste", "Nanite Repair Paste", 0.01),
    (16274, "Helium Isotopes", "Ice Product", 0.03),
    (2456, "Hobgoblin II", "Combat Drone", 5.0),
    (2185, "Hammerhead II", "Combat Drone", 10.0),
    (2488, "Warrior II", "Combat Drone", 5.0),
    (23707, "Hornet EC-300", "Electronic Warfare Drone", 5.0),
    (23709, "Medium Armor Maintenance Bot I", "Logistic Drone", 10.0),
    (40556, "Templar II", "Light Fighter", 1000.0),
    (33474, "Mobile Depot", "Mobile Depot", 50.0),
    (691, "Rifter Blueprint", "Frigate Blueprint", 0.01),
    (22107, "Mid-grade Crystal Alpha", "Cyberimplant", 1.0),
    (34, "Tritanium", "Mineral", 0.01),
    (17765, "Exotic Dancers, Female", "Livestock", 1.0),
    (4016, "Women's 'Excursion' Pants (black)", "Bottoms", 0.1),
]


class FitNames(NameLookup):
    """The NameLookup over ROWS."""

    def __init__(self, rows: list[tuple[int, str, str, float]] = ROWS) -> None:
        super().__init__(items_of(rows))


NAMES = FitNames()


def paste(text: str) -> list[Line]:
    """The paste's non-blank lines, numbered from 1, as the appraisal hands them to parsers (CR and spaces trimmed)."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(number, line.strip()) for number, line in enumerate(raw, 1) if line.strip()]
