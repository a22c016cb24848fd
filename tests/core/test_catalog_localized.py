"""Item names from German, Spanish, French, Japanese, Korean, Russian and Chinese clients resolve to the same items."""

from __future__ import annotations

import pytest

from core.appraisal.parse import parse_paste
from core.appraisal.parsers import default_parsers
from core.catalog import Catalog, CatalogItem, UnknownItem
from tests.core.commands.sample_catalog import sample_catalog

CATALOG = sample_catalog()


@pytest.mark.parametrize(
    ("name", "type_id"),
    [
        ("三钛合金", 34),
        ("トリタニウム", 34),
        ("트리타늄", 34),
        ("Тританиум", 34),
        ("тританиум", 34),  # any case
        ("Tritanio", 34),
        ("Pyérite", 35),
        ("PYÉRITE", 35),
        ("Mexalón", 36),
        ("同位聚合体", 37),
        ("메가사이트", 40),
    ],
)
def test_localized_names_resolve_exactly(name: str, type_id: int) -> None:
    assert CATALOG.item(name, fuzzy=False).type_id == type_id
    found = CATALOG.exact(name)
    assert found is not None and found.type_id == type_id


def test_localized_names_resolve_fuzzily_and_english_shows() -> None:
    assert CATALOG.item("Тританиу").name == "Tritanium"
    assert CATALOG.item("トリタニウ").name == "Tritanium"
    with pytest.raises(UnknownItem):
        CATALOG.item("Ѳ")


def test_an_english_name_wins_over_another_items_localized_namesake() -> None:
    items = [CatalogItem(34, "Tritanium", "Mineral", 0.01), CatalogItem(35, "Pyerite", "Mineral", 0.01)]
    catalog = Catalog(items, localized=[(35, "Tritanium"), (35, "Pyérite"), (99, "Unbekannt")])
    assert catalog.item("tritanium").type_id == 34
    assert catalog.item("pyérite").type_id == 35
    with pytest.raises(UnknownItem):
        catalog.item("Unbekannt", fuzzy=False)  # a type the catalog does not sell


def test_pastes_from_other_clients_with_their_number_formats() -> None:
    paste = (
        "Tritanium\t1.000\tMineral\tMaterial\t\t\t10,00 m3\t\t\t5.000,50 ISK\n"  # German
        "Pyérite\t1\u202f000\tMinéral\tMatériau\t\t\t10,00 m3\t\t\t5\u202f000,50 ISK\n"  # French, narrow NBSP
        "Тританиум\t2\u00a0500\tМинерал\tМатериал\t\t\t25,00 m3\t\t\t12\u00a0500,00 ISK\n"  # Russian, NBSP
        "三钛合金\t3,000\t矿物\t材料\t\t\t30.00 m3\t\t\t15,000.00 ISK\n"  # Chinese
        "メガサイト x 7\n"  # Japanese, a plain list line
    )
    result = parse_paste(paste, CATALOG, default_parsers())
    assert [(found.item.name, found.quantity) for found in result.items] == [
        ("Tritanium", 1000),
        ("Pyerite", 1000),
        ("Tritanium", 2500),
        ("Tritanium", 3000),
        ("Megacyte", 7),
    ]
    assert result.unparsed == []
