"""Ship fits: EFT blocks ("[Ship, Fit name]" and slot lines) and the in-game fitting window copy.

Loaded charges ("Module, Charge") count once per module line, in section "charges", as evepraisal does:
the fit needs one load of each, and cargo holds the rest ("Charge xN").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_quantity
from core.catalog import CatalogItem

_HEADER = re.compile(r"^\[(?P<ship>[^,\[\]]+),(?P<fit>.*)\]$")  # fit names may hold brackets: "[NPSI] tackle"
_EMPTY_SLOT = re.compile(r"^\[empty [a-z ]*slot\]$", re.IGNORECASE)
_OFFLINE = re.compile(r"\s*/\s*offline$", re.IGNORECASE)
_TIMES = re.compile(r"^(?P<name>.+?)\s+x\s?(?P<qty>\d[\d,.'\u00a0\u202f ]*)$", re.IGNORECASE)
_RACKS = {"high power", "medium power", "low power", "rig slot", "rig slots", "sub system", "subsystem", "service slot"}
_SECTIONS = {
    **dict.fromkeys(_RACKS, "fitted"),
    "charges": "charges",
    **dict.fromkeys(("drones", "drone bay"), "drones"),
    **dict.fromkeys(("fighters", "fighter bay"), "fighters"),
    **dict.fromkeys(("cargo", "cargo hold"), "cargo"),
    **dict.fromkeys(("fuel", "fuel bay"), "fuel"),
}


def _bay(item: CatalogItem) -> str:
    """Where an EFT "Name xN" line lives: the drone bay for drones and fighters, else the cargo hold."""
    group = item.group.lower()
    return "drones" if group.endswith("drone") or "fighter" in group else "cargo"


def _eft_line(text: str, number: int, names: ItemsByName) -> list[ParsedItem] | None:
    """Items of one EFT line after the header: "Module", "Module, Charge" or "Name xN"; None if unreadable."""
    text = _OFFLINE.sub("", text) if "/" in text else text
    whole = names.exact(text)
    if whole:
        return [ParsedItem(whole, 1, number, section="fitted")]
    counted = _TIMES.match(text) if "x" in text or "X" in text else None  # the pattern needs the "x"
    if counted:
        item, quantity = names.exact(counted["name"]), parse_quantity(counted["qty"])
        if item and quantity:
            return [ParsedItem(item, quantity, number, section=_bay(item))]
    module_name, comma, charge_name = text.rpartition(",")
    module = names.exact(module_name) if comma else None
    charge = names.exact(charge_name) if module else None  # a charge counts only beside a real module
    if module and charge:
        return [ParsedItem(module, 1, number, section="fitted"), ParsedItem(charge, 1, number, section="charges")]
    return None


def _counted(text: str, names: ItemsByName) -> tuple[CatalogItem, int] | None:
    """An item with an optional quantity before ("5x Name", "8,718x Name", "12 Name") or after ("Name x5")."""
    whole = names.exact(text)
    if whole:
        return whole, 1
    words = text.split()
    for split in range(1, len(words)):
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        for quantity_text, name in ((head, tail), (tail, head)):
            quantity = parse_quantity(quantity_text)
            item = names.exact(name) if quantity else None
            if item and quantity:
                return item, quantity
    return None


class EftParser:
    """EFT fits: the hull ("hull"), modules ("fitted"), loaded charges ("charges"), drones and cargo ("Name xN")."""

    name = "eft"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every fit, from its "[Ship, Fit name]" header to the next header; other lines are left."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        in_fit = False
        for line in lines:
            text = line.text.strip()
            header = _HEADER.match(text) if text.startswith("[") else None
            if header and not _EMPTY_SLOT.match(text):
                in_fit = True
                ship = names.exact(header["ship"])
                if ship:
                    items.append(ParsedItem(ship, 1, line.number, section="hull"))
                else:
                    rest.append(line)
                continue
            if in_fit and (not text or (text.startswith("[") and _EMPTY_SLOT.match(text))):
                continue
            found = _eft_line(text, line.number, names) if in_fit else None
            if found:
                items.extend(found)
            else:
                rest.append(line)
        return items, rest


class FittingWindowParser:
    """The fitting window copy: section headers ("High power", "Charges", "Drones", ...) over "5x Item" lines."""

    name = "fitting"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Items under each section header; read only when the paste has a slot rack header."""
        if not any(" ".join(line.text.lower().split()) in _RACKS for line in lines):
            return [], list(lines)
        items: list[ParsedItem] = []
        rest: list[Line] = []
        section: str | None = None
        for line in lines:
            text = " ".join(line.text.split())
            if text.lower() in _SECTIONS:
                section = _SECTIONS[text.lower()]
                continue
            if section and not text:
                continue
            found = _counted(text, names) if section else None
            if found:
                items.append(ParsedItem(found[0], found[1], line.number, section=section))
            else:
                rest.append(line)
        return items, rest
