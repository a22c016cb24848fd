"""Log-like pastes: loot history, wallet transactions, mining and moon ledgers, survey scanner results."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_decimal, parse_quantity

_DATE = r"\d{4}[./-]\d{1,2}[./-]\d{1,2}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_PREFIX = rf"\[?\s*(?:{_DATE}\s+)?{_TIME}\s*\]?"  # "18:02:11", "2026.11.20 18:02", "[ 2026.11.20 18:02:11 ]"
_STAMP = re.compile(rf"^{_PREFIX}$")
_DATE_ONLY = re.compile(rf"^{_DATE}$")
_DATE_TIME = re.compile(rf"^{_DATE}\s+{_TIME}$")
_LOOTED = re.compile(rf"^{_PREFIX}\s+(?P<who>.+?)\s+has looted\s+(?P<qty>.+?)\s+x\s+(?P<name>.+)$")
_DISTANCE = re.compile(r"^<?\s*[\d.,'\s\u00a0\u202f\u2009]+\s*(?:m|km|au)$", re.IGNORECASE)
_UNIT = re.compile(r"(?:isk|aur|m3|m³)$", re.IGNORECASE)
_MONEY = re.compile(r"(?:isk|aur)$", re.IGNORECASE)
Reader = Callable[[Line, ItemsByName], ParsedItem | None]


def cells(line: Line) -> tuple[str, ...]:
    """The tab-separated cells of a line, each stripped (split once per line, cached on it)."""
    return line.cells


def count(text: str) -> int | None:
    """A whole quantity in any locale, ignoring a leading sign ("-10" in a wallet is 10 sold)."""
    return None if _UNIT.search(text) else parse_quantity(text.lstrip("+-\u2212"))


def each_line(lines: Sequence[Line], names: ItemsByName, read: Reader) -> tuple[list[ParsedItem], list[Line]]:
    """Apply a one-line reader to every line: what it reads is an item, the rest stays in order."""
    found = [(line, read(line, names)) for line in lines]
    return [item for _, item in found if item is not None], [line for line, item in found if item is None]


class LootHistoryParser:
    """Loot history: "18:02:11 Pilot has looted 12 x Item" lines and time/pilot/item/quantity/group rows."""

    name = "loot_history"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every looted-item line whose item is real."""
        return each_line(lines, names, self._read)

    def _read(self, line: Line, names: ItemsByName) -> ParsedItem | None:
        match = _LOOTED.match(line.text) if "has looted" in line.text else None  # the pattern needs the words
        if match:
            item, quantity = names.exact(match["name"]), count(match["qty"])
        else:
            row = cells(line)
            if len(row) < 4 or not _STAMP.match(row[0]):
                return None
            item, quantity = names.exact(row[2]), count(row[3])
        return ParsedItem(item, quantity, line.number) if item and quantity else None


class WalletParser:
    """Wallet transactions: a date-and-time row with the type, the quantity and ISK amounts, in either column order."""

    name = "wallet"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every transaction row; buy rows (negative totals) and sell rows alike count their quantity."""
        return each_line(lines, names, self._read)

    def _read(self, line: Line, names: ItemsByName) -> ParsedItem | None:
        row = cells(line)
        if len(row) < 4 or not _DATE_TIME.match(row[0]) or not any(_MONEY.search(cell) for cell in row):
            return None
        at = next((index for index in (1, 2) if names.exact(row[index])), None)
        if at is None:
            return None
        quantity = next((q for cell in row[1:] if cell != row[at] and (q := count(cell)) is not None), None)
        money = [cell for cell in row if _MONEY.search(cell)]
        side = "bought" if any(cell.startswith(("-", "\u2212")) for cell in money) else "sold"
        item = names.exact(row[at])
        return ParsedItem(item, quantity, line.number, section=side) if item and quantity else None


class MiningLedgerParser:
    """Personal mining ledger and corporation moon ledger rows (date first, then any of pilot/ore/quantity/m3/ISK)."""

    name = "mining_ledger"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every ledger row; the "Timestamp ... Ore Type ..." header goes too once a row was read."""
        items, rest = each_line(lines, names, self._read)
        if items:
            rest = [line for line in rest if not _is_ledger_header(line)]
        return items, rest

    def _read(self, line: Line, names: ItemsByName) -> ParsedItem | None:
        row = cells(line)
        if len(row) < 3 or not _DATE_ONLY.match(row[0]):
            return None
        at = next((index for index, cell in enumerate(row[1:4], 1) if names.exact(cell)), None)
        item = names.exact(row[at]) if at else None
        if item is None or at is None:
            return None
        quantity = next((q for cell in row[at + 1 :] if (q := count(cell)) is not None), None)
        if quantity is None:  # quantity column hidden: derive it from the m3 column
            volume = next((parse_decimal(cell.replace("³", "3")) for cell in row if re.search(r"m[3³]$", cell)), None)
            quantity = round(volume / item.volume) if volume and item.volume > 0 else None
        return ParsedItem(item, quantity, line.number) if quantity else None


def _is_ledger_header(line: Line) -> bool:
    lowered = [cell.lower() for cell in cells(line)]
    return bool(lowered) and lowered[0] == "timestamp" and "ore type" in lowered


class SurveyScannerParser:
    """Survey scanner results: "ore TAB quantity TAB distance" rows under bare ore-group header lines."""

    name = "survey_scanner"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every asteroid row; group headers next to asteroid rows are consumed without counting."""
        found = {index: self._read(line, names) for index, line in enumerate(lines)}
        rows = {index: item for index, item in found.items() if item is not None}
        if not rows:  # headers are taken only beside rows: none, nothing to look up
            return [], list(lines)
        taken: set[int] = set()
        block: list[int] = []
        for index in [*range(len(lines)), len(lines)]:
            if index < len(lines) and (index in rows or self._header(lines, index, names, rows)):
                block.append(index)
                continue
            if any(position in rows for position in block):
                taken.update(block)
            block = []
        return [rows[index] for index in sorted(rows)], [line for i, line in enumerate(lines) if i not in taken]

    def _read(self, line: Line, names: ItemsByName) -> ParsedItem | None:
        row = cells(line)
        if len(row) != 3 or not _DISTANCE.match(row[2]):
            return None
        item, quantity = names.exact(row[0]), count(row[1])
        return ParsedItem(item, quantity, line.number) if item and quantity else None

    def _header(self, lines: Sequence[Line], index: int, names: ItemsByName, rows: dict[int, ParsedItem]) -> bool:
        row = cells(lines[index])
        if len(row) > 2:  # before the name lookup: most lines of a paste are not headers
            return False
        item = names.exact(row[0]) if row[0] else None
        if item is None:
            return False
        return len(row) == 1 or (count(row[1]) is not None and index + 1 in rows and rows[index + 1].item == item)
