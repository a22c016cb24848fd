"""Catalog: item resolution (exact, case, alias, fuzzy, suggestions), autocomplete and locations."""

from __future__ import annotations

import gc
import random
import string
import time
from collections.abc import Sequence

import pytest

from core.catalog import Catalog, CatalogItem, UnknownItem
from core.market.hubs import UnknownLocation
from tests.core.commands.sample_catalog import MemoryCatalogSource, sample_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


async def test_load_reads_the_source_once():
    catalog = await Catalog.load(MemoryCatalogSource(), default_hub="Amarr")
    assert len(catalog) == 31
    assert catalog.by_id(34) == CatalogItem(34, "Tritanium", "Mineral", 0.01)
    hub = catalog.location().hub
    assert hub is not None and hub.name == "Amarr"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Tritanium", "Tritanium"),
        ("tritanium", "Tritanium"),
        ("  LARGE   skill injector ", "Large Skill Injector"),
        ("plex", "PLEX"),
        ("trit", "Tritanium"),
        ("LSI", "Large Skill Injector"),
        ("mex", "Mexallon"),
        ("nocx", "Nocxium"),
        ("tritanum", "Tritanium"),
        ("nanite repair past", "Nanite Repair Paste"),
        ("lagre skill injector", "Large Skill Injector"),
    ],
)
def test_item_resolution(catalog: Catalog, query: str, name: str):
    assert catalog.item(query).name == name


def test_ambiguous_fuzzy_gives_suggestions(catalog: Catalog):
    with pytest.raises(UnknownItem) as raised:
        catalog.item("mega pulse laser")
    assert set(raised.value.suggestions[:2]) == {"Mega Pulse Laser I", "Mega Pulse Laser II"}
    assert len(raised.value.suggestions) <= 5
    assert "did you mean" in str(raised.value)


def test_nonsense_and_strict_mode(catalog: Catalog):
    with pytest.raises(UnknownItem) as raised:
        catalog.item("qqqqzzzz")
    assert raised.value.suggestions == ()
    with pytest.raises(UnknownItem):
        catalog.item("tritanum", fuzzy=False)


def test_autocomplete_prefix_then_substring(catalog: Catalog):
    assert catalog.autocomplete("trit") == ["Tritanium"]
    assert catalog.autocomplete("large")[:2] == ["Large Shield Extender II", "Large Skill Injector"]
    assert catalog.autocomplete("injector") == ["Large Skill Injector", "Small Skill Injector"]
    assert catalog.autocomplete("isotopes", limit=1) == ["Helium Isotopes"]
    assert catalog.autocomplete("")[:2] == ["PLEX", "Tritanium"]
    assert "Raven" in catalog.autocomplete("rvaen")  # fuzzy fallback when nothing matches literally


def test_locations(catalog: Catalog):
    jita = catalog.location("jita")
    assert (jita.kind, jita.station_id, jita.region_id) == ("hub", 60003760, 10000002)
    assert catalog.location(None).station_id == 60003760
    assert catalog.location("dodi").hub is not None
    forge = catalog.location("the forge")
    assert (forge.kind, forge.region_id, forge.station_id) == ("region", 10000002, None)
    perimeter = catalog.location("Perimeter")
    assert (perimeter.kind, perimeter.region_id, perimeter.station_id) == ("system", 10000002, None)
    station = catalog.location("perimeter ii - moon 1 - caldari business tribunal")
    assert (station.kind, station.system_id, station.region_id) == ("station", 30000144, 10000002)
    assert catalog.complete("locations", "a")[:1] == ["Amarr"]


def test_hub_system_resolves_to_hub_station():
    catalog = Catalog([], [], [(30002187, "Amarr", 10000043), (30002053, "Hek", 10000042)], [])
    assert catalog.location("amarr").kind == "hub"
    catalog = Catalog([], [], [(30002053, "hek", 10000042)], [])
    assert catalog.location("Hek").station_id == 60005686


def test_unknown_location_lists_hubs(catalog: Catalog):
    with pytest.raises(UnknownLocation) as raised:
        catalog.location("the forje")
    message = str(raised.value)
    assert "The Forge" in message and "Jita, Amarr, Dodixie, Rens, Hek" in message


def test_autocomplete_on_20k_names():
    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))).capitalize() for _ in range(4000)]
    names = {" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(24000)}
    items = [CatalogItem(i, name, "Synthetic", 1.0) for i, name in enumerate(sorted(names)[:20000])]
    catalog = Catalog(items)
    queries = [name[: rng.randint(2, 6)].lower() for name in rng.sample(sorted(names), 200)]
    queries += [name.split()[-1][1:5].lower() for name in rng.sample(sorted(names), 200)]
    started = time.perf_counter()
    for query in queries:
        assert catalog.autocomplete(query)
    per_call = (time.perf_counter() - started) / len(queries) * 1000
    started = time.perf_counter()
    for query in queries[:50]:
        catalog.autocomplete(query + "qx")  # no literal match: the fuzzy fallback
    fuzzy = (time.perf_counter() - started) / 50 * 1000
    started = time.perf_counter()
    for query in queries[:50]:
        catalog.suggest(query)
    resolve = (time.perf_counter() - started) / 50 * 1000
    print(
        f"\nautocomplete over {len(catalog)} names: {per_call:.3f} ms/call literal, {fuzzy:.2f} ms/call fuzzy fallback;"
        f" fuzzy resolve/suggest (WRatio) {resolve:.1f} ms/call"
    )
    assert len(catalog) == 20000


async def test_exact_names_build_no_fuzzy_index_and_fuzzy_lookups_build_it_on_first_use():
    catalog = await Catalog.load(MemoryCatalogSource())
    fuzzy_indexes = {"_processed", "_sorted_words", "_lowers", "_blob", "_offsets", "_first_words"}
    assert catalog.item("tritanium").name == "Tritanium"
    assert catalog.item("trit").name == "Tritanium"
    assert catalog.location("jita").kind == "hub"
    assert fuzzy_indexes.isdisjoint(vars(catalog))  # a one-shot /price tritanium jita never pays for them
    assert catalog.item("tritanum").name == "Tritanium"
    assert catalog.autocomplete("trit") == ["Tritanium"]
    assert {"_processed", "_lowers", "_blob", "_offsets"} <= set(vars(catalog))


async def test_load_builds_with_the_cyclic_gc_paused_and_resumes_it():
    seen: list[bool] = []

    class Watching(MemoryCatalogSource):
        async def market_types(self) -> Sequence[CatalogItem]:
            seen.append(gc.isenabled())
            return await super().market_types()

    assert gc.isenabled()
    catalog = await Catalog.load(Watching())
    assert seen == [False] and gc.isenabled()  # a full collection over 20,000 new items cost more than the build
    assert catalog.item("tritanium").name == "Tritanium"
