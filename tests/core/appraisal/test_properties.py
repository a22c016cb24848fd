"""Properties of parse_paste over the full parser list: it never raises, loses, duplicates or invents anything."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.appraisal.model import Line, ParseResult
from core.appraisal.parse import numbered_lines, parse_paste
from core.appraisal.parsers import default_parsers
from core.catalog import CatalogItem
from tests.core.appraisal.corpus_names import INDEXED_NAMES, ITEMS, NAMES

PARSERS = default_parsers()
FAST = settings(max_examples=200, deadline=500, suppress_health_check=[HealthCheck.too_slow])

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"

# Characters str.isdigit() accepts but int() refuses (superscripts "¹²³", circled "①"...): a standalone one crashes
# parse_quantity, see test_superscript_digits_do_not_crash_the_appraisal; kept out of the generated text.
NOT_DECIMAL_DIGITS = "".join(ch for ch in map(chr, range(0x110000)) if ch.isdigit() and not ch.isdecimal())

# Any text: letters of several scripts, digits, punctuation the formats use, and every kind of line break and space.
WIDE = st.characters(
    categories=("L", "N", "P", "S", "Zs"),
    include_characters=f"\t\n\r{NBSP}{NNBSP}{THIN}×[](),:;|*'\"-+=<>#",
    exclude_characters=NOT_DECIMAL_DIGITS,
)

# Fragments of real pastes: real names (any case), numbers in every client locale, and the words formats key on.
NUMBERS = [
    "1",
    "12",
    "1,000",
    "1.000",
    f"1{NBSP}000",
    f"1{NNBSP}000",
    f"1{THIN}000",
    "1 000",
    "1'000",
    "1,234,567",
    "1.234,56",
    "0",
    "-3",
    "+7",
    "10x",
    "x10",
    "×4",
    "305.0",
    "1,5",
    "99999999999999999999",
]
WORDS = [
    "x",
    "X",
    "-",
    ":",
    "=",
    "Qty: 5",
    "(Copy)",
    "(Original)",
    "(Cargo)",
    "(Drone Bay)",
    "(Item Exchange)",
    "(12 Units)",
    "[Empty High slot]",
    "/OFFLINE",
    "5.00 ISK",
    "-50,00 ISK",
    "12 km",
    "3,225 m",
    "2.4 AU",
    "< 1 km",
    "40 m³",
    "2026.11.20",
    "18:02:11",
    "2026.11.20 18:02",
    "has looted",
    "Victim: Pilot",
    "Destroyed:",
    "Destroyed items:",
    "Dropped items:",
    "Involved parties:",
    "High power",
    "Charges",
    "Drones",
    "Cargo",
    "Total:",
    "Item",
    "Required",
    "typeID",
    "Tech II",
    "Faction",
    "Routed",
    "Not routed",
    "Timestamp",
    "Ore Type",
    "Name",
    "Quantity",
    "BLUEPRINT COPY - Runs: 10",
    "Cargo Hold",
    "Drone Bay",
    "Medium Slot",
    "No item selected",
    "o7",
    "Unobtainium",
]
NAME_TEXT = st.sampled_from([item.name for item in ITEMS]).flatmap(
    lambda name: st.sampled_from([name, name.lower(), name.upper(), f"{name}*", f"[{name},"])
)
FRAGMENT = st.one_of(NAME_TEXT, st.sampled_from(NUMBERS), st.sampled_from(WORDS))
SEPARATOR = st.sampled_from(["\t", " ", "  ", ", ", " x ", ": ", NBSP, "\t\t", " - "])


@st.composite
def fragment_line(draw: st.DrawFn) -> str:
    """One line of fragments glued by separators, sometimes bracketed like an EFT header."""
    parts = draw(st.lists(FRAGMENT, min_size=1, max_size=6))
    text = parts[0]
    for part in parts[1:]:
        text += draw(SEPARATOR) + part
    if draw(st.integers(0, 9)) == 0:
        text = f"[{text}]"
    return text


@st.composite
def fragment_paste(draw: st.DrawFn) -> str:
    """Several fragment lines, with blank lines, padding and any line break."""
    lines = draw(st.lists(st.one_of(fragment_line(), st.sampled_from(["", "  ", "\t"])), min_size=1, max_size=15))
    padded = [draw(st.sampled_from(["", " ", "\t"])) + line + draw(st.sampled_from(["", " ", "\t"])) for line in lines]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(padded)


ANY_PASTE = st.one_of(st.text(WIDE, max_size=400), fragment_paste())


def fold(text: str) -> str:
    """Text as names.exact compares it: any case, runs of whitespace as one space."""
    return " ".join(text.split()).lower()


def check_invariants(text: str, result: ParseResult) -> None:
    """What every parse result must satisfy, whatever the paste."""
    lines = numbered_lines(text)
    by_number = {line.number: line for line in lines}
    unparsed = [found.line for found in result.unparsed]
    # every line reported is a real non-blank line of the paste, once, in order, with its own text
    assert len(unparsed) == len(set(unparsed))
    assert unparsed == sorted(unparsed)
    assert set(unparsed) <= set(by_number)
    assert all(found.text == by_number[found.line].text and found.reason for found in result.unparsed)
    # an item comes from a non-blank line that was consumed, never from a line also reported unparsed
    item_lines = {found.line for found in result.items}
    assert item_lines <= set(by_number)
    assert not item_lines & set(unparsed)
    assert [found.line for found in result.items] == sorted(found.line for found in result.items)
    # quantities are positive whole numbers
    assert all(type(found.quantity) is int and found.quantity > 0 for found in result.items)
    assert all(found.runs is None or (type(found.runs) is int and found.runs > 0) for found in result.items)
    # nothing is invented: every item's name occurs in the paste, and in the text of the line it came from
    folded = fold(text)
    for found in result.items:
        assert NAMES.exact(found.item.name) == found.item
        assert fold(found.item.name) in folded, found
        assert fold(found.item.name) in fold(by_number[found.line].text.replace("×", "x")), found
    # formats are reported once each, only when they read something
    assert len(result.formats) == len(set(result.formats))
    assert bool(result.formats) == bool(result.items)


def chain(lines: list[Line]) -> list[Line]:
    """Run the parsers by hand, checking that each returns an ordered subset of its input and reads only those lines."""
    rest = lines
    for parser in PARSERS:
        items, left = parser.parse(rest, NAMES)
        numbers = [line.number for line in rest]
        kept = [line.number for line in left]
        assert all(line in rest for line in left), parser.name  # nothing invented or altered
        assert kept == [number for number in numbers if number in set(kept)], parser.name  # order kept, no duplicate
        consumed = set(numbers) - set(kept)
        assert {found.line for found in items} <= consumed, parser.name  # an item's line is a line it took
        rest = left
    return rest


@FAST
@given(ANY_PASTE)
def test_parse_paste_never_raises_and_keeps_its_invariants(text: str) -> None:
    result = parse_paste(text, NAMES, PARSERS)
    check_invariants(text, result)


@FAST
@given(fragment_paste())
def test_every_line_is_consumed_by_one_parser_or_reported(text: str) -> None:
    rest = chain(numbered_lines(text))
    result = parse_paste(text, NAMES, PARSERS)
    assert [found.line for found in result.unparsed] == [line.number for line in rest]


@FAST
@given(ANY_PASTE)
def test_the_first_word_index_changes_no_result(text: str) -> None:
    plain, indexed = parse_paste(text, NAMES, PARSERS), parse_paste(text, INDEXED_NAMES, PARSERS)
    assert indexed.items == plain.items
    assert indexed.unparsed == plain.unparsed
    assert indexed.formats == plain.formats


@FAST
@given(fragment_paste(), st.data())
def test_blank_lines_padding_and_line_breaks_change_nothing_but_numbers(text: str, data: st.DataObject) -> None:
    lines = [line.text for line in numbered_lines(text)]
    spaced: list[str] = []
    for line in lines:
        spaced.extend([""] * data.draw(st.integers(0, 2)))
        spaced.append(data.draw(st.sampled_from(["", " ", "\t", "  "])) + line + data.draw(st.sampled_from(["", " "])))
    other = data.draw(st.sampled_from(["\n", "\r\n"])).join(spaced)
    before, after = parse_paste("\n".join(lines), NAMES, PARSERS), parse_paste(other, NAMES, PARSERS)

    def summary(result: ParseResult) -> tuple[Counter[tuple[str, bool]], list[str], list[str]]:
        totals: Counter[tuple[str, bool]] = Counter()
        for found in result.items:
            totals[(found.item.name, found.blueprint_copy)] += found.quantity
        return totals, [found.text for found in result.unparsed], result.formats

    assert summary(before) == summary(after)


@FAST
@given(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=8), st.lists(st.integers(1, 10**9), min_size=8))
def test_a_plain_list_of_real_names_reads_back_exactly(items: list[CatalogItem], quantities: list[int]) -> None:
    text = "\n".join(f"{item.name} x {quantity:,}" for item, quantity in zip(items, quantities, strict=False))
    result = parse_paste(text, NAMES, PARSERS)
    expected: Counter[str] = Counter()
    for item, quantity in zip(items, quantities, strict=False):
        expected[item.name] += quantity
    read: Counter[str] = Counter()
    for found in result.items:
        read[found.item.name] += found.quantity
    assert read == expected and result.unparsed == []


@pytest.mark.parametrize("text", ["³ Tritanium", "Tritanium x²", "Rifter\t¹\tFrigate", "Veldspar 1000 m ³"])
def test_superscript_digits_do_not_crash_the_appraisal(text: str) -> None:
    result = parse_paste(text, NAMES, PARSERS)
    check_invariants(text, result)
