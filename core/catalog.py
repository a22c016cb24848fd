"""Item and location resolution over static data loaded once into memory (exact, alias, fuzzy, autocomplete)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Protocol

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from core.catalog_fuzzy import clear_winner, close_match, closest, shortlist_ranked
from core.catalog_groups import MarketTree, TypeGroup
from core.gc_pause import cyclic_gc_paused
from core.market.hubs import HUBS, Hub, UnknownLocation, find_hub, hub_names
from core.market.structures import StructureMarket

__all__ = [
    "ALIASES",
    "Catalog",
    "CatalogItem",
    "CatalogSource",
    "Location",
    "TypeGroup",
    "UnknownItem",
    "UnknownLocation",
]

ALIASES: dict[str, str] = {
    "plex": "PLEX",
    "trit": "Tritanium",
    "pye": "Pyerite",
    "mex": "Mexallon",
    "iso": "Isogen",
    "nocx": "Nocxium",
    "zyd": "Zydrine",
    "mega": "Megacyte",
    "morph": "Morphite",
    "lsi": "Large Skill Injector",
    "ssi": "Small Skill Injector",
    "extractor": "Skill Extractor",
    "mtu": "Mobile Tractor Unit",
    "mde": "Mobile Depot",
}


@dataclass(frozen=True)
class CatalogItem:
    """A market type: id, name, group name and packaged volume (m3)."""

    type_id: int
    name: str
    group: str
    volume: float


@dataclass(frozen=True)
class Location:
    """A resolved place to price at: a hub's station, a region, a system, a station or a tracked structure market
    (whose region_id is its market id: its own order-book partition, core.market.structures)."""

    kind: Literal["hub", "region", "system", "station", "structure"]
    name: str
    region_id: int
    system_id: int | None = None
    station_id: int | None = None
    hub: Hub | None = None
    home_region_id: int | None = None  # a structure's real region (its solar system's); None for other places
    broker_fee: float | None = None  # a structure owner's broker rate (fraction, /market fee); None: unset

    @property
    def history_region(self) -> int:
        """The region whose daily history describes this place: a structure's own region (ESI keeps no history
        per structure), else region_id."""
        return self.home_region_id if self.home_region_id is not None else self.region_id


class UnknownItem(LookupError):
    """No item matched well enough; `suggestions` holds up to five close names."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown item {query!r}{hint}")


class CatalogSource(Protocol):
    """Where the static data comes from (the sde_* tables in production)."""

    async def market_types(self) -> Sequence[CatalogItem]:
        """Every published type that has a market group."""
        ...

    async def regions(self) -> Sequence[tuple[int, str]]:
        """(region_id, name) of every region."""
        ...

    async def systems(self) -> Sequence[tuple[int, str, int]]:
        """(system_id, name, region_id) of every solar system."""
        ...

    async def stations(self) -> Sequence[tuple[int, str, int, int]]:
        """(station_id, name, system_id, region_id) of every NPC station."""
        ...

    async def market_groups(self) -> Sequence[tuple[int, int | None, str]]:
        """(market_group_id, parent_id, name) of every market group."""
        ...

    async def type_groups(self) -> Sequence[TypeGroup]:
        """(type_id, market_group_id, category name) of every market type."""
        ...

    async def localized_names(self) -> Sequence[tuple[int, str]]:
        """(type_id, name) of the market types' names in the other client languages (de, es, fr, ja, ko, ru, zh)."""
        ...


class Catalog:
    """Items and locations in memory; every lookup is synchronous and fast."""

    def __init__(
        self,
        items: Sequence[CatalogItem],
        regions: Sequence[tuple[int, str]] = (),
        systems: Sequence[tuple[int, str, int]] = (),
        stations: Sequence[tuple[int, str, int, int]] = (),
        *,
        default_hub: str = "Jita",
        groups: MarketTree | None = None,
        localized: Sequence[tuple[int, str]] = (),
    ) -> None:
        self.default_hub = find_hub(default_hub)
        self.groups = groups if groups is not None else MarketTree()
        self._items = sorted(items, key=lambda item: item.name.lower())
        self._by_lower = {" ".join(item.name.split()).lower(): item for item in self._items}  # NBSP in SKIN names
        self._by_id = {item.type_id: item for item in self._items}
        self._local: dict[str, CatalogItem] = {}  # other languages' names; an English name always wins
        for type_id, name in localized:
            key = " ".join(name.split()).lower()
            if type_id in self._by_id and key and key not in self._by_lower:
                self._local.setdefault(key, self._by_id[type_id])
        self._by_lower.update(self._local)
        self._local_keys = list(self._local)
        self._regions = {name.lower(): Location("region", name, rid) for rid, name in regions}
        self._systems = {name.lower(): _system(sid, name, rid) for sid, name, rid in systems}
        self._stations = {name.lower(): Location("station", name, rid, sys, st) for st, name, sys, rid in stations}
        self._structures: dict[str, Location] = {}
        self._region_names = {rid: name for rid, name in regions}

    # The indexes below serve fuzzy matching, autocomplete and the appraisal parsers only: built on first use, so a
    # process that resolves exact names (a one-shot `evetrader chat -c "/price tritanium jita"`) never pays for them.
    @cached_property
    def _first_words(self) -> set[str]:
        return {words[0] for lower in self._by_lower if (words := lower.split())}

    @cached_property
    def _lowers(self) -> list[str]:
        return [item.name.lower() for item in self._items]

    @cached_property
    def _processed(self) -> list[str]:
        return [default_process(item.name) for item in self._items]

    @cached_property
    def _sorted_words(self) -> list[str]:
        return [" ".join(sorted(name.split())) for name in self._processed]

    @cached_property
    def _local_processed(self) -> list[str]:
        return [default_process(key) for key in self._local_keys]

    @cached_property
    def _blob(self) -> str:
        return "\n".join(self._lowers)

    @cached_property
    def _offsets(self) -> list[int]:
        """Where each lower-case name starts in _blob."""
        offsets: list[int] = []
        position = 0
        for lower in self._lowers:
            offsets.append(position)
            position += len(lower) + 1
        return offsets

    @classmethod
    async def load(cls, source: CatalogSource, *, default_hub: str = "Jita") -> Catalog:
        """Read everything from `source` once and build the in-memory indexes (the cyclic GC paused: the rows and
        items are acyclic, and a full collection over them and the process's modules cost more than the build)."""
        with cyclic_gc_paused():
            items, regions = await source.market_types(), await source.regions()
            systems, stations = await source.systems(), await source.stations()
            groups = MarketTree(await source.market_groups(), await source.type_groups())
            localized = await source.localized_names()
            catalog = cls(
                items, regions, systems, stations, default_hub=default_hub, groups=groups, localized=localized
            )
        structures = getattr(source, "structure_markets", None)
        if callable(structures):
            catalog.set_structures(await structures())
        return catalog

    def __len__(self) -> int:
        return len(self._items)

    def by_id(self, type_id: int) -> CatalogItem | None:
        """The item with this type id, or None."""
        return self._by_id.get(type_id)

    def name_of(self, type_id: int) -> str | None:
        """The item name of a type id, or None when unknown."""
        item = self._by_id.get(type_id)
        return item.name if item else None

    def region_name(self, region_id: int) -> str | None:
        """The name of a region in the static data, or None when unknown."""
        return self._region_names.get(region_id)

    def exact(self, name: str) -> CatalogItem | None:
        """The item with exactly this name (any case, whitespace folded; no aliases, no fuzzing), or None."""
        return self._by_lower.get(" ".join(name.split()).lower())

    def starts_name(self, word: str) -> bool:
        """Whether some item name begins with this lower-case word (core.appraisal.model.FirstWords)."""
        return word in self._first_words

    def item(self, query: str, *, fuzzy: bool = True) -> CatalogItem:
        """Resolve an item by exact/case-insensitive name (any client language) or alias, then fuzzily; else
        raise UnknownItem."""
        wanted = " ".join(query.split()).lower()
        found = self._by_lower.get(wanted) or self._by_lower.get(ALIASES.get(wanted, "").lower())
        if found:
            return found
        if not fuzzy or not wanted:
            raise UnknownItem(query)
        matches = closest(wanted, self._processed, 5)
        if matches and clear_winner(wanted, self._items[matches[0][0]].name, matches):
            return self._items[matches[0][0]]
        if not wanted.isascii() and (local := close_match(wanted, self._local_processed)) is not None:
            return self._local[self._local_keys[local]]
        raise UnknownItem(query, [self._items[index].name for index, _ in matches])

    def suggest(self, query: str, limit: int = 5) -> list[str]:
        """Up to `limit` item names close to `query`, best first: QRatio shortlists (~15x cheaper), WRatio ranks."""
        return [
            self._items[index].name for index in shortlist_ranked(query, self._processed, self._sorted_words, limit)
        ]

    def autocomplete(self, prefix: str, limit: int = 25) -> list[str]:
        """Item names for a partly typed query: prefix matches, then substring matches, then fuzzy ones."""
        wanted = " ".join(prefix.split()).lower()
        if not wanted:
            return [name for name in dict.fromkeys(ALIASES.values()) if name.lower() in self._by_lower][:limit]
        found: list[int] = []
        start = bisect.bisect_left(self._lowers, wanted)
        while start < len(self._lowers) and len(found) < limit and self._lowers[start].startswith(wanted):
            found.append(start)
            start += 1
        seen = set(found)
        position = self._blob.find(wanted)
        while position >= 0 and len(found) < limit:
            index = bisect.bisect_right(self._offsets, position) - 1
            if index not in seen:
                seen.add(index)
                found.append(index)
            position = self._blob.find(wanted, self._offsets[index] + len(self._lowers[index]) + 1)
        if not found:  # QRatio, not WRatio: ~15x cheaper, and this runs on every keystroke
            found = [index for index, _ in closest(wanted, self._processed, limit, fuzz.QRatio, 50.0)]
        return [self._items[index].name for index in found]

    def location(self, query: str | None = None, *, fuzzy: bool = True) -> Location:
        """Resolve a hub, region, system or station by name (None/blank: the default hub); else UnknownLocation."""
        wanted = " ".join((query or "").split()).lower()
        if not wanted:
            return _hub(self.default_hub)
        exact = next((hub for hub in HUBS if hub.name.lower() == wanted), None)
        if exact:
            return _hub(exact)
        for table in (self._regions, self._systems, self._stations, self._structures):
            if wanted in table:
                return table[wanted]
        structure = self._structure(wanted)
        if structure is not None:
            return structure
        try:
            return _hub(find_hub(wanted))
        except UnknownLocation:
            pass
        names = [*self._regions, *self._systems] if fuzzy else []
        close = process.extract(wanted, names, scorer=fuzz.WRatio, limit=3, score_cutoff=80.0) if names else []
        hint = f"; did you mean {', '.join(self._place(name).name for name, _, _ in close)}?" if close else ""
        raise UnknownLocation(f"unknown location {query!r}{hint}; valid hubs: {hub_names()}")

    def set_structures(self, markets: Sequence[StructureMarket]) -> None:
        """The tracked structure markets as locations (their region from the static data when not stored)."""
        regions = {loc.system_id: loc.region_id for loc in self._systems.values()}
        self._structures = {
            m.name.lower(): Location(
                "structure",
                m.name,
                m.market_id,
                m.solar_system_id,
                m.structure_id,
                home_region_id=m.region_id if m.region_id is not None else regions.get(m.solar_system_id),
                broker_fee=m.broker_fee,
            )
            for m in markets
        }

    def structures(self) -> list[Location]:
        """The tracked structure markets' locations, by name."""
        return sorted(self._structures.values(), key=lambda loc: loc.name.lower())

    def structure_names(self) -> dict[int, str]:
        """The tracked structure markets' names by structure id (alert listings name the structure a rule watches)."""
        return {loc.station_id: loc.name for loc in self._structures.values() if loc.station_id is not None}

    def _structure(self, wanted: str) -> Location | None:
        """A structure market by id, or the only one whose name holds every word of `wanted`."""
        by_id = [loc for loc in self._structures.values() if str(loc.station_id) == wanted]
        words = wanted.replace(" - ", " ").split()
        hits = by_id or [loc for key, loc in self._structures.items() if words and all(w in key for w in words)]
        return hits[0] if len(hits) == 1 else None

    def autocomplete_locations(self, prefix: str, limit: int = 25) -> list[str]:
        """Hub, region and system names starting with `prefix` (hubs first)."""
        wanted = prefix.strip().lower()
        hubs = [hub.name for hub in HUBS if hub.name.lower().startswith(wanted)]
        places = sorted(
            loc.name for loc in (*self._structures.values(), *self._regions.values(), *self._systems.values())
        )
        return [*hubs, *(name for name in places if name.lower().startswith(wanted) and name not in hubs)][:limit]

    def complete(self, source: str, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete by source name: "items" or "locations"."""
        if source == "locations":
            return self.autocomplete_locations(prefix, limit)
        if source == "items":
            return self.autocomplete(prefix, limit)
        raise KeyError(f"unknown autocomplete source {source!r}")

    def _place(self, lower: str) -> Location:
        return self._regions.get(lower) or self._systems[lower]


def _hub(hub: Hub) -> Location:
    return Location("hub", hub.station_name, hub.region_id, hub.system_id, hub.station_id, hub)


def _system(system_id: int, name: str, region_id: int) -> Location:
    hub = next((hub for hub in HUBS if hub.system_id == system_id), None)
    return Location("system", name, region_id, system_id, hub.station_id if hub else None, hub)
