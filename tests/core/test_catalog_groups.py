"""The market group tree: counts, paths, fuzzy and ambiguous names, group and category type filters."""

from __future__ import annotations

import pytest

from core.catalog_groups import MarketTree, UnknownGroup
from tests.core.commands.sample_groups import MARKET_GROUPS, TYPE_GROUPS

TREE = MarketTree(MARKET_GROUPS, TYPE_GROUPS)
RIFTER, CARACAL, RAVEN, DRAKE = 587, 621, 638, 24698


def test_children_carry_the_count_of_every_market_type_below_and_empty_groups_are_left_out() -> None:
    roots = {group.name: group.type_count for group in TREE.roots()}
    assert roots == {
        "Ammunition & Charges": 1,
        "Manufacture & Research": 15,
        "Pilot's Services": 4,
        "Ship Equipment": 5,
        "Ships": 4,
        "Structures": 2,
    }  # "Blueprints & Reactions" holds no sample item
    assert [(g.name, g.type_count) for g in TREE.children(4)] == [
        ("Battlecruisers", 1),
        ("Battleships", 1),
        ("Cruisers", 1),
        ("Frigates", 1),
    ]
    assert TREE.types_in(1857) == [34, 35, 36, 37, 38, 39, 40, 11399]
    assert TREE.path(64) == "Ships > Frigates > Standard Frigates > Minmatar"


def test_group_names_resolve_exactly_fuzzily_and_as_paths() -> None:
    assert TREE.group("MINERALS").market_group_id == 1857
    assert TREE.group("mineral").market_group_id == 1857  # singular for plural
    assert TREE.group("frigats").market_group_id == 1361  # a typo; the empty blueprint "Frigates" is not chosen
    assert TREE.group("ships > battleships > caldari").market_group_id == 80
    assert TREE.group("Ships/Cruisers/Caldari").market_group_id == 75


def test_unknown_and_ambiguous_group_names_say_what_to_type() -> None:
    with pytest.raises(UnknownGroup, match=r"unknown market group 'frigatez'; did you mean Frigates"):
        TREE.group("frigatez")
    with pytest.raises(UnknownGroup, match="unknown market group 'quafe'") as raised:
        TREE.group("quafe")
    assert raised.value.suggestions == ()
    with pytest.raises(UnknownGroup) as raised:
        TREE.group("caldari")
    assert "several market groups are called 'caldari'" in str(raised.value)
    assert "'Ships > Battleships > Standard Battleships > Caldari'" in str(raised.value)


def test_group_filter_takes_every_type_under_any_group_of_that_name() -> None:
    assert TREE.group_types("frigates") == {RIFTER}
    assert TREE.group_types("ships") == {RIFTER, CARACAL, RAVEN, DRAKE}
    assert TREE.group_types("caldari") == {CARACAL, RAVEN, DRAKE}  # namesakes all count for a filter
    assert TREE.group_types("battleships > caldari") == {RAVEN}
    ores = {1230, 28432, 1228}  # Materials > Raw Materials > Standard Ores
    assert TREE.group_types("materials") == {34, 35, 36, 37, 38, 39, 40, 11399, 17889, 16274, 16275, 16273} | ores


def test_category_filter_takes_plural_and_fuzzy_names() -> None:
    assert TREE.category_types("ships") == {RIFTER, CARACAL, RAVEN, DRAKE}
    assert TREE.category_types("Modules") == {3057, 3041, 3841, 2048, 527}
    with pytest.raises(UnknownGroup, match="unknown category 'starships'"):
        TREE.category_types("starships")


def test_a_parent_loop_or_a_missing_parent_cannot_hang_or_lose_groups() -> None:
    tree = MarketTree([(1, 2, "A"), (2, 1, "B"), (3, 99, "Orphan")], [(10, 1, "Ship"), (11, 3, "Ship")])
    assert [g.name for g in tree.roots()] == ["Orphan"]
    assert tree.group_types("a") == {10}
    assert tree.group("orphan").type_count == 1


def test_the_tree_is_indexed_on_first_use_only() -> None:
    tree = MarketTree(MARKET_GROUPS, TYPE_GROUPS)
    assert "_index" not in vars(tree)  # a process that never browses or filters never builds it
    assert tree.category_types("ships") == TREE.category_types("ships")
    assert "_index" in vars(tree)
