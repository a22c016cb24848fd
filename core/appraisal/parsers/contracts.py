"""Contract windows: the item table (Name, Quantity, Type, Category, Details) and "Item x N (Item Exchange)" lines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_decimal, parse_quantity
from core.appraisal.parsers.listing import clean_name, token_quantity

_RUNS = re.compile(r"runs:\s*(\d+)", re.IGNORECASE)
_TITLE = re.compile(r"^(?P<body>.+?)\s*\((?:item exchange|auction|courier)\)$", re.IGNORECASE)
_TIMES = re.compile(r"\s[xX]\s*")
_HEADER_QUANTITY = {"quantity", "qty"}


def _section(details: str) -> str | None:
    """Where the item sits in a packaged ship, as the Details column says it."""
    lowered = details.lower()
    if lowered.startswith("fitted"):
        return "fitted"
    if "drone bay" in lowered:
        return "drones"
    if "cargo hold" in lowered:
        return "cargo"
    return None


class ContractParser:
    """Rows of a contract's item list and the contract's "Name x N (Item Exchange)" summary line.

    Table rows: Name TAB Quantity TAB Type [TAB Category [TAB Details]]; Details may read "Fitted",
    "Fitted 72% damaged", "Drone Bay" or "BLUEPRINT COPY - Runs: 10 - Material Efficiency: 10 - ...".
    A copied header row ("Name TAB Quantity TAB Type ...") is swallowed. A plain "Name x N" line without
    the contract type in brackets is left to ListingParser.
    """

    name = "contract"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read table rows and summary lines with real names; swallow header rows; keep everything else."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        for line in lines:
            cells = line.cells
            if len(cells) >= 2 and cells[0].lower() == "name" and cells[1].lower() in _HEADER_QUANTITY:
                continue
            found = self._row(cells, line.number, names) if 3 <= len(cells) <= 5 else None
            found = found or (self._title(line, names) if ")" in line.text else None)  # a title ends with ")"
            if found is None:
                rest.append(line)
            else:
                items.append(found)
        return items, rest

    def _row(self, cells: Sequence[str], number: int, names: ItemsByName) -> ParsedItem | None:
        quantity = parse_quantity(cells[1])
        item = names.exact(clean_name(cells[0]))
        if not quantity or item is None or not cells[2] or parse_decimal(cells[2]) is not None:
            return None
        details = cells[4] if len(cells) == 5 else ""
        copy = "BLUEPRINT COPY" in details.upper()
        runs = _RUNS.search(details) if copy else None
        return ParsedItem(
            item,
            quantity,
            number,
            blueprint_copy=copy,
            runs=int(runs.group(1)) if runs else None,
            section=_section(details),
        )

    def _title(self, line: Line, names: ItemsByName) -> ParsedItem | None:
        """A summary line, "Compressed Veldspar x 21,163 (Item Exchange)": split at the " x " after a real name."""
        title = _TITLE.match(line.text.strip())
        if title is None:
            return None
        body = title.group("body")
        for times in _TIMES.finditer(body):
            quantity = token_quantity(body[times.end() :].split())
            item = names.exact(clean_name(body[: times.start()]))
            if quantity and item is not None:
                return ParsedItem(item, quantity, line.number)
        return None
