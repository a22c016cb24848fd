"""Static facts of the fake: hubs, well-known market types, base prices and SDE type loading."""

from __future__ import annotations

import hashlib
import json
import math
import zipfile
from dataclasses import dataclass
from os import PathLike

PLEX = 44992
PLEX_REGION = 19000001

# region_id -> (hub system id, hub station id), from docs/domain.md's trade hub table.
HUBS: dict[int, tuple[int, int]] = {
    10000002: (30000142, 60003760),  # Jita IV - Moon 4 - Caldari Navy Assembly Plant
    10000043: (30002187, 60008494),  # Amarr VIII (Oris) - Emperor Family Academy
    10000032: (30002659, 60011866),  # Dodixie IX - Moon 20 - Federation Navy Assembly Plant
    10000030: (30002510, 60004588),  # Rens VI - Moon 8 - Brutor Tribe Treasury
    10000042: (30002053, 60005686),  # Hek VIII - Moon 12 - Boundless Creation Factory
}
DEFAULT_REGIONS: dict[int, int] = {
    10000002: 20_000,
    10000043: 5_000,
    10000032: 5_000,
    10000030: 5_000,
    10000042: 5_000,
    PLEX_REGION: 600,
}

# kind -> typical order volume (units); drives volumes in books and history.
KIND_VOLUME = {"mineral": 2_000_000.0, "bulk": 50_000.0, "plex": 400.0, "module": 40.0, "ship": 3.0}

# type_id -> (nominal price in ISK, kind). Ids checked against the SDE's English names.
_MINERALS = {34: 4.5, 35: 9.0, 36: 60.0, 37: 90.0, 38: 650.0, 39: 1_100.0, 40: 2_600.0, 11399: 9_000.0}
_BULK = {
    222: 25.0, 230: 60.0, 209: 350.0, 28668: 18_000.0, 11289: 15_000.0,  # ammo, paste, cap boosters
    4051: 17_000.0, 4246: 17_000.0, 4247: 18_000.0, 4312: 18_500.0,  # fuel blocks
    16272: 450.0, 16273: 600.0, 16274: 700.0, 16275: 2_500.0,  # ice products
}  # fmt: skip
_MODULES = {
    2048: 700_000.0, 3244: 1_500_000.0, 527: 1_300_000.0, 519: 900_000.0, 2364: 700_000.0,
    10190: 1_000_000.0, 22291: 1_200_000.0, 4405: 2_500_000.0, 2456: 450_000.0, 2185: 900_000.0,
    2488: 250_000.0, 2446: 1_600_000.0, 3841: 3_000_000.0, 3831: 1_100_000.0, 438: 900_000.0,
    440: 3_200_000.0, 2605: 600_000.0, 1541: 800_000.0, 11269: 1_000_000.0, 3530: 1_400_000.0,
    33474: 1_200_000.0, 33475: 13_000_000.0, 30488: 300_000.0, 4258: 2_000_000.0, 4260: 3_000_000.0,
    40519: 400_000_000.0, 40520: 850_000_000.0,
}  # fmt: skip
_SHIPS = {
    587: 450_000.0, 603: 400_000.0, 597: 400_000.0, 594: 400_000.0, 593: 500_000.0, 602: 400_000.0,
    605: 500_000.0, 29248: 550_000.0, 607: 500_000.0, 586: 450_000.0, 32880: 1_000_000.0,
    16240: 1_200_000.0, 16242: 1_300_000.0, 16238: 1_200_000.0, 16236: 1_300_000.0,
    627: 12_000_000.0, 626: 13_000_000.0, 621: 14_000_000.0, 24698: 60_000_000.0, 24702: 65_000_000.0,
    24696: 60_000_000.0, 24700: 58_000_000.0, 16229: 55_000_000.0, 16227: 57_000_000.0,
    638: 230_000_000.0, 641: 220_000_000.0, 642: 210_000_000.0, 639: 200_000_000.0, 645: 220_000_000.0,
    24694: 300_000_000.0, 24688: 290_000_000.0, 24690: 280_000_000.0, 24692: 300_000_000.0,
    17478: 28_000_000.0, 17480: 30_000_000.0, 17476: 32_000_000.0, 657: 3_500_000.0, 2998: 80_000_000.0,
    29984: 400_000_000.0, 29990: 420_000_000.0, 28606: 1_100_000_000.0,
}  # fmt: skip

CATALOG: dict[int, tuple[float, str]] = {
    **{t: (p, "mineral") for t, p in _MINERALS.items()},
    **{t: (p, "bulk") for t, p in _BULK.items()},
    **{t: (p, "module") for t, p in _MODULES.items()},
    **{t: (p, "ship") for t, p in _SHIPS.items()},
    PLEX: (5_000_000.0, "plex"),
}
DEFAULT_TYPE_IDS: tuple[int, ...] = tuple(sorted(CATALOG))


def unit(*parts: int) -> float:
    """A deterministic float in [0, 1) derived from integers (stable across processes)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """Market profile of one type: its base price and what kind of good it is."""

    type_id: int
    base_price: float
    kind: str


def type_info(type_id: int, seed: int) -> TypeInfo:
    """The deterministic market profile of `type_id` under `seed` (unknown ids get a log-uniform price)."""
    nominal = CATALOG.get(type_id)
    if nominal is None:
        price = 10 ** (1.0 + 7.5 * unit(seed, type_id, 1))
        kind = "bulk" if price < 20_000 else "module" if price < 20_000_000 else "ship"
    else:
        price, kind = nominal
    factor = math.exp((unit(seed, type_id, 2) - 0.5) * 0.2)  # +-10 % per seed
    return TypeInfo(type_id, price * factor, kind)


def load_type_ids_from_sde_zip(path: str | PathLike[str]) -> list[int]:
    """Published type ids with a market group, read from types.jsonl inside an official JSONL SDE zip."""
    ids: list[int] = []
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "types.jsonl")
        with archive.open(name) as handle:
            for line in handle:
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("published") and row.get("marketGroupID") is not None:
                    ids.append(int(row["_key"]))
    return sorted(ids)
