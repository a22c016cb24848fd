"""Inventory, view contents and assets window copies: tab-separated rows in the client's column order.

Cargo scan results ("12 Rifter", "1 Rifter Blueprint (Copy)") have no tabs: ListingParser reads them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_decimal, parse_quantity

_RUNS = re.compile(r"runs:\s*(\d+)", re.IGNORECASE)
_SECTIONS = {
    "cargo hold": "cargo",
    "drone bay": "drones",
    "high slot": "fitted",
    "medium slot": "fitted",
    "low slot": "fitted",
    "rig slot": "fitted",
    "subsystem": "fitted",
}


def _cells(line: Line) -> tuple[str, ...]:
    return line.cells


def _is_price(cell: str) -> bool:
    return cell.upper().endswith(" ISK")


def _name(cell: str) -> str:
    return cell.strip().rstrip("*").strip()


def _blueprint_copy(cells: Sequence[str], priced: bool) -> bool:
    """A copy says so ("Blueprint Copy", "BLUEPRINT COPY - Runs: 10"), or is a blueprint without a price."""
    marks = [cell.upper() for cell in cells[1:]]
    if any(mark.startswith(("BLUEPRINT COPY", "COPY")) for mark in marks):
        return True
    if any(mark.startswith(("ORIGINAL", "BLUEPRINT ORIGINAL")) for mark in marks):
        return False
    blueprint = cells[0].lower().endswith((" blueprint", " formula")) or any("BLUEPRINT" in mark for mark in marks)
    return blueprint and priced and not any(_is_price(cell) for cell in cells)


class InventoryParser:
    """Rows copied from the inventory, view contents or assets windows (list and detail views).

    Detail and assets rows: Name, Quantity (empty for a single unstacked item: 1), Group, then any of
    Category, Size, Slot, Volume ("1,234.00 m3"), Meta/Tech level and Est. Price ("12,345.67 ISK").
    View contents rows: Name, Group, [Location: "Cargo Hold", "Drone Bay", "High Slot", ...], Quantity.
    A blueprint row without a price, in a paste whose other rows show prices, is a copy (copies have none).
    """

    name = "inventory"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every row whose name is real and whose quantity column parses; keep the other lines."""
        priced = any(_is_price(cell) for line in lines if "\t" in line.text for cell in _cells(line))
        items: list[ParsedItem] = []
        rest: list[Line] = []
        for line in lines:
            found = self._row(_cells(line), line.number, names, priced)
            if found is None:
                rest.append(line)
            else:
                items.append(found)
        return items, rest

    def _row(self, cells: Sequence[str], number: int, names: ItemsByName, priced: bool) -> ParsedItem | None:
        if len(cells) < 3 or not cells[0]:
            return None
        if cells[1] == "" or parse_quantity(cells[1]) is not None:
            return self._detail(cells, number, names, priced)
        if len(cells) in (3, 4):
            return self._contents(cells, number, names)
        return None

    def _detail(self, cells: Sequence[str], number: int, names: ItemsByName, priced: bool) -> ParsedItem | None:
        """Name, Quantity, Group, [optional columns]."""
        quantity = parse_quantity(cells[1]) if cells[1] else 1
        item = names.exact(_name(cells[0]))
        if not quantity or item is None or not cells[2] or parse_decimal(cells[2]) is not None:
            return None
        copy = _blueprint_copy(cells, priced)
        runs = next((int(m.group(1)) for cell in cells[1:] if (m := _RUNS.search(cell))), None)
        return ParsedItem(item, quantity, number, blueprint_copy=copy, runs=runs if copy else None)

    def _contents(self, cells: Sequence[str], number: int, names: ItemsByName) -> ParsedItem | None:
        """Name, Group, [Location], Quantity (the ship's "view contents" window)."""
        quantity = parse_quantity(cells[-1])
        item = names.exact(_name(cells[0]))
        if not quantity or item is None:
            return None
        location = cells[2].lower() if len(cells) == 4 else ""
        section = _SECTIONS.get(location, location or None)
        return ParsedItem(item, quantity, number, section=section)
