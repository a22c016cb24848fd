"""Hand-written lists ("10x Item", "Item x 10", "Item: 10", "Item TAB 10"), cargo scans and the multibuy export."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from core.appraisal.model import FirstWords, ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_decimal, parse_quantity

_GROUP_HEAD = re.compile(r"^x?\d{1,3}$", re.IGNORECASE)
_GROUP_TAIL = re.compile(r"^\d{3}x?$", re.IGNORECASE)
_JOINERS = {"x", "-", ":", "="}
_BLUEPRINT_KIND = re.compile(r"\s*\((copy|original)\)(?=\s|:|$)", re.IGNORECASE)  # also before a quantity
_MAX_NUMBER_TOKENS = 4


def token_quantity(tokens: Sequence[str]) -> int | None:
    """A positive quantity written over whitespace tokens ("1 000" split in two, "10x", "x10"), or None."""
    if not tokens:
        return None
    if len(tokens) > 1 and not (_GROUP_HEAD.match(tokens[0]) and all(_GROUP_TAIL.match(t) for t in tokens[1:])):
        return None
    quantity = parse_quantity("".join(tokens))
    return quantity if quantity else None


def clean_name(name: str) -> str:
    """An item name as the client may decorate it: trailing "*" (translated clients) and ":" dropped."""
    return name.strip().rstrip("*:").strip()


def _has_digit(token: str) -> bool:
    """Whether a token holds a digit (str.isdigit, as parse_quantity tests): a quantity cannot do without one."""
    return any(map(str.isdigit, token))


def _opens_name(tokens: list[str], starts: Callable[[str], bool] | None) -> bool:
    """Whether clean_name of these tokens may be a real name: its first word must open one (no `starts`: maybe).

    clean_name trims the end only and stops at the space before the last token, so with two or more tokens the
    first word is tokens[0]; a lone token loses its trailing "*" and ":". An empty name is never ruled out.
    """
    if starts is None:
        return True
    first = (tokens[0] if len(tokens) > 1 else tokens[0].rstrip("*:")).lower()
    return not first or starts(first)


def _splits(tokens: list[str], starts: Callable[[str], bool] | None = None) -> Iterator[tuple[list[str], int]]:
    """Every (name tokens, quantity) reading of a line, most literal first: whole line, leading, trailing number.

    With `starts` (FirstWords.starts_name), readings whose name cannot open a real name are skipped unread.
    """
    if _opens_name(tokens, starts):
        yield tokens, 1
    count = len(tokens)
    most = min(_MAX_NUMBER_TOKENS, count - 1) if _has_digit(tokens[0]) else 0  # a quantity's first token has a digit
    for size in range(most, 0, -1):
        name = tokens[size:]
        if name and name[0].lower() in _JOINERS:
            name = name[1:]
        if name and _opens_name(name, starts) and (quantity := token_quantity(tokens[:size])):
            yield name, quantity
    most = min(_MAX_NUMBER_TOKENS, count - 1) if _has_digit(tokens[-1]) else 0  # ... and its last token too
    for size in range(most, 0, -1):
        name = tokens[: count - size]
        if name and name[-1].lower() in _JOINERS:
            name = name[:-1]
        if name and _opens_name(name, starts) and (quantity := token_quantity(tokens[count - size :])):
            yield name, quantity


class ListingParser:
    """One item per line: "N Item", "Nx Item", "N x Item", "Item xN", "Item x N", "Item: N", "Item TAB N", "Item N".

    A bare "Item" counts 1. "Item N" is read as a quantity only when the whole line is not itself a real name
    ("Navy Cap Booster 400"). Numbers may be grouped the way any client prints them.

    Also reads cargo scan results ("12 Rifter", "1 Rifter Blueprint (Copy)") and "Item - N" material lists.
    """

    name = "listing"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read each line as one item with an optional quantity; keep lines whose name is not real."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        starts = names.starts_name if isinstance(names, FirstWords) else None
        for line in lines:
            found = self._read(line, names, starts)
            if found is None:
                rest.append(line)
            else:
                items.append(found)
        return items, rest

    def _read(self, line: Line, names: ItemsByName, starts: Callable[[str], bool] | None) -> ParsedItem | None:
        text = line.text.strip().replace("×", "x")
        marker = _BLUEPRINT_KIND.search(text) if "(" in text else None
        copy = bool(marker and marker.group(1).lower() == "copy")
        tokens = (text[: marker.start()] + text[marker.end() :] if marker else text).split()
        if not tokens:
            return None
        for name_tokens, quantity in _splits(tokens, starts):
            item = names.exact(clean_name(" ".join(name_tokens)))
            if item is not None:
                return ParsedItem(item, quantity, line.number, blueprint_copy=copy)
        return None


class MultibuyParser:
    """The multibuy "buy all" export: name TAB quantity TAB unit price TAB total, then a "Total:" line."""

    name = "multibuy"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read the four-column rows; swallow the "Total:" line only when rows were read."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        totals: list[Line] = []
        for line in lines:
            cells = line.cells
            if cells[0].lower().rstrip(":") == "total" and len(cells) >= 2:
                totals.append(line)
                rest.append(line)
                continue
            found = self._row(cells, line.number, names) if len(cells) == 4 else None
            if found is None:
                rest.append(line)
            else:
                items.append(found)
        if items:
            swallowed = set(totals)  # a set: a long export has hundreds of "Total:" lines
            rest = [line for line in rest if line not in swallowed]
        return items, rest

    def _row(self, cells: Sequence[str], number: int, names: ItemsByName) -> ParsedItem | None:
        name, quantity_text, price, total = cells
        quantity = parse_quantity(quantity_text)
        if not quantity or not all(cell in ("", "-") or parse_decimal(cell) is not None for cell in (price, total)):
            return None
        item = names.exact(clean_name(name))
        return ParsedItem(item, quantity, number) if item else None
