"""Production windows: planetary interaction storage, industry materials and blueprints, the compare window."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_decimal
from core.appraisal.parsers.logs import cells, count, each_line
from core.catalog import CatalogItem

_ROUTED = {"routed", "not routed"}
_UNITS = re.compile(r"^(?P<name>.+?)\s+\((?P<qty>[\d.,'\s\u00a0\u202f\u2009]+?)\s+units?\)$", re.IGNORECASE)
_TIMES = re.compile(r"^(?P<qty>\d[\d.,'\s\u00a0\u202f\u2009]*?)\s*x\s+(?P<name>.+)$", re.IGNORECASE)
_META = {"tech i", "tech ii", "tech iii", "faction", "deadspace", "storyline", "officer", "abyssal", "structure tech i"}
_META |= {"structure tech ii", "structure faction", "limited time", "premium"}
_NOT_COMPARE = {"required", "available", "quantity", "qty", "typeid"}
_BLUEPRINT_NAME = re.compile(r"(blueprint|formula)$", re.IGNORECASE)


def whole(text: str) -> int | None:
    """A quantity the PI window may print as a float ("305.0", "6 000,0"); None unless it is whole."""
    exact = count(text)
    if exact is not None:
        return exact
    value = parse_decimal(text)
    return int(value) if value is not None and value >= 0 and value.is_integer() else None


class PlanetaryParser:
    """PI windows: "item TAB quantity [TAB m3]" storage/launchpad rows and "quantity TAB item TAB routed" links."""

    name = "planetary"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every PI row whose commodity is real."""
        return each_line(lines, names, self._read)

    def _read(self, line: Line, names: ItemsByName) -> ParsedItem | None:
        row = cells(line)
        if len(row) == 3 and row[2].lower() in _ROUTED:
            item, quantity = names.exact(row[1]), whole(row[0])
        elif len(row) == 2 or (len(row) == 3 and parse_decimal(row[2].replace("³", "3")) is not None):
            item, quantity = names.exact(row[0]), whole(row[1])
        else:
            return None
        return ParsedItem(item, quantity, line.number) if item and quantity else None


class IndustryParser:
    """Industry window: "Copy material information" tables, "Item (N Units)" lines and blueprint-tab rows."""

    name = "industry"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read materials (the Required column) and blueprints; table titles and headers are consumed too."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        required: int | None = None
        rows = [cells(line) for line in lines]  # once: a title line looks at the next row too
        for index, (line, row) in enumerate(zip(lines, rows, strict=True)):
            if _is_header(row):
                required = next((i for i, cell in enumerate(row) if cell.lower() == "required"), 1)
            elif len(row) == 1 and index + 1 < len(lines) and _is_header(rows[index + 1]):
                pass  # a table title: "Minerals", "Planetary materials", "Datacores"...
            elif required is not None and line.text.lower() == "no item selected":
                pass
            elif found := self._read(row, line, names, required):
                items.append(found)
            else:
                required = required if len(row) > 1 else None  # a blank or bare line ends the table
                rest.append(line)
        return items, rest

    def _read(self, row: Sequence[str], line: Line, names: ItemsByName, required: int | None) -> ParsedItem | None:
        wide = len(row) >= 4  # a blueprint row has at least ME, TE and runs after the name
        in_table = required is not None and len(row) > required
        item = names.exact(row[0]) if wide or in_table else None  # only the branches below that need it
        if item and in_table and required is not None:
            quantity = count(row[required])
            return ParsedItem(item, quantity, line.number) if quantity else None
        if item and len(row) == 5 and all(count(cell) is not None for cell in (row[1], row[2], row[4])):
            price, quantity = parse_decimal(row[3]), count(row[1])
            return ParsedItem(item, quantity, line.number) if quantity and price is not None and price >= 0 else None
        match = _UNITS.match(line.text) if ")" in line.text else None
        if match and (found := names.exact(match["name"])) and (quantity := count(match["qty"])):
            return ParsedItem(found, quantity, line.number)
        return _blueprint(row, line, names, item) if wide else None


def _is_header(row: Sequence[str]) -> bool:
    return len(row) >= 4 and row[-1].lower() == "typeid"


def _blueprint(row: Sequence[str], line: Line, names: ItemsByName, named: CatalogItem | None) -> ParsedItem | None:
    """A blueprints-tab row: "[N x ]Name TAB ME TAB TE [TAB x] TAB runs [TAB location...] TAB group" (named: row[0])."""
    match = _TIMES.match(row[0]) if row[0][:1].isdigit() else None  # the pattern opens with a digit
    counted = names.exact(match["name"]) if match else None
    quantity, item = (count(match["qty"]), counted) if match and counted else (1, named)
    if not item or not quantity or not _BLUEPRINT_NAME.search(item.name):  # before the numbers: most rows fail here
        return None
    numbers: list[int] = []
    for cell in row[1:]:
        value = count(cell)
        if value is None:
            break
        numbers.append(-value if cell.startswith(("-", "\u2212")) else value)
    if len(numbers) not in (3, 4):
        return None
    if not (0 <= numbers[0] <= 10 and 0 <= numbers[1] <= 20):
        return None
    runs = numbers[-1]
    return ParsedItem(item, quantity, line.number, blueprint_copy=runs > 0, runs=runs if runs > 0 else None)


class CompareParser:
    """Compare window: item rows with a meta-group column, or rows under a "Type/Name ..." header; 1 of each."""

    name = "compare"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every compared item; the column header is consumed when rows follow it."""
        items: list[ParsedItem] = []
        taken: set[int] = set()
        header: tuple[int, int] | None = None  # (index, cell count) of the table header in force
        for index, line in enumerate(lines):
            row = cells(line)
            under = header is not None and 2 <= len(row) <= header[1]
            wanted = len(row) >= 2 and (under or any(cell.lower() in _META for cell in row[1:]))
            item = names.exact(row[0]) if wanted else None
            if item:
                items.append(ParsedItem(item, 1, line.number))
                taken.update({index} | ({header[0]} if header else set()))
            elif _is_compare_header(row, names):
                header = (index, len(row))
            elif not under:
                header = None
        return items, [line for index, line in enumerate(lines) if index not in taken]


def _is_compare_header(row: Sequence[str], names: ItemsByName) -> bool:
    if len(row) < 3:  # before the lower-casing: most rows are narrower
        return False
    lowered = {cell.lower() for cell in row}
    first = row[0].lower()
    titled = first in ("type", "name", "item", "type name", "item name") or any("meta" in cell for cell in lowered)
    return len(row) >= 3 and titled and not names.exact(row[0]) and not lowered & _NOT_COMPARE
