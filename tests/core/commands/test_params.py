"""Parameters: every kind with good and bad input, number shorthand, quoting and multi-word raw arguments."""

from __future__ import annotations

from typing import Any

import pytest

from core.catalog import Catalog
from core.chat.params import (
    ArgumentError,
    Param,
    ParamKind,
    convert,
    parse_named,
    parse_number,
    parse_raw,
    tokenize,
    usage,
)
from tests.core.commands.sample_catalog import sample_catalog

K = ParamKind
ITEM = Param("item", "Item name", K.ITEM)
WHERE = Param("where", "Hub, region or system", K.LOCATION, required=False)
DAYS = Param("days", "Days of history", K.INT, required=False, default=30, min_value=1, max_value=365)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", 1000),
        ("1.5k", 1500),
        ("2m", 2e6),
        ("3B", 3e9),
        ("1t", 1e12),
        ("-2.5", -2.5),
        (".5m", 5e5),
        ("250m isk", 2.5e8),
        ("12_000", 12000),
        (" 7 ", 7),
    ],
)
def test_parse_number_shorthand(text: str, value: float):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.5x", "k", "1..5", "2mm", "1,5,"])
def test_parse_number_rejects(text: str):
    with pytest.raises(ValueError):
        parse_number(text)


def test_int_and_float(catalog: Catalog):
    assert convert(DAYS, "90", None) == 90
    assert convert(Param("budget", "ISK", K.INT), "1.5b", None) == 1_500_000_000
    assert convert(Param("ratio", "x", K.FLOAT), "0.25", None) == 0.25
    with pytest.raises(ArgumentError, match="days: 'soon' is not a number"):
        convert(DAYS, "soon", None)
    with pytest.raises(ArgumentError, match=r"days: '1\.5' is not a whole number"):
        convert(DAYS, "1.5", None)
    with pytest.raises(ArgumentError, match=r"days: must be between 1 and 365 \(got 400\)"):
        convert(DAYS, "400", None)
    with pytest.raises(ArgumentError, match="at least 0"):
        convert(Param("n", "x", K.FLOAT, min_value=0), "-1", None)


def test_choice_string_paste():
    side = Param("side", "Order side", K.CHOICE, choices=("buy", "sell"))
    assert convert(side, "SELL", None) == "sell"
    assert convert(side, "b", None) == "buy"
    with pytest.raises(ArgumentError, match="side: 'both' is not one of buy, sell"):
        convert(side, "both", None)
    assert convert(Param("note", "x"), "  hello  ", None) == "hello"
    with pytest.raises(ArgumentError, match="note: a value is required"):
        convert(Param("note", "x"), "   ", None)


def test_item_and_location(catalog: Catalog):
    item: Any = convert(ITEM, "trit", catalog)
    where: Any = convert(WHERE, "amarr", catalog)
    assert item.name == "Tritanium" and where.station_id == 60008494
    with pytest.raises(ArgumentError, match="item: unknown item 'zzzzqqq'"):
        convert(ITEM, "zzzzqqq", catalog)
    with pytest.raises(ArgumentError, match="where: unknown location 'nowhere'; valid hubs: Jita"):
        convert(WHERE, "nowhere", catalog)
    with pytest.raises(RuntimeError):
        convert(ITEM, "trit", None)


def test_raw_multiword_item_then_location(catalog: Catalog):
    values: Any = parse_raw([ITEM, WHERE], "large skill injector amarr", catalog)
    assert values["item"].name == "Large Skill Injector" and values["where"].hub.name == "Amarr"
    values = parse_raw([ITEM, WHERE], "tritanium", catalog)
    assert values["item"].name == "Tritanium" and values["where"] is None
    values = parse_raw([ITEM, WHERE], "tritanum jita", catalog)  # typo: fuzzy pass
    assert values["item"].name == "Tritanium" and values["where"].name.startswith("Jita IV")
    values = parse_raw([ITEM, WHERE, DAYS], "plex 90", catalog)  # optional location skipped
    assert values == {"item": catalog.item("plex"), "where": None, "days": 90}


def test_raw_quotes_and_named(catalog: Catalog):
    values: Any = parse_raw([ITEM, WHERE], '"Large Skill Injector" "the forge"', catalog)
    assert values["where"].kind == "region"
    values = parse_raw([ITEM, WHERE, DAYS], "trit days=7 hek", catalog)
    assert values["days"] == 7 and values["where"].hub.name == "Hek"


def test_raw_rest_of_line():
    title = Param("title", "x", K.STRING)
    paste = Param("paste", "Items to appraise", K.PASTE)
    text = "Tritanium\t1000\nPyerite  500\n'Quoted' thing"
    assert parse_raw([paste], text, None) == {"paste": text}
    assert parse_raw([title, paste], f"doctrine {text}", None) == {"title": "doctrine", "paste": text}
    assert parse_raw([title], "'one arg'", None) == {"title": "'one arg'"}  # single quotes are part of names


def test_single_quotes_stay_in_item_names() -> None:
    """EVE names hold single quotes (Frostline 'Omnivore' Harvester Upgrade): only double quotes group words."""
    assert [t.text for t in tokenize("Frostline 'Omnivore' Harvester \"in quotes\"")] == [
        "Frostline",
        "'Omnivore'",
        "Harvester",
        "in quotes",
    ]


def test_raw_errors(catalog: Catalog):
    with pytest.raises(ArgumentError, match="missing <item>"):
        parse_raw([ITEM, WHERE], "", catalog)
    with pytest.raises(ArgumentError, match="too many arguments: 'extra'"):
        parse_raw([DAYS], "5 extra", catalog)
    with pytest.raises(ArgumentError, match="days: 'soon' is not a number"):
        parse_raw([ITEM, DAYS], "tritanium soon", catalog)
    with pytest.raises(ArgumentError, match="did you mean Mega Pulse Laser"):
        parse_raw([ITEM, WHERE], "mega pulse laser", catalog)


def test_named(catalog: Catalog):
    values = parse_named([ITEM, WHERE, DAYS], {"item": "Tritanium", "days": "7"}, catalog)
    assert values == {"item": catalog.item("Tritanium"), "where": None, "days": 7}
    with pytest.raises(ArgumentError, match="missing <item>"):
        parse_named([ITEM], {}, catalog)
    with pytest.raises(ArgumentError, match="unknown option 'colour'"):
        parse_named([ITEM], {"item": "trit", "colour": "red"}, catalog)
    dash = Param("min-margin", "x", K.FLOAT, required=False)
    assert parse_named([dash], {"min-margin": "5"}, None) == {"min_margin": 5.0}


def test_usage_line():
    assert usage("price", [ITEM, WHERE]) == "/price <item> [where]"


GROUP = Param("group", "Market group", required=False, positional=False)
PAGE = Param("page", "Page", K.INT, required=False, default=1, positional=False)


@pytest.mark.parametrize(
    "typed",
    [
        'group="Combat Drones"',
        "group='Combat Drones'",
        "group=“Combat Drones”",  # what a phone types for "..."
        "group=‘Combat Drones’",
        "group=”Combat Drones”",
    ],
)
def test_named_value_in_quotes(catalog: Catalog, typed: str):
    values: Any = parse_raw([ITEM, WHERE, GROUP], f"trit jita {typed}", catalog)
    assert values["group"] == "Combat Drones" and values["item"].name == "Tritanium"
    assert values["where"].hub.name == "Jita"
    values = parse_raw([ITEM, WHERE, GROUP], f"{typed} trit amarr", catalog)  # anywhere on the line
    assert values["group"] == "Combat Drones" and values["where"].hub.name == "Amarr"


def test_typographic_double_quotes_group_positional_words(catalog: Catalog):
    values: Any = parse_raw([ITEM, WHERE], "“Large Skill Injector” “the forge”", catalog)
    assert values["item"].name == "Large Skill Injector" and values["where"].kind == "region"


def test_unquoted_named_value_runs_on_when_one_word_does_not_fit(catalog: Catalog):
    values: Any = parse_raw([ITEM, WHERE, GROUP], "trit jita group=combat drones", catalog)
    assert values["group"] == "combat drones" and values["where"].hub.name == "Jita"
    values = parse_raw([ITEM, WHERE, GROUP, PAGE], "trit group=combat drones page=2", catalog)  # up to the next name=
    assert values["group"] == "combat drones" and values["page"] == 2 and values["where"] is None
    values = parse_raw([ITEM, WHERE], "trit where=the forge", catalog)
    assert values["where"].kind == "region" and values["where"].name == "The Forge"


def test_one_word_named_value_wins_when_it_fits(catalog: Catalog):
    """The words after a one-word name=value stay positional whenever they fit ("trit days=7 hek")."""
    values: Any = parse_raw([ITEM, WHERE, GROUP], "group=drones trit amarr", catalog)
    assert values["group"] == "drones" and values["item"].name == "Tritanium" and values["where"].hub.name == "Amarr"


def test_named_value_bad_quotes(catalog: Catalog):
    with pytest.raises(ArgumentError, match=r'group: close the quotes around the value \(group="two words"\)'):
        parse_raw([ITEM, GROUP], 'trit group="combat drones', catalog)
    with pytest.raises(ArgumentError, match="group: a value is required"):
        parse_raw([ITEM, GROUP], 'trit group=""', catalog)
    with pytest.raises(ArgumentError, match="days: 'soon' is not a number"):  # neither reading fits: the first's error
        parse_raw([ITEM, DAYS], "trit days=soon later", catalog)
