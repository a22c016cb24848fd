"""Paste orchestration (parsers in order, unreadable lines reported) and pricing on hand-computed quotes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

import pytest

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_decimal, parse_quantity
from core.appraisal.parse import PasteTooLarge, numbered_lines, parse_paste
from core.appraisal.pricing import appraise
from core.catalog import CatalogItem
from core.market.model import Quote

TRIT = CatalogItem(34, "Tritanium", "Mineral", 0.01)
RIFTER = CatalogItem(587, "Rifter", "Frigate", 2500.0)
RIFTER_BP = CatalogItem(691, "Rifter Blueprint", "Frigate Blueprint", 0.01)
ODD = CatalogItem(9999, "Odd Trinket", "Trinket", 1.0)
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


class Names:
    items: ClassVar[dict[str, CatalogItem]] = {i.name.lower(): i for i in (TRIT, RIFTER, RIFTER_BP, ODD)}

    def exact(self, name: str) -> CatalogItem | None:
        return self.items.get(" ".join(name.split()).lower())


class QuantityFirst:
    """A toy parser: "N Name" lines."""

    name = "quantity-first"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        items, rest = [], []
        for line in lines:
            count, _, rest_text = line.text.partition(" ")
            item = names.exact(rest_text)
            quantity = parse_quantity(count)
            if item and quantity:
                items.append(ParsedItem(item, quantity, line.number))
            else:
                rest.append(line)
        return items, rest


class CopyMarker:
    """A toy parser: "Name (copy)" lines are blueprint copies."""

    name = "copies"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        items, rest = [], []
        for line in lines:
            item = names.exact(line.text.removesuffix("(copy)")) if line.text.endswith("(copy)") else None
            if item:
                items.append(ParsedItem(item, 1, line.number, blueprint_copy=True, runs=10))
            else:
                rest.append(line)
        return items, rest


def quote(type_id: int, buy: float | None, sell: float | None, sell_volume: int = 1_000) -> Quote:
    return Quote(10000002, 60003760, type_id, buy, sell, 100, sell_volume, 1, 1, 0, 0, None, None, None, None, NOW)


def test_lines_are_numbered_and_cleaned() -> None:
    assert numbered_lines("a\r\n\r\n  b \t\rc") == [Line(1, "a"), Line(3, "b"), Line(4, "c")]


def test_parsers_run_in_order_and_leftovers_are_reported_with_line_numbers() -> None:
    paste = "1,000 Tritanium\r\nRifter Blueprint (copy)\n\n2 Rifter\nnot an item at all\n500 Tritanium"
    result = parse_paste(paste, Names(), [QuantityFirst(), CopyMarker()], suggest=lambda text: ["Tritanium"])
    assert result.formats == ["quantity-first", "copies"]
    assert [(i.item.name, i.quantity, i.line) for i in result.items] == [
        ("Tritanium", 1000, 1),
        ("Rifter Blueprint", 1, 2),
        ("Rifter", 2, 4),
        ("Tritanium", 500, 6),
    ]
    assert [(u.line, u.text, u.reason) for u in result.unparsed] == [
        (5, "not an item at all", "no item recognised; did you mean Tritanium?")
    ]


def test_oversized_pastes_are_refused() -> None:
    with pytest.raises(PasteTooLarge, match="paste too large"):
        parse_paste("1 Tritanium\n" * 5_001, Names(), [QuantityFirst()], max_bytes=60_000)


def test_pricing_sums_duplicates_uses_max_buy_min_sell_and_falls_back_for_thin_markets() -> None:
    result = parse_paste(
        "1000 Tritanium\n500 Tritanium\n2 Rifter\n3 Odd Trinket\nRifter Blueprint (copy)",
        Names(),
        [QuantityFirst(), CopyMarker()],
    )
    quotes = {34: quote(34, 4.0, 5.0), 587: quote(587, 400_000.0, 500_000.0, sell_volume=3)}
    items, totals = appraise(result, quotes, {587: 450_000.0})
    by_name = {i.name: i for i in items}
    trit = by_name["Tritanium"]
    assert (trit.quantity, trit.buy, trit.sell, trit.split, trit.total_sell, trit.price_source) == (
        1500,
        4.0,
        5.0,
        4.5,
        7500.0,
        "hub",
    )
    assert trit.volume_m3 == pytest.approx(15.0)
    rifter = by_name["Rifter"]  # 3 units on sale is a thin sell side: CCP's average for it, the real buy stays
    assert (rifter.buy, rifter.sell, rifter.total_split, rifter.price_source) == (
        400_000.0,
        450_000.0,
        850_000.0,
        "ccp_average",
    )
    assert (rifter.buy_price_source, rifter.sell_price_source) == ("hub", "ccp_average")
    assert by_name["Odd Trinket"].price_source == "none" and by_name["Odd Trinket"].total_sell == 0
    copy = by_name["Rifter Blueprint"]
    assert copy.blueprint_copy and copy.price_source == "blueprint_copy" and copy.sell is None
    assert totals.sell == 7500.0 + 900_000.0 and totals.buy == 6000.0 + 800_000.0
    assert totals.quantity == 1500 + 2 + 3 + 1
    assert [i.name for i in items][:2] == ["Rifter", "Tritanium"]  # most valuable first
    # nothing at all on the book's buy side and a thin sell side: both sides take the average, as before
    empty_buy = {587: quote(587, None, 500_000.0, sell_volume=3)}
    (only,), _ = appraise(parse_paste("2 Rifter", Names(), [QuantityFirst()]), empty_buy, {587: 450_000.0})
    assert (only.buy, only.sell, only.buy_price_source, only.sell_price_source) == (
        450_000.0,
        450_000.0,
        *["ccp_average"] * 2,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000", 1000),
        ("1.000", 1000),
        ("1 000", 1000),
        ("1\u00a0000", 1000),
        ("1\u202f000", 1000),
        ("1'000", 1000),
        ("12x", 12),
        ("x12", 12),
        ("1,5", None),
        ("abc", None),
        ("", None),
    ],
)
def test_quantities_in_every_client_locale(text: str, expected: int | None) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", 1234.56),
        ("1.234,56", 1234.56),
        ("1 234,56", 1234.56),
        ("4.52", 4.52),
        ("0,01", 0.01),
        ("12,345.67 ISK", 12345.67),
        ("2.50 m3", 2.5),
        ("1,000", 1000.0),
        ("x", None),
    ],
)
def test_decimals_in_every_client_locale(text: str, expected: float | None) -> None:
    assert parse_decimal(text) == expected
